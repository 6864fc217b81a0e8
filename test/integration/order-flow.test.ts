/**
 * The seed scenario end to end (examples/order-to-inventory.json) against a real SMTP server and a real
 * HTTP receiver on loopback — and across a SIGKILL between the inventory step and the email step.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Webhook } from 'standardwebhooks';
import { TEST_TOKEN } from '../helpers/app.js';
import { freePort, startChildServer, type ChildServer } from '../helpers/child-server.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

const SHOP_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const FULFIL_SECRET = 'whsec_c2VjcmV0LWZvci1mdWxmaWxtZW50LTAx';

interface Delivery { headers: Record<string, string>; body: string }

async function receiver(failFirst: number): Promise<{ url: string; deliveries: Delivery[]; server: Server }> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      deliveries.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(deliveries.length <= failFirst ? 503 : 200).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  return { url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/orders`, deliveries, server };
}

async function api(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function setUp(base: string, smtpPort: number, fulfilUrl: string): Promise<{ hook: string; flowId: string }> {
  const shop = await api(base, 'POST', '/api/credentials', { name: 'shop', type: 'standard-webhooks', data: { secret: SHOP_SECRET } });
  const smtp = await api(base, 'POST', '/api/credentials', { name: 'smtp', type: 'smtp', data: { host: '127.0.0.1', port: smtpPort, secure: false } });
  const fulfil = await api(base, 'POST', '/api/credentials', { name: 'fulfil', type: 'standard-webhooks', data: { secret: FULFIL_SECRET } });
  await api(base, 'PUT', '/api/inventory/MUG-1', { name: 'Mug', quantity: 5 });
  await api(base, 'PUT', '/api/inventory/TEE-M', { name: 'T-shirt M', quantity: 1 });
  const text = readFileSync(new URL('../../examples/order-to-inventory.json', import.meta.url), 'utf8')
    .replaceAll('cred_shop_webhook', shop.id).replaceAll('cred_smtp', smtp.id).replaceAll('cred_fulfilment', fulfil.id)
    .replace('https://fulfilment.example.test/orders', fulfilUrl);
  const flow = JSON.parse(text);
  // Short retry delays keep the test quick; the scenario is the same.
  for (const n of flow.nodes) if (n.type === 'email' || n.type === 'http') n.retry = { initialDelayMs: 1500, jitter: 0 };
  const created = await api(base, 'POST', '/api/flows', flow);
  return { hook: created.webhook.url, flowId: created.id };
}

function signedOrder(hook: string, order: unknown, id: string): Promise<Response> {
  const body = JSON.stringify(order);
  const now = new Date();
  const signature = new Webhook(SHOP_SECRET).sign(id, now, body);
  return fetch(hook, {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature },
  });
}

const order = (id: string, qty: Record<string, number>) => ({
  id, customer: { email: 'ann@example.test', name: 'Ann' },
  items: Object.entries(qty).map(([sku, n]) => ({ sku, qty: n, price: 12.5 })),
});

describe('order → inventory → email + fulfilment (examples/order-to-inventory.json)', () => {
  const cleanup: Array<() => Promise<unknown> | void> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function world(failFirstDeliveries: number, smtpRejectFirst: number) {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-order-'));
    const smtp: TestSmtp = await startSmtp(smtpRejectFirst ? { rejectFirst: { count: smtpRejectFirst, code: 451 } } : {});
    const rec = await receiver(failFirstDeliveries);
    const port = await freePort();
    const env = { HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' };
    const server: { current: ChildServer } = { current: await startChildServer(dir, port, env) };
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }), () => smtp.close(), () => new Promise((r) => rec.server.close(r)), () => server.current.kill('SIGTERM'));
    const { hook, flowId } = await setUp(server.current.url, smtp.port, rec.url);
    return { dir, smtp, rec, port, env, server, hook, flowId };
  }

  async function finished(base: string, id: string): Promise<any> {
    for (let i = 0; i < 300; i++) {
      const e = await api(base, 'GET', `/api/executions/${id}`);
      if (['succeeded', 'failed', 'canceled'].includes(e.status)) return e;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`execution ${id} did not finish`);
  }

  it('confirms an order, sends it to fulfilment signed, and alerts the shop when stock runs out', async () => {
    const w = await world(0, 0);
    const base = w.server.current.url;
    const ok = await signedOrder(w.hook, order('o-1', { 'MUG-1': 2 }), 'msg_o1');
    expect(ok.status).toBe(202);
    const e1 = await finished(base, (await ok.json()).executionId);
    expect(e1.status).toBe('succeeded');
    expect(e1.steps.find((s: { nodeId: string }) => s.nodeId === 'alert').status).toBe('skipped');
    expect((await api(base, 'GET', '/api/inventory/MUG-1')).quantity).toBe(3);
    expect(w.smtp.messages).toHaveLength(1);
    expect(w.smtp.messages[0].headers.subject).toBe('Your order o-1 is confirmed');
    expect(w.smtp.messages[0].raw).toContain('Total: 25');
    expect(w.rec.deliveries).toHaveLength(1);
    const d = w.rec.deliveries[0];
    expect(() => new Webhook(FULFIL_SECRET).verify(d.body, d.headers)).not.toThrow();
    expect(JSON.parse(d.body)).toEqual({ orderId: 'o-1', items: [{ sku: 'MUG-1', qty: 2, price: 12.5 }], total: 25 });

    const short = await signedOrder(w.hook, order('o-2', { 'TEE-M': 3 }), 'msg_o2');
    const e2 = await finished(base, (await short.json()).executionId);
    expect(e2.steps.find((s: { nodeId: string }) => s.nodeId === 'stock').port).toBe('insufficient');
    expect((await api(base, 'GET', '/api/inventory/TEE-M')).quantity).toBe(1);
    expect(w.smtp.messages).toHaveLength(2);
    expect(w.smtp.messages[1].headers.to).toContain('ops@example.test');
    expect(w.rec.deliveries).toHaveLength(1);

    const unsigned = await fetch(w.hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(order('o-3', { 'MUG-1': 1 })) });
    expect(unsigned.status).toBe(401);
  }, 60_000);

  it('D-4, D-7 after a SIGKILL between the inventory step and the email step: stock moved once, one email, one webhook-id', async () => {
    const w = await world(1, 1);
    const res = await signedOrder(w.hook, order('o-9', { 'MUG-1': 2, 'TEE-M': 1 }), 'msg_o9');
    expect(res.status).toBe(202);
    const executionId = (await res.json()).executionId as string;
    // Wait until the inventory step is committed and the email step is parked for its retry (the 451), then kill.
    const db = new Database(join(w.dir, 'hookflow.db'), { readonly: true });
    cleanup.push(() => { db.close(); });
    const stepOf = (node: string) => (JSON.parse(db.prepare('SELECT steps FROM executions WHERE id = ?').pluck().get(executionId) as string) as Array<{ nodeId: string; status: string }>).find((s) => s.nodeId === node);
    for (let i = 0; i < 200 && stepOf('confirm')?.status !== 'retrying'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(stepOf('stock')?.status).toBe('succeeded');
    expect(stepOf('confirm')?.status).toBe('retrying');
    expect(w.smtp.messages).toHaveLength(0);
    await w.server.current.kill('SIGKILL');

    w.server.current = await startChildServer(w.dir, w.port, w.env);
    const e = await finished(w.server.current.url, executionId);
    expect(e.status).toBe('succeeded');
    expect((await api(w.server.current.url, 'GET', '/api/inventory/MUG-1')).quantity).toBe(3);
    expect((await api(w.server.current.url, 'GET', '/api/inventory/TEE-M')).quantity).toBe(0);
    const moves = await api(w.server.current.url, 'GET', '/api/inventory/MUG-1/movements');
    expect(moves.items.filter((m: { executionId?: string }) => m.executionId === executionId)).toHaveLength(1);
    expect(w.smtp.messages).toHaveLength(1);
    expect(w.smtp.messages[0].headers['message-id']).toContain(executionId);
    expect(w.rec.deliveries.length).toBeGreaterThanOrEqual(2);
    expect(new Set(w.rec.deliveries.map((d) => d.headers['webhook-id']))).toEqual(new Set([`${executionId}:fulfil`]));
    for (const d of w.rec.deliveries) expect(() => new Webhook(FULFIL_SECRET).verify(d.body, d.headers)).not.toThrow();
  }, 90_000);
});
