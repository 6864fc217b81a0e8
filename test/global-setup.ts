/**
 * Before any test file: bring dist/ and web/dist up to date (`scripts/build.mjs --if-stale`, as `npm start` does), so
 * browser tests never run a stale editor and tests that start the real entry (`npm start`, `npx hookflow`) find
 * nothing left to build while other tests read those folders.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export default function setup(): void {
  // vitest sets NODE_ENV=test, which would give React's development build: build what `npm start` serves.
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}
