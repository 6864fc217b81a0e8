// Bundles the server and the sandbox child into dist/ with esbuild (dependencies stay in node_modules),
// so `npm start` does not compile TypeScript at start-up. Migrations are copied beside the bundle.
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', sourcemap: 'linked', logLevel: 'warning', absWorkingDir: root };
rmSync(`${root}/dist`, { recursive: true, force: true });
await build({ ...common, entryPoints: ['server/cli.ts'], outfile: 'dist/cli.js' });
await build({ ...common, entryPoints: ['server/sandbox/child.ts'], outfile: 'dist/child.js' });
cpSync(`${root}/server/store/migrations`, `${root}/dist/migrations`, { recursive: true });
