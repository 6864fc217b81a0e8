/**
 * examples/payment-callback.json end to end against real receivers on loopback: the PSP gets the resume URL, calls
 * back signed (Standard Webhooks), the shop hears "paid"; unsigned and repeated callbacks are refused; a payment
 * that never calls back expires through the timeout port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { eventually, startTestApp, type TestApp } from '../helpers/app.js';
import { finished, post } from '../helpers/flows.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';

const PSP_SECRET = 'whsec_cHNwLWNhbGxiYWNrLXNlY3JldC0wMDAwMDE=';

describe('payment completed by a callback (examples/payment-callback.json)', () => {
  let t: TestApp;
  let psp: Receiver;
  let shop: Receiver;
  beforeAll(async () => {
    t = await startTestApp({ HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' });
    psp = await startReceiver((_r, res, n) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ paymentId: `pay_${n}` })); });
    shop = await startReceiver();
  });
  afterAll(async () => { await t.close(); await psp.close(); await shop.close(); });

  const importExample = async (timeoutMs?: number): Promise<string> => {
    const cred = await t.api('POST', '/api/credentials', { name: 'psp callbacks', type: 'standard-webhooks', data: { secret: PSP_SECRET } });
    let text = readFileSync(new URL('../../examples/payment-callback.json', import.meta.url), 'utf8')
      .replaceAll('cred_psp_callbacks', cred.body.id).replaceAll('https://psp.example.test', psp.url).replaceAll('https://shop.example.test', shop.url);
    if (timeoutMs !== undefined) text = text.replace('"timeoutMs": 900000', `"timeoutMs": ${timeoutMs}`);
    const r = await t.api('POST', '/api/flows', JSON.parse(text));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.webhook.url as string;
  };

  const checkout = async (hook: string, orderId: string): Promise<string> => {
    const res = await post(hook, JSON.stringify({ orderId, amount: 4200, currency: 'EUR' }), { 'content-type': 'application/json', 'x-request-id': `req-${orderId}` });
    expect(res.status).toBe(202);
    return ((await res.json()) as { executionId: string }).executionId;
  };

  const signed = (body: string, id: string) => {
    const ts = new Date();
    return { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(ts.getTime() / 1000)), 'webhook-signature': new Webhook(PSP_SECRET).sign(id, ts, body) };
  };

  it('creates the payment with the resume URL, resumes on the signed callback, and tells the shop it is paid', async () => {
    const hook = await importExample();
    const id = await checkout(hook, 'ord-1');
    const created = await eventually(async () => psp.requests.find((r) => JSON.parse(r.body).reference === 'ord-1'));
    const { callbackUrl, amount, currency } = JSON.parse(created.body) as { callbackUrl: string; amount: number; currency: string };
    expect([amount, currency]).toEqual([4200, 'EUR']);
    expect(callbackUrl).toMatch(new RegExp(`/hooks/resume/${id}\\.paid\\.`));
    await eventually(async () => (await t.api('GET', `/api/executions/${id}`)).body.status === 'waiting');
    const body = JSON.stringify({ paymentId: 'pay_1', status: 'succeeded' });
    expect((await post(callbackUrl, body)).status).toBe(401);
    expect((await post(callbackUrl, body, signed(body, 'msg_1'))).status).toBe(202);
    expect((await post(callbackUrl, body, signed(body, 'msg_2'))).status).toBe(409);
    const e = await finished(t, id);
    expect(e.status).toBe('succeeded');
    const told = shop.requests.filter((r) => r.url.startsWith('/orders/ord-1/'));
    expect(told.map((r) => r.url)).toEqual(['/orders/ord-1/paid']);
    expect(JSON.parse(told[0].body)).toEqual({ paymentId: 'pay_1', amount: 4200 });
    expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'expire').status).toBe('skipped');
  });

  it('a declined payment goes to payment-failed', async () => {
    const hook = await importExample();
    const id = await checkout(hook, 'ord-2');
    const created = await eventually(async () => psp.requests.find((r) => JSON.parse(r.body).reference === 'ord-2'));
    const body = JSON.stringify({ paymentId: 'pay_2', status: 'declined' });
    expect((await post(JSON.parse(created.body).callbackUrl, body, signed(body, 'msg_3'))).status).toBe(202);
    await finished(t, id);
    expect(shop.requests.filter((r) => r.url.startsWith('/orders/ord-2/')).map((r) => [r.url, JSON.parse(r.body)])).toEqual([['/orders/ord-2/payment-failed', { reason: 'declined' }]]);
  });

  it('without a callback the order expires through the timeout port', async () => {
    const hook = await importExample(400);
    const id = await checkout(hook, 'ord-3');
    const e = await finished(t, id);
    expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'paid')).toMatchObject({ status: 'succeeded', port: 'timeout' });
    expect(shop.requests.filter((r) => r.url.startsWith('/orders/ord-3/')).map((r) => r.url)).toEqual(['/orders/ord-3/expired']);
  });
});
