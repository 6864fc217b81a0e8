// Builds the single binary release/hookflow-linux-x64 (a Node 24 SEA): one CommonJS bundle + the native addons,
// migrations and the built editor as assets, injected into a copy of the node binary running this script (Node 24,
// with --no-node-snapshot in the SEA config's execArgv). See docs/binary.md.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { webIsStale } from './build-web.mjs';
import { addonFiles } from './addons.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'release', 'build');
const output = join(root, 'release', 'hookflow-linux-x64');
const require = createRequire(import.meta.url);
const started = Date.now();
const step = (what) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${what}\n`);

/** Every file under `dir`, as paths relative to it, sorted (a stable manifest and hash). */
function walk(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), base) : [relative(base, join(dir, e.name))]))
    .sort();
}

/** Rebuilds web/dist when it is missing or older than the editor's sources. */
function buildWebIfNeeded() {
  if (!webIsStale(root)) return step('editor: web/dist is up to date');
  step('editor: building web/dist');
  execFileSync(process.execPath, [join(root, 'scripts', 'build-web.mjs')], { stdio: 'inherit' });
}

/**
 * One CJS file (a SEA main script is CommonJS on Node 24), every package inside. `import.meta.url` becomes the binary's
 * own file URL (only as a harmless fallback: server/runtime/native.ts answers with the extracted assets), and
 * better-sqlite3's `__non_webpack_require__` hook gets a real `require`, since a SEA's own `require` loads only
 * built-in modules and the addon path is a file. isolated-vm is never bundled: native.ts loads it by dlopen.
 */
async function bundle() {
  const banner = 'var __hookflowMetaUrl = require("node:url").pathToFileURL(__filename).href;\n'
    + 'var __hookflowRequire = require("node:module").createRequire(__filename);';
  await build({
    absWorkingDir: root, entryPoints: ['server/runtime/sea-main.ts'], outfile: join(work, 'hookflow.cjs'),
    bundle: true, platform: 'node', format: 'cjs', target: 'node24', logLevel: 'warning', legalComments: 'none',
    banner: { js: banner }, define: { 'import.meta.url': '__hookflowMetaUrl', __non_webpack_require__: '__hookflowRequire' },
    // pg's optional native binding is never used (pg.native is only read on demand): leave it out of the bundle.
    external: ['pg-native'],
  });
  step(`bundle: ${(statSync(join(work, 'hookflow.cjs')).size / 1024 ** 2).toFixed(1)} MB`);
}

/** Asset key → file: the two addons, the migrations and the editor, plus a manifest naming them and their hash. */
function collectAssets() {
  // The prebuilt addons this node loads (better-sqlite3 prebuilds/linux-x64.node, isolated-vm's abi137 glibc build).
  const addons = addonFiles(root);
  const assets = {
    'native/better_sqlite3.node': addons['better-sqlite3'],
    'native/isolated_vm.node': addons['isolated-vm'],
  };
  const migrations = join(root, 'server', 'store', 'migrations');
  for (const f of walk(migrations)) assets[`migrations/${f}`] = join(migrations, f);
  const web = join(root, 'web', 'dist');
  for (const f of walk(web)) assets[`web/${f}`] = join(web, f);
  // The same digest server/runtime/sea-assets.ts recomputes: key, NUL, bytes, for every asset in order.
  const sum = createHash('sha256');
  const files = Object.keys(assets);
  for (const key of files) sum.update(key).update('\0').update(readFileSync(assets[key]));
  const manifest = join(work, 'manifest.json');
  writeFileSync(manifest, JSON.stringify({ hash: sum.digest('hex'), files }));
  return { ...assets, 'manifest.json': manifest };
}

async function inject(blob) {
  const { inject: postject } = require('postject');
  copyFileSync(process.execPath, output);
  chmodSync(output, 0o755);
  await postject(output, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2' });
}

async function main() {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('the single binary is built for linux-x64 only');
  // The binary is a copy of this node, and its execArgv (--no-node-snapshot) needs Node >= 24 to take effect.
  if (Number(process.versions.node.split('.')[0]) < 24) throw new Error(`run it with Node.js 24 (the binary embeds the node that builds it); this is ${process.version}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  buildWebIfNeeded();
  await bundle();
  const assets = collectAssets();
  step(`assets: ${Object.keys(assets).length} files`);
  // execArgv: every process of the binary (the server and its sandbox child, which is the binary again) starts
  // without Node's startup snapshot, as isolated-vm requires; NODE_OPTIONS may still add flags ("env" extension).
  const config = {
    main: join(work, 'hookflow.cjs'), output: join(work, 'sea-prep.blob'), disableExperimentalSEAWarning: true, useCodeCache: false,
    execArgv: ['--no-node-snapshot'], execArgvExtension: 'env', assets,
  };
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify(config, null, 2));
  execFileSync(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: 'pipe' });
  step(`blob: ${(statSync(config.output).size / 1024 ** 2).toFixed(1)} MB`);
  await inject(config.output);
  rmSync(work, { recursive: true, force: true });
  const mb = (statSync(output).size / 1024 ** 2).toFixed(1);
  process.stdout.write(`${relative(process.cwd(), output) || output}: ${mb} MB, built in ${((Date.now() - started) / 1000).toFixed(1)} s (node ${process.version})\n`);
}

main().catch((e) => {
  process.stderr.write(`package: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
