#!/usr/bin/env node
// The `hookflow` command (package.json "bin"): `npx hookflow …` in a checkout, `hookflow …` after `npm install -g`.
// In a checkout (build scripts and dev dependencies present) it first brings dist/ up to date, and web/dist too
// when the command serves the editor, exactly like `npm start` (progress on stderr, so stdout stays the command's);
// in an installed package dist/ and web/dist ship prebuilt. Then it runs dist/cli.js in this same process: the
// server process never loads isolated-vm, and the sandbox child it forks gets --no-node-snapshot itself.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = `${root}dist/cli.js`;
const buildScript = `${root}scripts/build.mjs`;
const canBuild = (() => {
  try {
    createRequire(`${root}package.json`).resolve('esbuild');
    return existsSync(buildScript);
  } catch {
    return false;
  }
})();

const [command = 'start'] = process.argv.slice(2);
const serves = command === 'start';
if (canBuild) {
  try {
    const { build } = await import(pathToFileURL(buildScript).href);
    await build({ ifStale: true, web: serves, out: process.stderr });
  } catch (e) {
    process.stderr.write(`hookflow: build failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
if (!existsSync(cli)) {
  process.stderr.write(`hookflow: ${cli} is missing: run \`npm run build\` in ${root} first\n`);
  process.exit(1);
}
await import(pathToFileURL(cli).href);
