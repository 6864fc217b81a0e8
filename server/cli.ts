/**
 * Command-line entry (`dist/cli.js` once bundled). It checks the Node.js version before anything else loads: static
 * imports are hoisted and evaluated first, so the CLI (and with it better-sqlite3 and express) is imported
 * dynamically, only once the version passed. On an unsupported Node it prints one line and exits 78 (EX_CONFIG).
 */
import { unsupportedNode } from './runtime/node-version.js';
import { enableCompileCache } from './runtime/compile-cache.js';

const problem = unsupportedNode(process.versions.node);
if (problem !== undefined) {
  process.stderr.write(`hookflow: ${problem}\n`);
  process.exit(78);
}
enableCompileCache();
import('./cli/main.js').catch((e: unknown) => {
  process.stderr.write(`hookflow: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
