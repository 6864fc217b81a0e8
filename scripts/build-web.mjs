// Builds the editor (web/) into web/dist with Vite; `npm run build` and `npm start` call it.
import { build } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../web', import.meta.url));
await build({ root, configFile: `${root}/vite.config.mts`, logLevel: 'warn' });
