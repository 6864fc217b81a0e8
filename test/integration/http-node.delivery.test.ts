import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { startReceiver, type Handler, type Receiver } from '../helpers/http-receiver.js';

// The receivers are on 127.0.0.1, so this server runs with HOOKFLOW_ALLOW_PRIVATE_NETWORKS=true.
// (http-node.guard.test.ts proves that without it the same deliveries are blocked.)
const hook = { id: 'hook', type: 'webhook', params: {} };
const fast = { initialDelayMs: 50, maxDelayMs: 5000, jitter: 0 };
type Step = { nodeId: string; status: string; attempts: number; output?: unknown };
type Attempt = { nodeId: string; status: string; errorCode?: string };

describe('http node delivering to a real receiver', () => {
  let t: TestApp;
  const receivers: Receiver[] = [];
  const receiver = async (h?: Handler) => { const r = await startReceiver(h); receivers.push(r); return r; };
  beforeAll(async () => { t = await startTestApp({ HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' }); });
  afterEach(async () => { await Promise.all(receivers.splice(0).map((r) => r.close())); });
  afterAll(async () => { await t.close(); });

  async function run(params: Record<string, unknown>, body: unknown = {}, retry: Record<string, unknown> = fast) {
    const f = await activeFlow(t, [hook, { id: 'call', type: 'http', params, retry }], [{ from: 'hook', to: 'call' }]);
    const accepted = await post(f.hook, JSON.stringify(body));
    const { executionId } = (await accepted.json()) as { executionId: string };
    const e = await finished(t, executionId, 15_000);
    const step = (e.steps as Step[]).find((s) => s.nodeId === 'call');
    const attempts = (e.attempts as Attempt[]).filter((a) => a.nodeId === 'call');
    return { e, step, attempts, executionId };
  }

  it('delivers a templated url, headers and body, and captures the response', async () => {
    const rx = await receiver((_r, res) => { res.setHeader('content-type', 'application/json'); res.end('{"accepted":true}'); });
    const { e, step, executionId } = await run({
      url: `${rx.url}/orders/{{ input.body.id }}?src=hookflow`,
      headers: { 'X-Order-Id': '{{ input.body.id }}', 'X-Shop': 'shop-{{ trigger.body.shop }}' },
      body: { order: '{{ input.body }}', total: '{{ input.body.total }}' },
    }, { id: 42, shop: 'eu', total: 9.5 });
    expect(e.status).toBe('succeeded');
    expect(rx.requests).toHaveLength(1);
    const got = rx.requests[0];
    expect(got).toMatchObject({ method: 'POST', url: '/orders/42?src=hookflow' });
    expect(got.headers).toMatchObject({
      'x-order-id': '42', 'x-shop': 'shop-eu', 'content-type': 'application/json', 'idempotency-key': `${executionId}:call`,
    });
    expect(JSON.parse(got.body)).toEqual({ order: { id: 42, shop: 'eu', total: 9.5 }, total: 9.5 });
    expect(step).toMatchObject({ status: 'succeeded', attempts: 1, output: { status: 200, body: { accepted: true } } });
  });

  it('H-11/H-14: a 503 twice then 200 → 3 attempts, one webhook-id, every signature verifying', async () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const cred = await t.api('POST', '/api/credentials', { name: 'fulfilment', type: 'standard-webhooks', data: { secret } });
    expect(cred.status).toBe(201);
    expect(JSON.stringify(cred.body)).not.toContain(secret.slice(6));
    const rx = await receiver((_r, res, n) => { res.statusCode = n < 3 ? 503 : 200; res.end(n < 3 ? 'busy' : 'ok'); });
    const { e, step, attempts, executionId } = await run({
      url: `${rx.url}/hook`, body: { id: 7 }, signing: { kind: 'standard-webhooks', credentialId: cred.body.id },
    });
    expect(e.status).toBe('succeeded');
    expect(step).toMatchObject({ attempts: 3, output: { status: 200, body: 'ok' } });
    expect(attempts.map((a) => [a.status, a.errorCode])).toEqual([['failed', 'http_status_503'], ['failed', 'http_status_503'], ['succeeded', undefined]]);
    expect(rx.requests).toHaveLength(3);
    expect(new Set(rx.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([`${executionId}:call`]));
    expect(new Set(rx.requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set([`${executionId}:call`]));
    for (const r of rx.requests) expect(new Webhook(secret).verify(r.body, r.headers)).toEqual({ id: 7 });
    expect(JSON.stringify(e)).not.toContain(secret.slice(6));
  });

  it('H-12: a 429 with Retry-After: 1 is retried no sooner than 1 s later', async () => {
    const rx = await receiver((_r, res, n) => {
      if (n === 1) { res.writeHead(429, { 'retry-after': '1' }); res.end(); } else res.end('ok');
    });
    const { e, step } = await run({ url: rx.url }, {}, { initialDelayMs: 20, maxDelayMs: 5000, jitter: 0 });
    expect(e.status).toBe('succeeded');
    expect(step?.attempts).toBe(2);
    expect(rx.requests[1].at - rx.requests[0].at).toBeGreaterThanOrEqual(1000);
  });

  it('H-13: a 400 is not retried: one attempt, the execution fails with http_status_400', async () => {
    const rx = await receiver((_r, res) => { res.statusCode = 400; res.end('{"error":"bad"}'); });
    const { e, attempts } = await run({ url: rx.url, body: { a: 1 } });
    expect(e.status).toBe('failed');
    expect(e.error).toMatchObject({ code: 'http_status_400', nodeId: 'call' });
    expect(attempts).toHaveLength(1);
    expect(rx.requests).toHaveLength(1);
  });

  it('H-9: a response streaming past maxResponseBytes fails permanently with http_response_too_large', async () => {
    const rx = await receiver((_r, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024);
      let sent = 0;
      const pump = (): void => {
        while (!res.destroyed && sent < 32 * 1024 * 1024) { sent += chunk.length; if (!res.write(chunk)) { res.once('drain', pump); return; } }
      };
      pump();
    });
    const { e, attempts } = await run({ url: rx.url, maxResponseBytes: 100_000 });
    expect(e.status).toBe('failed');
    expect(e.error).toMatchObject({ code: 'http_response_too_large' });
    expect(attempts).toHaveLength(1);
  });

  it('H-10: headers delayed past timeoutMs → a retryable http_timeout on every attempt', async () => {
    const rx = await receiver(() => undefined); // reads the request, never answers
    const started = Date.now();
    const { e, attempts } = await run({ url: rx.url, timeoutMs: 300 }, {}, { ...fast, maxAttempts: 2 });
    expect(e.status).toBe('failed');
    expect(attempts.map((a) => a.errorCode)).toEqual(['http_timeout', 'http_timeout']);
    expect(rx.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
