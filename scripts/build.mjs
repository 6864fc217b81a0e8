// `npm run build` builds the server bundle (dist/) and the editor (web/dist). With --if-stale (`npm start`), each is
// built only when missing or older than its sources, so a start on an unchanged checkout builds nothing.
import { buildServer, serverIsStale } from './build-server.mjs';
import { buildWeb, webIsStale } from './build-web.mjs';

const ifStale = process.argv.includes('--if-stale');
const timed = async (what, fn) => {
  const t0 = Date.now();
  process.stdout.write(`building ${what}… `);
  await fn();
  process.stdout.write(`${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
};

try {
  if (!ifStale || serverIsStale()) await timed('the server (dist/)', () => buildServer());
  if (!ifStale || webIsStale()) await timed('the editor (web/dist)', () => buildWeb());
} catch (e) {
  process.stdout.write('\n');
  process.stderr.write(`build failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
