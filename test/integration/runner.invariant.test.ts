/**
 * The README's order example with the fulfilment URL unreachable and SMTP down: the http step fails after its
 * attempts and the execution fails; the email step parked on the parallel branch must end `canceled` with the
 * reason, never stay `retrying` in a finished execution (issue 11, part 3).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { finished } from '../helpers/flows.js';
import { freePort } from '../helpers/child-server.js';

const SHOP_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('a failed execution leaves no parked step behind', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' }); });
  afterAll(async () => { await t.close(); });

  it('cancels the email step still retrying when the http step fails for good (README order example)', async () => {
    const deadPort = await freePort(); // nothing listens: the fulfilment URL is unreachable
    const smtpDown = await freePort(); // nothing listens: SMTP is down
    const shop = (await t.api('POST', '/api/credentials', { name: 'shop', type: 'standard-webhooks', data: { secret: SHOP_SECRET } })).body;
    const smtp = (await t.api('POST', '/api/credentials', { name: 'smtp', type: 'smtp', data: { host: '127.0.0.1', port: smtpDown, secure: false } })).body;
    const fulfil = (await t.api('POST', '/api/credentials', { name: 'fulfil', type: 'standard-webhooks', data: { secret: 'whsec_c2VjcmV0LWZvci1mdWxmaWxtZW50LTAx' } })).body;
    await t.api('PUT', '/api/inventory/MUG-1', { name: 'Mug', quantity: 5 });
    const flow = JSON.parse(readFileSync(new URL('../../examples/order-to-inventory.json', import.meta.url), 'utf8')
      .replaceAll('cred_shop_webhook', shop.id).replaceAll('cred_smtp', smtp.id).replaceAll('cred_fulfilment', fulfil.id)
      .replace('https://fulfilment.example.test/orders', `http://127.0.0.1:${deadPort}/orders`));
    // The http step gives up after 5 quick attempts while the email step waits a minute between its attempts.
    for (const n of flow.nodes) {
      if (n.type === 'http') n.retry = { maxAttempts: 5, initialDelayMs: 20, maxDelayMs: 20, jitter: 0 };
      if (n.type === 'email') n.retry = { maxAttempts: 5, initialDelayMs: 60_000, maxDelayMs: 60_000, jitter: 0 };
    }
    const created = await t.api('POST', '/api/flows', { ...flow, active: true });
    expect(created.status).toBe(201);
    const body = JSON.stringify({ id: 'o-1', customer: { email: 'ann@example.test', name: 'Ann' }, items: [{ sku: 'MUG-1', qty: 1, price: 12.5 }] });
    const now = new Date();
    const res = await fetch(created.body.webhook.url, {
      method: 'POST', body,
      headers: { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(SHOP_SECRET).sign('msg_1', now, body) },
    });
    expect(res.status).toBe(202);
    const e = await finished(t, (await res.json()).executionId, 20_000);
    expect(e.status).toBe('failed');
    expect(e.error).toMatchObject({ nodeId: 'fulfil' });
    const byId = new Map(e.steps.map((s: { nodeId: string }) => [s.nodeId, s]));
    expect(byId.get('fulfil')).toMatchObject({ status: 'failed', attempts: 5 });
    const confirm = byId.get('confirm') as { status: string; dueAt?: number; error?: { code: string; message: string } };
    expect(confirm.status).toBe('canceled');
    expect(confirm.dueAt).toBeUndefined();
    expect(confirm.error?.code).toBe('canceled');
    expect(confirm.error?.message).toMatch(/fulfil/);
    for (const s of e.steps) expect(['queued', 'running', 'waiting', 'retrying']).not.toContain(s.status);
  }, 30_000);
});
