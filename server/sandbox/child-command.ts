/** Locates the sandbox child entry and the node flags it needs: always --no-node-snapshot, plus the tsx loader for a .ts entry. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isSea } from '../runtime/sea-assets.js';
import { seaChildCommand } from '../runtime/sea-child.js';

export interface ChildCommand {
  modulePath: string;
  /** Built from scratch: the parent's own execArgv (e.g. a test runner's) is never inherited. */
  execArgv: string[];
  /** The child's whole environment; none of the host's (secrets). @default {} */
  env?: Record<string, string>;
}

/** In the single binary, the binary itself; else prefers a compiled `child.js` beside this module (bundled builds), else runs `child.ts` through tsx. */
export function childCommand(): ChildCommand {
  // The single binary forks itself: there is no child.js on disk and no node to run it with.
  if (isSea()) return seaChildCommand();
  const js = fileURLToPath(new URL('./child.js', import.meta.url));
  if (existsSync(js)) return { modulePath: js, execArgv: ['--no-node-snapshot'] };
  const ts = fileURLToPath(new URL('./child.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { modulePath: ts, execArgv: ['--no-node-snapshot', '--import', tsx] };
}
