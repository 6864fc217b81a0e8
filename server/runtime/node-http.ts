/**
 * `node:http` loaded through `require`. An ESM import of `node:http` makes Node build the module's ESM facade, which
 * reads every export, and since Node 22 some of those are lazy getters that load all of undici (fetch, WebSocket):
 * about a fifth of the server's time to ready, for nothing it uses at start. Import createServer / request from here.
 */
import { createRequire } from 'node:module';

const http = createRequire(import.meta.url)('node:http') as typeof import('node:http');

export const createServer = http.createServer;
export const request = http.request;
