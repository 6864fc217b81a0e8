/** Entry of the single binary (`npm run package`): extract the embedded assets, then run the sandbox child or the CLI. */
import { extractSeaAssets } from './sea-assets.js';
import { isSandboxChildInvocation } from './sea-child.js';

function fail(e: unknown): void {
  process.stderr.write(`hookflow: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

// The child only loads what its parent has already extracted; the parent extracts before any module needs a file.
if (isSandboxChildInvocation(process.argv)) {
  import('../sandbox/child.js').catch(fail);
} else {
  try {
    extractSeaAssets(process.env);
    import('../cli.js').catch(fail);
  } catch (e) {
    fail(e);
  }
}
