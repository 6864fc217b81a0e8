/**
 * examples/github-events.json and examples/order-line-items.json end to end, as imported: signed deliveries into a
 * real server, a chat receiver and an SMTP server on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { finished, post } from '../helpers/flows.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';
import { signPreset } from '../../server/ingress/signing.js';
import { createCredential, executionCount } from './credentials-helpers.js';

const example = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');
const GITHUB_SECRET = "It's a Secret to Everybody";
const SHOP_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('examples with switch, merge, split and aggregate', () => {
  let t: TestApp;
  let chat: Receiver;
  let smtp: TestSmtp;
  beforeAll(async () => {
    t = await startTestApp({ HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' });
    chat = await startReceiver();
    smtp = await startSmtp();
  });
  afterAll(async () => { await t.close(); await chat.close(); await smtp.close(); });

  describe('github-events.json', () => {
    let hook = '';
    let flowId = '';
    beforeAll(async () => {
      const cred = await createCredential(t, 'hmac', { secret: GITHUB_SECRET }, 'github');
      const doc = JSON.parse(example('github-events.json').replace('cred_github', cred).replace('https://chat.example.test/hooks/dev', `${chat.url}/hooks/dev`));
      const res = await t.api('POST', '/api/flows', doc);
      expect(res.status).toBe(201);
      hook = res.body.webhook.url;
      flowId = res.body.id;
    });

    const deliver = async (event: string, payload: unknown, delivery: string, tamper = false) => {
      const body = JSON.stringify(payload);
      const signed = signPreset({ kind: 'hmac', preset: 'github' }, GITHUB_SECRET, body, Math.floor(Date.now() / 1000));
      return post(hook, tamper ? body.replace('acme', 'evil') : body, { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': delivery, ...signed });
    };
    const repository = { full_name: 'acme/shop' };

    it('routes push, pull_request and issues to their description and posts one chat message each; other events post nothing', async () => {
      const before = chat.requests.length;
      const cases: Array<[string, unknown, string]> = [
        ['push', { ref: 'refs/heads/main', repository, pusher: { name: 'ada' }, head_commit: { message: 'Fix totals' }, compare: 'https://github.com/acme/shop/compare/a...b' }, '[acme/shop] ada pushed Fix totals to refs/heads/main'],
        ['pull_request', { action: 'opened', number: 7, repository, pull_request: { title: 'Add split', html_url: 'https://github.com/acme/shop/pull/7' } }, '[acme/shop] PR #7 opened: Add split'],
        ['issues', { action: 'closed', repository, issue: { number: 3, title: 'Slow page', html_url: 'https://github.com/acme/shop/issues/3' } }, '[acme/shop] Issue #3 closed: Slow page'],
      ];
      for (const [i, [event, payload, text]] of cases.entries()) {
        const res = await deliver(event, payload, `d-${i}`);
        expect(res.status).toBe(202);
        const e = await finished(t, ((await res.json()) as { executionId: string }).executionId);
        expect(e.status).toBe('succeeded');
        expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'route').port).toBe(event === 'pull_request' ? 'pr' : event);
        expect(JSON.parse(chat.requests.at(-1)!.body).text).toBe(text);
      }
      const ping = await deliver('ping', { zen: 'Keep it logically awesome.', repository }, 'd-ping');
      const e = await finished(t, ((await ping.json()) as { executionId: string }).executionId);
      expect(e.status).toBe('succeeded');
      expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'route').port).toBe('default');
      expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'chat').status).toBe('skipped');
      expect(chat.requests.length - before).toBe(3);
      expect(chat.requests.slice(before).map((r) => JSON.parse(r.body).kind)).toEqual(['push', 'pull_request', 'issue']);
    });

    it('refuses a tampered delivery (401, nothing stored) and answers a redelivery as a duplicate', async () => {
      const count = await executionCount(t, flowId);
      expect((await deliver('push', { ref: 'x', repository }, 'd-tampered', true)).status).toBe(401);
      expect(await executionCount(t, flowId)).toBe(count);
      const again = await deliver('push', { ref: 'refs/heads/main', repository, pusher: { name: 'ada' }, head_commit: { message: 'Fix totals' } }, 'd-0');
      expect(again.status).toBe(200);
      expect(((await again.json()) as { duplicate: boolean }).duplicate).toBe(true);
    });
  });

  describe('order-line-items.json', () => {
    let hook = '';
    beforeAll(async () => {
      const shop = await createCredential(t, 'standard-webhooks', { secret: SHOP_SECRET }, 'shop');
      const mail = await createCredential(t, 'smtp', { host: '127.0.0.1', port: smtp.port, secure: false }, 'smtp');
      const res = await t.api('POST', '/api/flows', JSON.parse(example('order-line-items.json').replace('cred_shop_webhook', shop).replace('cred_smtp', mail)));
      expect(res.status).toBe(201);
      hook = res.body.webhook.url;
      for (const [sku, quantity] of [['MUG-1', 5], ['TEE-M', 1], ['CAP-9', 0]] as const) await t.api('PUT', `/api/inventory/${sku}`, { quantity });
    });

    const order = async (id: string, lines: Array<{ sku: string; qty: number }>) => {
      const body = JSON.stringify({ id, customer: { email: 'ann@example.test' }, line_items: lines });
      const now = new Date();
      const res = await post(hook, body, {
        'content-type': 'application/json', 'webhook-id': `msg_${id}`, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': new Webhook(SHOP_SECRET).sign(`msg_${id}`, now, body),
      });
      expect(res.status).toBe(202);
      return finished(t, ((await res.json()) as { executionId: string }).executionId);
    };

    it('takes each line from stock once, back-orders what is short, and mails one summary', async () => {
      const mails = smtp.messages.length;
      const e = await order('o-1', [{ sku: 'MUG-1', qty: 2 }, { sku: 'TEE-M', qty: 3 }, { sku: 'MUG-1', qty: 1 }, { sku: 'CAP-9', qty: 1 }]);
      expect(e.status).toBe('succeeded');
      const all = e.steps.find((s: { nodeId: string }) => s.nodeId === 'all').output;
      expect(all.items).toEqual([
        { sku: 'MUG-1', qty: 2, status: 'reserved' }, { sku: 'TEE-M', qty: 3, status: 'backordered' },
        { sku: 'MUG-1', qty: 1, status: 'reserved' }, { sku: 'CAP-9', qty: 1, status: 'backordered' }]);
      expect(all.counts).toEqual({ total: 4, succeeded: 4, failed: 0, skipped: 0 });
      expect((await t.api('GET', '/api/inventory/MUG-1')).body.quantity).toBe(2);
      expect((await t.api('GET', '/api/inventory/TEE-M')).body.quantity).toBe(1);
      const moves = (await t.api('GET', '/api/inventory/MUG-1/movements')).body.items.filter((m: { executionId: string }) => m.executionId === e.id);
      expect(moves.map((m: { nodeId: string }) => m.nodeId).sort()).toEqual(['stock:0', 'stock:2']);
      expect(smtp.messages.length - mails).toBe(1);
      const mail = smtp.messages.at(-1)!;
      expect(mail.envelopeTo).toEqual(['ann@example.test']);
      expect(mail.headers.subject).toBe('Order o-1: 4 of 4 lines handled');
      expect(mail.raw).toContain('"status":"backordered"');
    });

    it('enforces the example\'s item limit with a clear error', async () => {
      const e = await order('o-big', Array.from({ length: 501 }, () => ({ sku: 'MUG-1', qty: 1 })));
      expect(e.status).toBe('failed');
      expect(e.error).toMatchObject({ code: 'too_many_items', nodeId: 'lines', message: 'input.body.line_items has 501 items; at most 500 are allowed' });
    });
  });
});
