import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { NodeError, type HttpRequest } from '../../../nodes/contract.js';
import { createHttpClient } from '../../../server/adapters/http-client.js';
import { startReceiver, type Handler, type Receiver } from '../../helpers/http-receiver.js';

// Loopback receivers only; the guard is lifted (allowPrivateNetworks) because these tests are about the transport.
const client = createHttpClient({ allowPrivateNetworks: true });
const req = (url: string, over: Partial<HttpRequest> = {}): HttpRequest =>
  ({ method: 'GET', url, headers: {}, timeoutMs: 3000, maxResponseBytes: 1024 * 1024, followRedirects: false, ...over });
const failure = (p: Promise<unknown>): Promise<NodeError> =>
  p.then(() => { throw new Error('expected the request to fail'); }, (e: unknown) => { if (!(e instanceof NodeError)) throw e; return e; });

/** Writes 64 KiB chunks until the client goes away or 64 MiB were sent; records what happened. */
function endless(state: { sent: number; closed: boolean }): Handler {
  return (_r, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(64 * 1024, 1);
    res.on('close', () => { state.closed = true; });
    const pump = (): void => {
      while (!res.destroyed && state.sent < 64 * 1024 * 1024) {
        state.sent += chunk.length;
        if (!res.write(chunk)) { res.once('drain', pump); return; }
      }
    };
    pump();
  };
}

describe('http client: transport limits', () => {
  const open: Receiver[] = [];
  const receiver = async (h?: Handler) => { const r = await startReceiver(h); open.push(r); return r; };
  afterEach(async () => { await Promise.all(open.splice(0).map((r) => r.close())); });

  it('sends method, headers and body, and captures status, lower-cased headers and body bytes', async () => {
    const rx = await receiver((_r, res) => {
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.setHeader('X-Reply', 'yes');
      res.statusCode = 201;
      res.end(Buffer.from([0, 1, 2, 255]));
    });
    const res = await client.request(req(`${rx.url}/p?q=1`, { method: 'post', headers: { 'X-Custom': 'v' }, body: '{"a":1}' }));
    expect(res.status).toBe(201);
    expect(res.headers['x-reply']).toBe('yes');
    expect(res.headers['set-cookie']).toBe('a=1, b=2');
    expect(Array.from(res.body)).toEqual([0, 1, 2, 255]);
    expect(rx.requests[0]).toMatchObject({ method: 'POST', url: '/p?q=1', body: '{"a":1}', headers: { 'x-custom': 'v', 'content-length': '7' } });
  });

  it('H-9: aborts a response that streams past maxResponseBytes (permanent http_response_too_large)', async () => {
    const state = { sent: 0, closed: false };
    const rx = await receiver(endless(state));
    const e = await failure(client.request(req(rx.url, { maxResponseBytes: 200_000 })));
    expect(e).toMatchObject({ code: 'http_response_too_large', retryable: false });
    await expect.poll(() => state.closed).toBe(true);
    expect(state.sent).toBeLessThan(16 * 1024 * 1024); // the stream was cut off, not read to the end
  });

  it('H-9: refuses a declared Content-Length above the cap without reading the body', async () => {
    const rx = await receiver((_r, res) => { res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) }); res.write('x'); });
    const e = await failure(client.request(req(rx.url, { maxResponseBytes: 1024 })));
    expect(e.code).toBe('http_response_too_large');
  });

  it('H-10: headers that do not come within the headers timeout → retryable http_timeout', async () => {
    const rx = await receiver(() => undefined); // never answers
    const started = Date.now();
    const e = await failure(createHttpClient({ allowPrivateNetworks: true, headersTimeoutMs: 200 }).request(req(rx.url)));
    expect(e).toMatchObject({ code: 'http_timeout', retryable: true });
    expect(e.message).toContain('no response headers within 200 ms');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('H-10: a body dripping 1 byte at a time is cut at the total deadline (timeoutMs)', async () => {
    const rx = await receiver((_r, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write('x')), 50);
    });
    const started = Date.now();
    const e = await failure(client.request(req(rx.url, { timeoutMs: 400 })));
    expect(e).toMatchObject({ code: 'http_timeout', retryable: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a name that never resolves hits the connect timeout', async () => {
    const hanging = createHttpClient({ allowPrivateNetworks: true, connectTimeoutMs: 150, resolver: () => new Promise(() => undefined) });
    const e = await failure(hanging.request(req('http://never.test/')));
    expect(e).toMatchObject({ code: 'http_timeout', retryable: true });
    expect(e.message).toContain('no connection within 150 ms');
  });

  it('a refused connection is a retryable http_network with the system code', async () => {
    const rx = await receiver();
    const url = rx.url;
    await open.pop()?.close();
    const e = await failure(client.request(req(url)));
    expect(e).toMatchObject({ code: 'http_network', retryable: true, details: { code: 'ECONNREFUSED' } });
  });

  it('stops when the caller aborts (retryable http_aborted)', async () => {
    const rx = await receiver(() => undefined);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const e = await failure(client.request(req(rx.url, { signal: ac.signal })));
    expect(e).toMatchObject({ code: 'http_aborted', retryable: true });
  });

  it('error messages name the origin, never the path or query (they may hold secrets)', async () => {
    const rx = await receiver(() => undefined);
    const e = await failure(client.request(req(`${rx.url}/hook?token=s3cr3t`, { timeoutMs: 150 })));
    expect(e.message).toContain(rx.url);
    expect(e.message).not.toContain('s3cr3t');
  });

  it('a header value node:http refuses to send is a permanent invalid_request', async () => {
    const rx = await receiver();
    const e = await failure(client.request(req(rx.url, { headers: { 'x-bad': 'a\r\nInjected: 1' } })));
    expect(e).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(rx.requests).toHaveLength(0);
  });
});
