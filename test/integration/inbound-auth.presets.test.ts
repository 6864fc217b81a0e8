// test/integration/inbound-auth.presets.test.ts — every hmac preset end to end: credential + flow over the API, a signed request → 202, a tampered one → 401 with nothing stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { signPreset } from '../../server/ingress/signing.js';
import type { HmacAuth } from '../../server/ingress/signature.js';
import { createCredential, executionCount } from './credentials-helpers.js';

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const BODY = '{"id":"evt_1","order":{"total":19.9,"items":[{"sku":"A-1","qty":2}]}}';
const TAMPERED = BODY.replace('19.9', '0.01');
const now = () => Math.floor(Date.now() / 1000);

interface Case { auth: HmacAuth; type: 'hmac' | 'standard-webhooks'; secret: string; contentType?: string }
const CASES: Record<string, Case> = {
  github: { auth: { kind: 'hmac', preset: 'github' }, type: 'hmac', secret: "It's a Secret to Everybody" },
  stripe: { auth: { kind: 'hmac', preset: 'stripe' }, type: 'hmac', secret: 'whsec_stripe_endpoint_secret' },
  shopify: { auth: { kind: 'hmac', preset: 'shopify' }, type: 'hmac', secret: 'shpss_app_client_secret' },
  slack: { auth: { kind: 'hmac', preset: 'slack' }, type: 'hmac', secret: '8f742231b10e8888abcd99yyyzzz85a5' },
  'standard-webhooks': { auth: { kind: 'hmac', preset: 'standard-webhooks' }, type: 'standard-webhooks', secret: WHSEC },
  custom: {
    auth: { kind: 'hmac', preset: 'custom', header: 'X-Acme-Signature', algorithm: 'sha512', encoding: 'base64', prefix: 'sha512=', timestampHeader: 'X-Acme-Timestamp', signedContent: '{timestamp}.{body}' },
    type: 'hmac', secret: 'acme-shared-secret',
  },
};

describe('inbound hmac presets against a real server', () => {
  let t: TestApp;
  const flows: Record<string, { id: string; hook: string }> = {};
  beforeAll(async () => {
    t = await startTestApp();
    for (const [name, c] of Object.entries(CASES)) {
      const credentialId = await createCredential(t, c.type, { secret: c.secret }, `${name} secret`);
      flows[name] = await activeFlow(t, [{ id: 'hook', type: 'webhook', params: { auth: { ...c.auth, credentialId } } }], [], `${name} flow`);
    }
  });
  afterAll(async () => { await t.close(); });

  it.each(Object.keys(CASES))('%s: a signed request is accepted and runs; a tampered body is 401 and stores nothing', async (name) => {
    const c = CASES[name];
    const f = flows[name];
    const headers = { 'content-type': 'application/json', ...signPreset(c.auth, c.secret, BODY, now(), `msg_${name}_1`) };
    const ok = await post(f.hook, BODY, headers);
    expect(ok.status).toBe(202);
    const e = await finished(t, (await ok.json()).executionId);
    expect(e.status).toBe('succeeded');
    expect(e.trigger.body).toEqual(JSON.parse(BODY));
    const count = await executionCount(t, f.id);
    const bad = await post(f.hook, TAMPERED, headers);
    expect(bad.status).toBe(401);
    expect((await bad.json()).error.code).toBe('unauthorized');
    expect((await post(f.hook, BODY, { 'content-type': 'application/json' })).status).toBe(401);
    expect(await executionCount(t, f.id)).toBe(count);
  });

  it('standard-webhooks: accepts a signature made by the standardwebhooks library (Webhook#sign)', async () => {
    const ts = now();
    const signature = new Webhook(WHSEC).sign('msg_lib_1', new Date(ts * 1000), BODY);
    const headers = { 'content-type': 'application/json', 'webhook-id': 'msg_lib_1', 'webhook-timestamp': String(ts), 'webhook-signature': signature };
    expect((await post(flows['standard-webhooks'].hook, BODY, headers)).status).toBe(202);
    const other = new Webhook('whsec_c2VjcmV0LW9mLWFub3RoZXItc2VuZGVyLTAx').sign('msg_lib_2', new Date(ts * 1000), BODY);
    expect((await post(flows['standard-webhooks'].hook, BODY, { ...headers, 'webhook-id': 'msg_lib_2', 'webhook-signature': other })).status).toBe(401);
  });

  it('stripe and slack: a timestamp outside the 300 s tolerance is 401 even when correctly signed (W-5)', async () => {
    for (const name of ['stripe', 'slack', 'standard-webhooks']) {
      const c = CASES[name];
      const headers = { 'content-type': 'application/json', ...signPreset(c.auth, c.secret, BODY, now() - 301, 'msg_old') };
      expect((await post(flows[name].hook, BODY, headers)).status, name).toBe(401);
    }
  });

  it('github: the signature over re-serialised JSON does not verify the original bytes (W-3)', async () => {
    const c = CASES.github;
    const reserialised = JSON.stringify(JSON.parse(BODY), null, 2);
    const headers = { 'content-type': 'application/json', ...signPreset(c.auth, c.secret, BODY, now()) };
    const count = await executionCount(t, flows.github.id);
    expect((await post(flows.github.hook, reserialised, headers)).status).toBe(401);
    expect(await executionCount(t, flows.github.id)).toBe(count);
  });
});
