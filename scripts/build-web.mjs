// Builds the editor (web/) into web/dist with Vite; `npm run build`, `npm start` (when stale) and the tests call it.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale } from './build-state.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Builds `<root>/web` into `outDir` (default: web/dist, as the vite config says). */
export async function buildWeb({ root = ROOT, outDir } = {}) {
  // What npm start serves is the production build, also when the caller's NODE_ENV says otherwise (vitest: "test");
  // restored afterwards, since bin/hookflow.js goes on to run the server in this process.
  const before = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    const { build } = await import('vite');
    const web = join(root, 'web');
    await build({ root: web, configFile: join(web, 'vite.config.mts'), logLevel: 'warn', ...(outDir ? { build: { outDir, emptyOutDir: true } } : {}) });
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}

/** Whether web/dist must be rebuilt: missing, or older than the editor's sources, its build setup or the dependencies. */
export function webIsStale(root = ROOT) {
  const sources = ['web/src', 'web/index.html', 'web/vite.config.mts', 'web/public', 'scripts/build-web.mjs', 'package-lock.json'];
  return isStale([join(root, 'web/dist/index.html')], sources.map((p) => join(root, p)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildWeb();
