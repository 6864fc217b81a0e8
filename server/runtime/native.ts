/** Seam for native addons and bundled files: from node_modules and the source tree normally, from the extracted assets in the single binary. */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { assetDir, isSea, readManifest } from './sea-assets.js';

/** Read per call (cheap: a small manifest asset and the environment), so no module state holds the location. */
const seaDir = (): string => assetDir(process.env, readManifest());

/**
 * Extra `new Database(file, options)` options. In the binary, better-sqlite3's `bindings` lookup cannot find the
 * addon, so the extracted file is named; `scripts/package.mjs` points better-sqlite3's `__non_webpack_require__`
 * at a real `require` so it can load that path. Outside the binary: nothing, the usual lookup.
 */
export function sqliteBinding(): { nativeBinding?: string } {
  return isSea() ? { nativeBinding: join(seaDir(), 'native', 'better_sqlite3.node') } : {};
}

const dlopened = new Map<string, { exports: Record<string, unknown> }>();

/**
 * A package whose JS entry only loads its native addon (isolated-vm: `require('./out/isolated_vm').ivm`): `require(pkg)`
 * normally; in the binary, dlopen of the extracted `native/<addon>` and its `exportName` export. The caller names
 * the package, so the packages using native code stay visible where they are used.
 */
export function requireNative<T>(pkg: string, from: { addon: string; exportName: string }): T {
  if (!isSea()) return createRequire(import.meta.url)(pkg);
  // dlopen runs an addon's initialiser again on every call; isolated-vm's second one aborts the process (SIGABRT),
  // as the sandbox child's compile checker and its runner both load it. `require` caches; so does this.
  let mod = dlopened.get(from.addon);
  if (!mod) {
    mod = { exports: {} };
    process.dlopen(mod, join(seaDir(), 'native', from.addon));
    dlopened.set(from.addon, mod);
  }
  const value = mod.exports[from.exportName];
  if (typeof value !== 'object' || value === null) throw new Error(`${from.addon} has no "${from.exportName}" export`);
  return value as T;
}

/** A folder shipped beside the code (`migrations`, the built editor as `web`): `fallback` normally, the extracted copy in the binary. */
export function bundledDir(name: 'migrations' | 'web', fallback: string): string {
  return isSea() ? join(seaDir(), name) : fallback;
}
