// test/integration/listen-sign.test.ts — captures never keep credentials, POST /api/flows/:id/sign round trips through the flow's own ingress, captures go with their flow, every new route needs credentials.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_TOKEN, type TestApp } from '../helpers/app.js';
import { finished, post } from '../helpers/flows.js';
import { createCredential, leaks } from './credentials-helpers.js';
import { BODY, JSON_CT, SECRET, github, listenFlow, rowCount } from './listen-helpers.js';

let t: TestApp;
let credentialId = '';
const flow = (params: Record<string, unknown> = {}, active = false) => listenFlow(t, credentialId, params, active);
const rows = (table: 'captures' | 'capture_windows', flowId: string) => rowCount(t, table, flowId);

beforeAll(async () => {
  t = await startTestApp();
  credentialId = await createCredential(t, 'hmac', { secret: SECRET }, 'github secret');
});
afterAll(async () => { await t.close(); });

describe('credentials in captured requests', () => {
  it('stores Authorization and token headers as [redacted] (basic, and a header named by the credential)', async () => {
    const basicId = await createCredential(t, 'basic', { username: 'shop', password: 'canary-pass-7f3a91' }, 'basic');
    const tokenId = await createCredential(t, 'header', { name: 'X-Shop-Token', value: 'canary-token-55e1c0' }, 'token');
    const mk = async (auth: Record<string, unknown>) => (await t.api('POST', '/api/flows', { name: 'creds', nodes: [{ id: 'hook', type: 'webhook', params: { auth } }], edges: [] })).body;
    const basic = await mk({ kind: 'basic', credentialId: basicId });
    const token = await mk({ kind: 'header', credentialId: tokenId });
    for (const fl of [basic, token]) await t.api('POST', `/api/flows/${fl.id}/listen`, {});
    const auth = `Basic ${Buffer.from('shop:canary-pass-7f3a91').toString('base64')}`;
    expect((await post(basic.webhook.url, BODY, { ...JSON_CT, authorization: auth })).status).toBe(202);
    expect((await post(token.webhook.url, BODY, { ...JSON_CT, 'x-shop-token': 'canary-token-55e1c0' })).status).toBe(202);
    expect((await post(token.webhook.url, BODY, { ...JSON_CT, 'x-shop-token': 'canary-token-55e1c0-almost' })).status).toBe(401);
    const b = await t.api('GET', `/api/flows/${basic.id}/captures`);
    expect(b.body.items[0].headers.authorization).toBe('[redacted]');
    const k = await t.api('GET', `/api/flows/${token.id}/captures`);
    expect(k.body.items.map((c: { headers: Record<string, string> }) => c.headers['x-shop-token'])).toEqual(['[redacted]', '[redacted]']);
    const raw = t.app.store.raw.db.prepare('SELECT headers FROM captures').pluck().all().join('\n');
    for (const text of [JSON.stringify(b.body), JSON.stringify(k.body), raw]) {
      expect(leaks(text, 'canary-pass-7f3a91')).toEqual([]);
      expect(leaks(text, 'canary-token-55e1c0')).toEqual([]);
    }
  });
});

describe('POST /api/flows/:id/sign', () => {
  const cases = {
    github: { type: 'hmac', secret: SECRET },
    stripe: { type: 'hmac', secret: 'whsec_stripe_endpoint_secret' },
    'standard-webhooks': { type: 'standard-webhooks', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
  } as const;
  it.each(Object.keys(cases) as Array<keyof typeof cases>)('%s: the headers it answers are accepted by the flow\'s own ingress', async (preset) => {
    const c = cases[preset];
    const cred = await createCredential(t, c.type, { secret: c.secret }, `${preset} sign`);
    const created = await t.api('POST', '/api/flows', { name: preset, active: true, nodes: [{ id: 'hook', type: 'webhook', params: { auth: { kind: 'hmac', preset, credentialId: cred } } }], edges: [] });
    const signed = await t.api('POST', `/api/flows/${created.body.id}/sign`, { body: BODY });
    expect(signed.status, JSON.stringify(signed.body)).toBe(200);
    expect(signed.body.preset).toBe(preset);
    expect(leaks(JSON.stringify(signed.body), c.secret.replace(/^whsec_/, ''))).toEqual([]);
    const ok = await post(created.body.webhook.url, BODY, { ...JSON_CT, ...signed.body.headers });
    expect(ok.status).toBe(202);
    expect((await finished(t, (await ok.json()).executionId)).status).toBe('succeeded');
    expect((await post(created.body.webhook.url, BODY.replace('19.9', '0.1'), { ...JSON_CT, ...signed.body.headers })).status).toBe(401);
  });

  it('keeps a delivery id it is given, so re-signing an edited payload keeps it', async () => {
    const cred = await createCredential(t, 'standard-webhooks', { secret: cases['standard-webhooks'].secret }, 'sw keep');
    const created = await t.api('POST', '/api/flows', { name: 'sw', nodes: [{ id: 'hook', type: 'webhook', params: { auth: { kind: 'hmac', preset: 'standard-webhooks', credentialId: cred } } }], edges: [] });
    const r = await t.api('POST', `/api/flows/${created.body.id}/sign`, { body: '{}', headers: { 'Webhook-Id': 'msg_kept_1' } });
    expect(r.body.headers['webhook-id']).toBe('msg_kept_1');
    expect(r.body.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it('refuses basic and header auth without answering the secret, and says why', async () => {
    const basicId = await createCredential(t, 'basic', { username: 'u', password: 'canary-sign-pass-19ab' }, 'b');
    const tokenId = await createCredential(t, 'header', { name: 'X-Key', value: 'canary-sign-token-82cd' }, 'h');
    for (const [auth, canary] of [[{ kind: 'basic', credentialId: basicId }, 'canary-sign-pass-19ab'], [{ kind: 'header', credentialId: tokenId }, 'canary-sign-token-82cd']] as const) {
      const created = await t.api('POST', '/api/flows', { name: 'x', nodes: [{ id: 'hook', type: 'webhook', params: { auth } }], edges: [] });
      const r = await t.api('POST', `/api/flows/${created.body.id}/sign`, { body: BODY });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('secret_not_signable');
      expect(r.body.error.message).toContain('params.auth.kind');
      expect(leaks(JSON.stringify(r.body), canary)).toEqual([]);
    }
  });

  it('names the field of a bad request, and refuses a webhook without auth', async () => {
    const f = await flow();
    expect((await t.api('POST', `/api/flows/${f.id}/sign`, {})).body.error.details).toEqual([{ field: 'body', message: 'must be the exact request body as a string' }]);
    expect((await t.api('POST', `/api/flows/${f.id}/sign`, { body: '{}', headers: { a: 1 } })).body.error.details[0].field).toBe('headers.a');
    const none = await t.api('POST', '/api/flows', { name: 'none', nodes: [{ id: 'hook', type: 'webhook', params: {} }], edges: [] });
    const r = await t.api('POST', `/api/flows/${none.body.id}/sign`, { body: '{}' });
    expect([r.status, r.body.error.code]).toEqual([400, 'nothing_to_sign']);
  });
});

describe('lifecycle and access', () => {
  it('deletes a flow\'s captures and window with the flow', async () => {
    const f = await flow();
    await t.api('POST', `/api/flows/${f.id}/listen`, {});
    await post(f.hook, BODY, github(BODY));
    expect(rows('captures', f.id)).toBe(1);
    expect((await t.api('DELETE', `/api/flows/${f.id}`)).status).toBe(204);
    expect(rows('captures', f.id)).toBe(0);
    expect(rows('capture_windows', f.id)).toBe(0);
    expect((await post(f.hook, BODY, github(BODY))).status).toBe(404);
  });

  it('needs credentials on every new route', async () => {
    const f = await flow();
    for (const [method, path] of [['POST', 'listen'], ['GET', 'listen'], ['DELETE', 'listen'], ['GET', 'captures'], ['GET', 'captures/cap_x'], ['POST', 'sign']]) {
      const r = await fetch(`${t.url}/api/flows/${f.id}/${path}`, { method, headers: { ...JSON_CT, authorization: `Bearer ${TEST_TOKEN}x` }, body: method === 'POST' ? '{"body":"{}"}' : undefined });
      expect(r.status, `${method} ${path}`).toBe(401);
    }
  });
});
