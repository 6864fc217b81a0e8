// The two native addons as this node loads them: better-sqlite3's prebuilt `prebuilds/<platform>.node` (Node-API)
// and isolated-vm's `prebuilds/<platform>/isolated-vm.abi<N>.<libc>.node` for this Node's ABI. Used by
// scripts/package.mjs (what the single binary embeds) and scripts/prune-addons.mjs (what the image keeps).
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';

/** `{ 'better-sqlite3': file, 'isolated-vm': file }`, resolved from `root`'s node_modules. */
export function addonFiles(root) {
  const require = createRequire(join(root, 'package.json'));
  return {
    'better-sqlite3': loadedAddon(require, 'better-sqlite3', () => new (require('better-sqlite3'))(':memory:').close()),
    // Found the way isolated-vm.js finds it (node-gyp-build), without loading it into a process with the startup snapshot.
    'isolated-vm': createRequire(require.resolve('isolated-vm'))('node-gyp-build').resolve(dirname(require.resolve('isolated-vm'))),
  };
}

/** The `.node` file of `pkg` in require.cache after `load()`: the one this node really opened (a compiled build wins over a prebuild). */
function loadedAddon(require, pkg, load) {
  load();
  const dir = `${sep}node_modules${sep}${pkg}${sep}`;
  const files = Object.keys(require.cache).filter((f) => f.endsWith('.node') && f.includes(dir));
  if (files.length !== 1) throw new Error(`expected one native addon loaded for ${pkg}, found ${files.length}: ${files.join(', ')}`);
  return files[0];
}
