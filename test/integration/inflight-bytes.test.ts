// W-28: request bytes held by all webhooks at once are bounded instance-wide: past HOOKFLOW_MAX_INFLIGHT_BYTES, 503 + Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, post } from '../helpers/flows.js';
import { createInflightBudget } from '../../server/ingress/inflight-budget.js';

const KB = 1024;

/** Starts a POST that declares `size` bytes (or none: chunked) and sends only `first` of them until `finish` is called. */
function slowUpload(url: string, size: number, first: number, declare = true) {
  const u = new URL(url);
  let answer!: Promise<IncomingMessage>;
  const req: ClientRequest = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST',
    headers: { 'content-type': 'application/json', ...(declare ? { 'content-length': String(size) } : {}) } });
  answer = new Promise((resolve, reject) => { req.on('response', resolve); req.on('error', reject); });
  answer.catch(() => undefined);
  const body = Buffer.from(JSON.stringify({ pad: 'x'.repeat(size - 10) }));
  req.write(body.subarray(0, first));
  return {
    answer,
    finish: () => { req.end(body.subarray(first)); return answer; },
    abort: () => req.destroy(),
  };
}
const statusOf = async (p: Promise<IncomingMessage>) => { const r = await p; r.resume(); return r.statusCode; };

describe('in-flight request bytes (W-28)', () => {
  let t: TestApp;
  let hook: string;
  beforeAll(async () => {
    t = await startTestApp({ HOOKFLOW_MAX_INFLIGHT_BYTES: String(256 * KB) });
    hook = (await activeFlow(t, [{ id: 'hook', type: 'webhook', params: {} }], [])).hook;
  });
  afterAll(async () => { await t.close(); });

  it('W-28: while two 100 KB uploads are in flight, a third that declares 100 KB gets 503 with Retry-After and stores nothing', async () => {
    const before = (await t.api('GET', '/api/executions')).body.total;
    const a = slowUpload(hook, 100 * KB, 10 * KB);
    const b = slowUpload(hook, 100 * KB, 10 * KB);
    await new Promise((r) => setTimeout(r, 300)); // both are being read
    const refused = await post(hook, JSON.stringify({ pad: 'y'.repeat(100 * KB - 11) }));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await refused.json()).error.code).toBe('server_busy');
    // Small webhooks still fit beside them.
    expect((await post(hook, '{"small":true}')).status).toBe(202);
    expect(await statusOf(a.finish())).toBe(202);
    expect(await statusOf(b.finish())).toBe(202);
    // Answered requests give their bytes back.
    expect((await post(hook, JSON.stringify({ pad: 'z'.repeat(100 * KB - 11) }))).status).toBe(202);
    expect((await t.api('GET', '/api/executions')).body.total).toBe(before + 4);
  });

  it('W-28: a chunked body (no Content-Length) is counted as it arrives and cut off at the bound', async () => {
    const held = slowUpload(hook, 200 * KB, 190 * KB);
    await new Promise((r) => setTimeout(r, 300));
    const chunked = slowUpload(hook, 120 * KB, 120 * KB, false);
    expect(await statusOf(chunked.finish())).toBe(503);
    expect(await statusOf(held.finish())).toBe(202);
  });

  it('the budget: a lone request always fits; releases give bytes back', () => {
    const b = createInflightBudget(100);
    const big = b.lease();
    expect(big.grow(500)).toBe(true); // alone: admitted even over the bound
    const small = b.lease();
    expect(small.grow(1)).toBe(false);
    big.release();
    expect(small.grow(60)).toBe(true);
    expect(b.lease().grow(50)).toBe(false);
    small.release();
    small.release();
    expect(b.used()).toBe(0);
  });
});
