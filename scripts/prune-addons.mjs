// Docker build stage, after `npm prune --omit=dev`: removes what the two native addons carry for building or for
// other platforms — SQLite's and isolated-vm's C/C++ sources, a stray tarball, and every prebuilt binary except the
// one this node loads (~45 MB). The image's runtime stage has the same base image as the build stage (same CPU
// architecture, libc and Node ABI), so the binary kept is the one it needs, on amd64 and arm64 alike. Then it loads
// both addons again, in a fresh process started the way the image starts Hookflow, and fails the build if either
// does not work. Usage: node scripts/prune-addons.mjs [app dir, default: this checkout]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addonFiles } from './addons.mjs';

const root = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
const modules = join(root, 'node_modules');

/** Size in bytes of a file or folder. */
const size = (p) => (statSync(p).isDirectory() ? readdirSync(p).reduce((n, f) => n + size(join(p, f)), 0) : statSync(p).size);
/** Every file under `dir`. */
const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

const keep = new Set(Object.values(addonFiles(root)));
const doomed = [
  ...['deps', 'src', 'binding.gyp'].map((p) => join(modules, 'better-sqlite3', p)),
  ...['src', 'vendor', 'native-example', 'scripts', 'binding.gyp', 'include.js', 'inspector-example.js', 'Dockerfile.alpine', 'Dockerfile.debian']
    .map((p) => join(modules, 'isolated-vm', p)),
  ...readdirSync(join(modules, 'isolated-vm')).filter((f) => f.endsWith('.tgz')).map((f) => join(modules, 'isolated-vm', f)),
  ...['better-sqlite3', 'isolated-vm'].flatMap((pkg) => {
    const dir = join(modules, pkg, 'prebuilds');
    return existsSync(dir) ? files(dir).filter((f) => !keep.has(f)) : [];
  }),
].filter((p) => existsSync(p) && ![...keep].some((k) => k === p || k.startsWith(`${p}/`)));

let freed = 0;
for (const p of doomed) {
  freed += size(p);
  rmSync(p, { recursive: true, force: true });
}
// Empty platform folders left behind in isolated-vm/prebuilds.
const ivmPrebuilds = join(modules, 'isolated-vm', 'prebuilds');
if (existsSync(ivmPrebuilds)) for (const d of readdirSync(ivmPrebuilds)) if (readdirSync(join(ivmPrebuilds, d)).length === 0) rmSync(join(ivmPrebuilds, d), { recursive: true });

const check = `
  const Database = require('better-sqlite3');
  const db = new Database(':memory:');
  const sqlite = db.prepare('select sqlite_version() v').get().v;
  db.close();
  const ivm = require('isolated-vm');
  const iso = new ivm.Isolate({ memoryLimit: 16 });
  const two = iso.createContextSync().evalSync('1 + 1');
  iso.dispose();
  if (two !== 2) throw new Error('isolate answered ' + two);
  console.log('sqlite ' + sqlite + ', isolated-vm evaluates code');`;
const r = spawnSync(process.execPath, ['--no-node-snapshot', '-e', check], { cwd: root, encoding: 'utf8' });
if (r.status !== 0) {
  process.stderr.write(`prune-addons: the addons no longer load after pruning:\n${r.stderr}`);
  process.exit(1);
}
console.log(`prune-addons: kept ${[...keep].map((k) => relative(root, k)).join(', ')}; removed ${doomed.length} paths, ${(freed / 2 ** 20).toFixed(1)} MB; ${r.stdout.trim()}`);
