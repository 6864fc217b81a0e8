/** A recording HTTP receiver on 127.0.0.1 for outgoing-HTTP tests: every request is kept, the handler decides the answer. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface Received {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Date.now() when the request line arrived. */
  at: number;
}

export type Handler = (req: Received, res: ServerResponse, n: number) => unknown;

export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  requests: Received[];
  close(): Promise<void>;
}

const flat = (req: IncomingMessage): Record<string, string> =>
  Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));

/** Starts a receiver; by default it answers 200 `{"ok":true}`. */
export async function startReceiver(handler: Handler = (_r, res) => { res.setHeader('content-type', 'application/json'); res.end('{"ok":true}'); }): Promise<Receiver> {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: flat(req), body: Buffer.concat(chunks).toString('utf8'), at };
      requests.push(r);
      void Promise.resolve(handler(r, res, requests.length)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`, port, requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
