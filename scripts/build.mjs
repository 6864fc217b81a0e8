// `npm run build` builds the server bundle (dist/) and the editor (web/dist). With --if-stale (`npm start`), each is
// built only when missing or older than its sources, so a start on an unchanged checkout builds nothing.
// bin/hookflow.js calls `build()` too (progress on stderr there, so command output on stdout stays clean).
import { fileURLToPath } from 'node:url';
import { buildServer, serverIsStale } from './build-server.mjs';
import { buildWeb, webIsStale } from './build-web.mjs';

/** Builds the server and (unless `web: false`) the editor; with `ifStale`, only the parts whose sources changed. */
export async function build({ ifStale = false, web = true, out = process.stdout } = {}) {
  const timed = async (what, fn) => {
    const t0 = Date.now();
    out.write(`building ${what}… `);
    try {
      await fn();
    } catch (e) {
      out.write('\n');
      throw e;
    }
    out.write(`${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  };
  if (!ifStale || serverIsStale()) await timed('the server (dist/)', () => buildServer());
  if (web && (!ifStale || webIsStale())) await timed('the editor (web/dist)', () => buildWeb());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    await build({ ifStale: process.argv.includes('--if-stale') });
  } catch (e) {
    process.stderr.write(`build failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
