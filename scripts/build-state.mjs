// When a build is stale: an output is missing, or an input (file or folder, walked) is newer than the oldest output.
// Used by scripts/build.mjs --if-stale (npm start), scripts/package.mjs and the tests' global setup.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time (ms) under `paths`; a missing path counts as 0. */
export function newestMtime(paths) {
  let newest = 0;
  for (const p of paths) {
    if (!existsSync(p)) continue;
    const s = statSync(p);
    if (!s.isDirectory()) newest = Math.max(newest, s.mtimeMs);
    else newest = Math.max(newest, newestMtime(readdirSync(p).map((f) => join(p, f))));
  }
  return newest;
}

/** True when any of `outputs` is missing, or the newest of `inputs` is newer than the oldest output. */
export function isStale(outputs, inputs) {
  if (outputs.length === 0 || !outputs.every((o) => existsSync(o))) return true;
  const oldestOutput = Math.min(...outputs.map((o) => statSync(o).mtimeMs));
  return newestMtime(inputs) > oldestOutput;
}
