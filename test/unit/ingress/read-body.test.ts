/** readBody against a real node:http server on loopback: limits, encodings, aborts. */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorCode, send, startBodyServer, type BodyServer } from './body-server.js';

const LIMIT = 1000;
let server: BodyServer;
let agent: http.Agent;

beforeEach(async () => {
  server = await startBodyServer(LIMIT);
  agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
});
afterEach(async () => {
  agent.destroy();
  await server.close();
});

const payload = (n: number): Buffer => Buffer.alloc(n, 'a');

describe('readBody limits (W-10)', () => {
  it('returns a body of exactly the limit and keeps the connection alive', async () => {
    const reply = await send(server.port, { agent, body: payload(LIMIT) });
    expect(reply.status).toBe(200);
    expect(reply.body.equals(payload(LIMIT))).toBe(true);
    expect(reply.headers.connection).toBe('keep-alive');
  });

  it('answers 413 to limit + 1 bytes sent chunked (counted while streaming) and closes the connection', async () => {
    const reply = await send(server.port, { agent, body: payload(LIMIT + 1), headers: { 'transfer-encoding': 'chunked' } });
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body.toString())).toEqual({
      error: { code: 'payload_too_large', message: expect.any(String), details: { maxBytes: LIMIT } },
    });
    expect(reply.headers.connection).toBe('close');
    await reply.socketClosed; // the server hangs up after the answer
    expect(errorCode(await server.nextOutcome())).toBe('payload_too_large');
  });

  it('stops at limit + 1 even when the body keeps coming in many small chunks', async () => {
    const big = payload(50 * LIMIT);
    const reply = await send(server.port, { agent, body: big, headers: { 'transfer-encoding': 'chunked' } });
    expect(reply.status).toBe(413);
  });

  it('answers 413 from Content-Length alone, without reading a byte of the body', async () => {
    // Only the head is sent: the answer can come only if readBody did not wait for the body.
    const reply = await send(server.port, { agent, body: 'headers-only', headers: { 'content-length': String(10 * 1024 * 1024) } });
    expect(reply.status).toBe(413);
    expect(reply.headers.connection).toBe('close');
    const outcome = await server.nextOutcome();
    expect(outcome.ok === false && outcome.error).toMatchObject({ status: 413, closeConnection: true });
  });

  it('returns an empty Buffer for an empty body, and for a GET without one', async () => {
    const reply = await send(server.port, { agent, body: Buffer.alloc(0) });
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(0);
    const get = await send(server.port, { agent, method: 'GET' });
    expect(get.status).toBe(200);
    expect(get.body.length).toBe(0);
  });
});

describe('readBody Content-Encoding', () => {
  const json = Buffer.from(JSON.stringify({ order: 42, items: Array.from({ length: 20 }, (_, i) => ({ sku: `S${i}` })) }));
  const cases: Array<[string, Buffer]> = [
    ['gzip', gzipSync(json)],
    ['x-gzip', gzipSync(json)],
    ['GZIP', gzipSync(json)],
    ['deflate', deflateSync(json)],
    ['br', brotliCompressSync(json)],
    ['identity', json],
    [' Identity ', json],
  ];
  it.each(cases)('decodes %s', async (encoding, wire) => {
    const reply = await send(server.port, { agent, body: wire, headers: { 'content-encoding': encoding } });
    expect(reply.status).toBe(200);
    expect(reply.body.equals(json)).toBe(true);
  });

  it('applies the limit after decompression: limit bytes pass, limit + 1 → 413', async () => {
    const ok = await send(server.port, { agent, body: gzipSync(payload(LIMIT)), headers: { 'content-encoding': 'gzip' } });
    expect(ok.status).toBe(200);
    const over = gzipSync(payload(LIMIT + 1));
    expect(over.length).toBeLessThan(LIMIT); // small on the wire: only the inflated size can trip the limit
    const reply = await send(server.port, { agent, body: over, headers: { 'content-encoding': 'gzip' } });
    expect(reply.status).toBe(413);
    expect(reply.headers.connection).toBe('close');
  });

  it('applies the limit after brotli and deflate too', async () => {
    for (const [encoding, wire] of [['br', brotliCompressSync(payload(5 * LIMIT))], ['deflate', deflateSync(payload(5 * LIMIT))]] as const) {
      const reply = await send(server.port, { agent: new http.Agent(), body: wire, headers: { 'content-encoding': encoding } });
      expect(reply.status).toBe(413);
    }
  });

  it('applies the limit to the compressed bytes on the wire as well', async () => {
    const noise = gzipSync(randomBytes(4 * LIMIT)); // incompressible
    expect(noise.length).toBeGreaterThan(LIMIT);
    const reply = await send(server.port, { agent, body: noise, headers: { 'content-encoding': 'gzip', 'transfer-encoding': 'chunked' } });
    expect(reply.status).toBe(413);
  });

  it.each(['compress', 'zstd', 'gzip, br', 'deflate;q=1'])('answers 415 to Content-Encoding %j without reading', async (encoding) => {
    const reply = await send(server.port, { agent, body: 'headers-only', headers: { 'content-encoding': encoding, 'content-length': '10' } });
    expect(reply.status).toBe(415);
    expect(JSON.parse(reply.body.toString()).error.code).toBe('unsupported_content_encoding');
    expect(reply.headers.connection).toBe('close');
  });

  it('answers 400 to corrupt gzip', async () => {
    const corrupt = gzipSync(json);
    corrupt.fill(0x55, 10, 30); // keep the gzip header, scramble the deflate stream
    const reply = await send(server.port, { agent, body: corrupt, headers: { 'content-encoding': 'gzip' } });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body.toString()).error.code).toBe('invalid_content_encoding');
  });

  it('answers 400 to truncated gzip and to bytes that are not gzip at all', async () => {
    const whole = gzipSync(json);
    for (const body of [whole.subarray(0, whole.length - 12), json]) {
      const reply = await send(server.port, { agent: new http.Agent(), body, headers: { 'content-encoding': 'gzip' } });
      expect(reply.status).toBe(400);
    }
  });

  it('treats an empty body with Content-Encoding gzip as empty, not corrupt', async () => {
    const reply = await send(server.port, { agent, body: Buffer.alloc(0), headers: { 'content-encoding': 'gzip' } });
    expect(reply.status).toBe(200);
    expect(reply.body.length).toBe(0);
  });
});

describe('readBody client aborts', () => {
  it.each([
    ['identity', {}],
    ['gzip', { 'content-encoding': 'gzip' }],
  ])('rejects with request_aborted when the client goes away mid-body (%s), without unhandled errors', async (_name, extra) => {
    const req = http.request({
      host: '127.0.0.1',
      port: server.port,
      method: 'POST',
      headers: { 'content-length': '900', ...extra },
      agent: false,
    });
    const clientError = new Promise((resolve) => req.on('error', resolve)); // the client side of the abort
    const arrived = server.requestArrived();
    req.write(gzipSync(payload(200)).subarray(0, 20)); // inflates to < 200 bytes: under the limit
    await arrived;
    req.destroy();
    expect(errorCode(await server.nextOutcome())).toBe('request_aborted');
    await clientError;
  });
});
