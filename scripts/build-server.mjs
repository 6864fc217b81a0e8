// Bundles the server and the sandbox child into dist/ with esbuild (dependencies stay in node_modules), so `npm start`
// compiles no TypeScript at start-up. Migrations are copied beside the bundle.
//
// dist/cli.js is only the Node version check (server/cli.ts); the CLI proper is a separate chunk it imports once the
// check passed (code splitting), so an unsupported Node prints one line before better-sqlite3 or express load.
// dist/.inputs.json lists every source file esbuild read, so `serverIsStale` knows what a rebuild depends on.
import { build } from 'esbuild';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale } from './build-state.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INPUTS = '.inputs.json';

/** Builds `<outdir>` (default `<root>/dist`) from scratch. */
export async function buildServer({ root = ROOT, outdir = join(root, 'dist') } = {}) {
  const common = { bundle: true, platform: 'node', format: 'esm', target: 'node22', packages: 'external', sourcemap: 'linked', logLevel: 'warning', absWorkingDir: root, metafile: true };
  rmSync(outdir, { recursive: true, force: true });
  const cli = await build({ ...common, entryPoints: ['server/cli.ts'], outdir, splitting: true, entryNames: '[name]', chunkNames: '[name]-[hash]' });
  const child = await build({ ...common, entryPoints: ['server/sandbox/child.ts'], outfile: join(outdir, 'child.js') });
  cpSync(join(root, 'server/store/migrations'), join(outdir, 'migrations'), { recursive: true });
  const inputs = [...new Set([...Object.keys(cli.metafile.inputs), ...Object.keys(child.metafile.inputs), 'server/store/migrations'])].sort();
  writeFileSync(join(outdir, INPUTS), JSON.stringify({ inputs }));
}

/** Whether dist/ must be rebuilt: missing, or a source it was built from (or the build's own setup) changed since. */
export function serverIsStale(root = ROOT) {
  const dist = join(root, 'dist');
  const record = join(dist, INPUTS);
  if (!existsSync(record)) return true;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(record, 'utf8')).inputs;
  } catch {
    return true;
  }
  if (!Array.isArray(inputs) || inputs.some((f) => typeof f !== 'string' || !existsSync(join(root, f)))) return true;
  const setup = ['scripts/build-server.mjs', 'package.json', 'package-lock.json'];
  return isStale(['cli.js', 'child.js', INPUTS].map((f) => join(dist, f)), [...inputs, ...setup].map((f) => join(root, f)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
