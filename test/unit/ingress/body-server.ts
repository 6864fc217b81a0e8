/** Test harness: a real node:http server on 127.0.0.1 that answers with readBody's outcome, and a raw client. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { isIngressError } from '../../../server/ingress/ingress-error.js';
import { readBody } from '../../../server/ingress/read-body.js';

/** What readBody did with one request, as seen inside the server. */
export type Outcome = { ok: true; body: Buffer } | { ok: false; error: unknown };

export interface BodyServer {
  port: number;
  /** Resolves with the next request's outcome (in arrival order). */
  nextOutcome(): Promise<Outcome>;
  /** Resolves when the next request's head has reached the handler (call before sending). */
  requestArrived(): Promise<void>;
  close(): Promise<void>;
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Resolves when the client's socket is closed (by either side). */
  socketClosed: Promise<void>;
}

export interface SendOptions {
  headers?: http.OutgoingHttpHeaders;
  /** The body; `'headers-only'` sends the head and waits for the answer without writing any body byte. */
  body?: Buffer | 'headers-only';
  agent: http.Agent;
  /** @default 'POST' */
  method?: string;
}

/** Starts a server whose handler is exactly what the hooks router does with readBody's result. */
export async function startBodyServer(maxBytes: number): Promise<BodyServer> {
  const outcomes: Outcome[] = [];
  const waiters: Array<(o: Outcome) => void> = [];
  const record = (o: Outcome): void => {
    const waiter = waiters.shift();
    if (waiter !== undefined) waiter(o);
    else outcomes.push(o);
  };
  const server = http.createServer((req, res) => {
    readBody(req, { maxBytes }).then(
      (body) => {
        record({ ok: true, body });
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
      },
      (error: unknown) => {
        record({ ok: false, error });
        const status = isIngressError(error) ? error.status : 500;
        const payload = isIngressError(error) ? error.toBody() : { error: { code: 'internal', message: 'x' } };
        const headers = isIngressError(error) ? error.headers : undefined;
        if (!res.destroyed) res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
      },
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    requestArrived: () => once(server, 'request').then(() => undefined),
    nextOutcome: () => {
      const ready = outcomes.shift();
      return ready !== undefined ? Promise.resolve(ready) : new Promise((resolve) => waiters.push(resolve));
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** One POST through `agent` (use a keep-alive agent, so a `Connection: close` answer is the server's choice). */
export function send(port: number, opts: SendOptions): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let socketClosed: Promise<void> = Promise.resolve();
    const { headers, agent } = opts;
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'POST', path: '/hooks/t', headers, agent });
    req.on('socket', (socket) => {
      socketClosed = once(socket, 'close').then(() => undefined);
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        if (opts.body === 'headers-only') req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), socketClosed });
      });
    });
    if (opts.body === 'headers-only') req.flushHeaders();
    else req.end(opts.body);
  });
}

/** Streams `totalBytes` zeros through gzip: 1 GiB becomes ≈1 MB, the W-11 compression bomb. */
export async function gzipZeros(totalBytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const out: Buffer[] = [];
  gzip.on('data', (c: Buffer) => out.push(c));
  const chunk = Buffer.alloc(1 << 20);
  for (let written = 0; written < totalBytes; written += chunk.length) {
    if (!gzip.write(chunk)) await once(gzip, 'drain');
  }
  gzip.end();
  await once(gzip, 'end');
  return Buffer.concat(out);
}

export function errorCode(outcome: Outcome): string | undefined {
  return !outcome.ok && isIngressError(outcome.error) ? outcome.error.code : undefined;
}
