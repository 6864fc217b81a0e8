/** Single-binary (SEA) assets: where the embedded addons, migrations and editor live on disk, and extracting them there. */
import { createHash, randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sea from 'node:sea';

/** Asset key of the manifest `scripts/package.mjs` writes: `{ hash, files }`. */
export const MANIFEST_KEY = 'manifest.json';
/** Overrides where the binary extracts its assets (a private folder; it must allow executing mapped code). */
export const NATIVE_DIR_ENV = 'HOOKFLOW_NATIVE_DIR';

export interface SeaManifest {
  /** sha256 (hex) over every asset's key and bytes: names the extraction folder, so versions never mix. */
  hash: string;
  /** Asset keys, each extracted to `<dir>/<key>`: `native/*.node`, `migrations/*.sql`, `web/**`. */
  files: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

export const isSea = (): boolean => sea.isSea();

export function readManifest(): SeaManifest {
  const raw: unknown = JSON.parse(sea.getAsset(MANIFEST_KEY, 'utf8'));
  const m = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const files = Array.isArray(m.files) ? m.files.filter((f): f is string => typeof f === 'string') : [];
  if (typeof m.hash !== 'string' || !/^[0-9a-f]{64}$/.test(m.hash) || files.length === 0) throw new Error('the binary carries no valid asset manifest');
  for (const f of files) if (f.startsWith('/') || f.split('/').includes('..')) throw new Error(`bad asset key "${f}"`);
  return { hash: m.hash, files };
}

/**
 * The base folder: `$HOOKFLOW_NATIVE_DIR`, else `$XDG_CACHE_HOME/hookflow`, else `$HOME/.cache/hookflow`, else
 * `<tmpdir>/hookflow-<uid>`. A per-user cache comes first because it is private, survives reboots (no re-extraction)
 * and, unlike /tmp, is rarely mounted noexec (dlopen needs exec); the shared temp folder is the last resort.
 */
export function nativeBaseDir(env: Env): string {
  const pick = (v: string | undefined): string | undefined => (v !== undefined && v.trim().startsWith('/') ? v.trim() : undefined);
  const raw = env[NATIVE_DIR_ENV]?.trim();
  if (raw) {
    if (!raw.startsWith('/')) throw new Error(`${NATIVE_DIR_ENV} must be an absolute path, got "${raw}"`);
    return raw;
  }
  // Relative XDG/HOME values are invalid by the XDG spec and are skipped.
  const xdg = pick(env.XDG_CACHE_HOME);
  if (xdg) return join(xdg, 'hookflow');
  const home = pick(env.HOME);
  if (home && home !== '/') return join(home, '.cache', 'hookflow');
  return join(tmpdir(), `hookflow-${process.getuid?.() ?? 'user'}`);
}

/** The versioned folder the assets of this binary live in. */
export const assetDir = (env: Env, manifest: SeaManifest): string => join(nativeBaseDir(env), manifest.hash.slice(0, 16));

/** Creates `dir` (0700) if needed and refuses one that is a symlink, not ours, or writable by others (a pre-planted /tmp folder). */
function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const hint = `(set ${NATIVE_DIR_ENV} to a private folder)`;
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory ${hint}`);
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) throw new Error(`${dir} belongs to another user ${hint}`);
  if ((st.mode & 0o022) !== 0) throw new Error(`${dir} is writable by group or others ${hint}`);
}

const sameBytes = (file: string, want: Buffer): boolean => {
  try {
    return readFileSync(file).equals(want);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
};

/** Writes through a temp file and a rename, so a reader (or a second process extracting too) never sees half a file. */
function writeAtomically(file: string, bytes: Buffer): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, bytes, { mode: file.endsWith('.node') ? 0o700 : 0o600, flag: 'wx' });
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Extracts every asset of the running binary into its versioned folder and returns that folder. Files already there
 * are compared byte for byte and rewritten only when they differ, so a damaged extraction heals on the next start.
 */
export function extractSeaAssets(env: Env): string {
  const manifest = readManifest();
  // Checked before anything is written: a damaged binary must not leave files under a folder named for good ones.
  const sum = createHash('sha256');
  const assets = manifest.files.map((key) => {
    const bytes = Buffer.from(sea.getAsset(key));
    sum.update(key).update('\0').update(bytes);
    return { key, bytes };
  });
  if (sum.digest('hex') !== manifest.hash) throw new Error('the embedded assets do not match their manifest (corrupted binary?)');
  ensurePrivateDir(nativeBaseDir(env));
  const dir = assetDir(env, manifest);
  ensurePrivateDir(dir);
  for (const { key, bytes } of assets) {
    const file = join(dir, key);
    if (sameBytes(file, bytes)) continue;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeAtomically(file, bytes);
  }
  return dir;
}
