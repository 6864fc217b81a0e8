/** W-11: compression bombs are refused with 413 in bounded memory, on a real loopback server. */
import http from 'node:http';
import { brotliCompressSync, constants, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, gzipZeros, send, startBodyServer, type BodyServer } from './body-server.js';

const MiB = 1024 * 1024;
const LIMIT = MiB; // DESIGN §7 default body limit
let server: BodyServer;
let bomb: Buffer;

beforeAll(async () => {
  server = await startBodyServer(LIMIT);
  bomb = await gzipZeros(1024 * MiB); // 1 GiB of zeros → ≈1 MB of gzip
}, 60_000);
afterAll(() => server.close());

describe('compression bomb (W-11)', () => {
  it('answers 413 to 1 MB of gzip that inflates to 1 GiB, with RSS growth bounded', async () => {
    expect(bomb.length).toBeGreaterThan(900_000);
    expect(bomb.length).toBeLessThanOrEqual(LIMIT); // fits the wire limit: only the inflated size trips
    const agent = new http.Agent({ keepAlive: true });
    const before = process.memoryUsage().rss;
    const reply = await send(server.port, { agent, body: bomb, headers: { 'content-encoding': 'gzip' } });
    const after = process.memoryUsage().rss;
    agent.destroy();

    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body.toString()).error.code).toBe('payload_too_large');
    expect(reply.headers.connection).toBe('close');
    expect(errorCode(await server.nextOutcome())).toBe('payload_too_large');
    const growthMiB = (after - before) / MiB;
    console.log(`W-11 gzip bomb: ${bomb.length} bytes on the wire → 413; RSS ${(before / MiB).toFixed(1)} → ${(after / MiB).toFixed(1)} MiB (growth ${growthMiB.toFixed(1)} MiB)`);
    expect(growthMiB).toBeLessThan(64); // inflating it all would need > 1024 MiB
  });

  it('answers 413 to brotli and deflate bombs too', async () => {
    const zeros = Buffer.alloc(64 * MiB);
    const cases: Array<[string, Buffer]> = [
      ['br', brotliCompressSync(zeros, { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } })],
      ['deflate', deflateSync(zeros)],
    ];
    for (const [encoding, body] of cases) {
      const reply = await send(server.port, { agent: new http.Agent({ keepAlive: true }), body, headers: { 'content-encoding': encoding } });
      expect(reply.status).toBe(413);
      expect(errorCode(await server.nextOutcome())).toBe('payload_too_large');
    }
  });
});
