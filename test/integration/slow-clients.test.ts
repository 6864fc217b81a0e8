/** W-16: slow clients are cut off by the header and request timeouts, and do not stop other webhooks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, post } from '../helpers/flows.js';

function slowSocket(url: string, first: string, drip: string): { socket: Socket; closedAt: Promise<number>; stop(): void } {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const started = Date.now();
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  socket.write(first);
  const timer = setInterval(() => { if (!socket.destroyed) socket.write(drip); }, 150);
  const closedAt = new Promise<number>((resolve) => socket.on('close', () => { clearInterval(timer); resolve(Date.now() - started); }));
  return { socket, closedAt, stop: () => { clearInterval(timer); socket.destroy(); } };
}

describe('slow clients (W-16)', () => {
  let t: TestApp;
  let hook: string;
  beforeAll(async () => {
    t = await startTestApp({}, undefined, { timeouts: { headersTimeout: 1000, requestTimeout: 2000 } });
    hook = (await activeFlow(t, [{ id: 'hook', type: 'webhook', params: {} }], [])).hook;
  });
  afterAll(async () => { await t.close(); });

  it('closes a connection whose headers drip in past headersTimeout', async () => {
    const path = new URL(hook).pathname;
    const s = slowSocket(t.url, `POST ${path} HTTP/1.1\r\nHost: x\r\n`, 'X');
    const ms = await s.closedAt;
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(4000);
  });

  it('closes a connection whose body drips in past requestTimeout', async () => {
    const path = new URL(hook).pathname;
    const s = slowSocket(t.url, `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"a":"`, 'x');
    const ms = await s.closedAt;
    expect(ms).toBeGreaterThanOrEqual(1800);
    expect(ms).toBeLessThan(5000);
  });

  it('keeps answering normal webhooks while 50 slow sockets are open', async () => {
    const path = new URL(hook).pathname;
    const slow = Array.from({ length: 50 }, () => slowSocket(t.url, `POST ${path} HTTP/1.1\r\nHost: x\r\n`, 'X'));
    try {
      for (let i = 0; i < 5; i++) expect((await post(hook, '{}')).status).toBe(202);
    } finally {
      for (const s of slow) s.stop();
    }
  });
});
