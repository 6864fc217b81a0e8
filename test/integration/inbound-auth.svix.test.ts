// The standard-webhooks preset and Svix-powered senders (Clerk, Resend, …), which sign exactly as Standard Webhooks
// but name the headers svix-id / svix-timestamp / svix-signature. Deliveries are signed by the `svix` package itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'svix';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { createCredential, executionCount } from './credentials-helpers.js';

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const BODY = '{"type":"user.created","data":{"id":"user_29w83sxmDNGwOuEthce5gg56FcC","email":"ann@example.test"}}';
const now = () => Math.floor(Date.now() / 1000);
const run = promisify(execFile);

/** What a Svix-powered sender puts on the request, signed by the svix library. */
function svixHeaders(id: string, atSec: number, body = BODY, secret = WHSEC): Record<string, string> {
  const signature = new Webhook(secret).sign(id, new Date(atSec * 1000), body);
  return { 'content-type': 'application/json', 'svix-id': id, 'svix-timestamp': String(atSec), 'svix-signature': signature };
}

describe('standard-webhooks preset with Svix header names', () => {
  let t: TestApp;
  let flow: { id: string; hook: string };
  beforeAll(async () => {
    t = await startTestApp();
    const credentialId = await createCredential(t, 'standard-webhooks', { secret: WHSEC }, 'clerk signing secret');
    flow = await activeFlow(t, [{ id: 'hook', type: 'webhook', params: { auth: { kind: 'hmac', preset: 'standard-webhooks', credentialId }, idempotencyHeader: 'svix-id' } }], [], 'clerk users');
  });
  afterAll(async () => { await t.close(); });

  it('accepts a delivery signed by the svix package (which its own verify accepts too) and runs the flow', async () => {
    const headers = svixHeaders('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', now());
    expect(() => new Webhook(WHSEC).verify(BODY, headers)).not.toThrow();
    const res = await post(flow.hook, BODY, headers);
    expect(res.status).toBe(202);
    const e = await finished(t, (await res.json()).executionId);
    expect(e.status).toBe('succeeded');
    expect(e.trigger.body).toEqual(JSON.parse(BODY));
    expect(e.trigger.headers['svix-id']).toBe('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W');
  });

  it('the same svix-id again is a duplicate (idempotencyHeader svix-id) and runs nothing', async () => {
    const headers = svixHeaders('msg_dup_1', now());
    const first = await post(flow.hook, BODY, headers);
    expect(first.status).toBe(202);
    const { executionId } = await first.json();
    const count = await executionCount(t, flow.id);
    const again = await post(flow.hook, BODY, svixHeaders('msg_dup_1', now()));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ executionId, duplicate: true });
    expect(await executionCount(t, flow.id)).toBe(count);
  });

  it('refuses, storing nothing: a tampered body, another secret, a stale or future timestamp, a missing svix-id', async () => {
    const count = await executionCount(t, flow.id);
    // Headers are made as each case is sent: signed when built, a slow machine would otherwise bring the ±301 s
    // cases back inside the 300 s tolerance by the time they go out.
    const ok = () => svixHeaders('msg_bad_1', now());
    const without = (name: string) => () => Object.fromEntries(Object.entries(ok()).filter(([k]) => k !== name));
    const cases: Array<[string, string, () => Record<string, string>]> = [
      ['tampered body', BODY.replace('ann@', 'eve@'), ok],
      ['another sender\'s secret', BODY, () => svixHeaders('msg_bad_2', now(), BODY, 'whsec_c2VjcmV0LW9mLWFub3RoZXItc2VuZGVyLTAx')],
      ['signed 301 s ago', BODY, () => svixHeaders('msg_bad_3', now() - 301)],
      ['signed 301 s ahead', BODY, () => svixHeaders('msg_bad_4', now() + 301)],
      ['no svix-id', BODY, without('svix-id')],
      ['no svix-timestamp', BODY, without('svix-timestamp')],
      ['svix-id changed after signing', BODY, () => ({ ...ok(), 'svix-id': 'msg_other' })],
    ];
    for (const [what, body, headers] of cases) {
      const res = await post(flow.hook, body, headers());
      expect(res.status, what).toBe(401);
      expect((await res.json()).error.code, what).toBe('unauthorized');
    }
    expect(await executionCount(t, flow.id)).toBe(count);
  });

  it('never mixes the two namings: a svix-signature with webhook-id/webhook-timestamp is refused', async () => {
    const ok = svixHeaders('msg_mix_1', now());
    const mixed = { 'content-type': 'application/json', 'webhook-id': ok['svix-id'], 'webhook-timestamp': ok['svix-timestamp'], 'svix-signature': ok['svix-signature'] };
    expect((await post(flow.hook, BODY, mixed)).status).toBe(401);
  });

  it('still accepts the webhook-* names the Standard Webhooks spec uses (same signature, other header names)', async () => {
    const ok = svixHeaders('msg_std_1', now());
    const standard = { 'content-type': 'application/json', 'webhook-id': ok['svix-id'], 'webhook-timestamp': ok['svix-timestamp'], 'webhook-signature': ok['svix-signature'] };
    expect((await post(flow.hook, BODY, standard)).status).toBe(202);
  });
});

describe('the webhook docs of a standard-webhooks flow', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  it('name both header namings, and their curl recipe signs a request bash sends with either (202)', async () => {
    const credentialId = await createCredential(t, 'standard-webhooks', { secret: WHSEC }, 'resend signing secret');
    const flow = await activeFlow(t, [{ id: 'hook', type: 'webhook', params: { auth: { kind: 'hmac', preset: 'standard-webhooks', credentialId } } }], [], 'resend events');
    const docs = (await t.api('GET', `/api/flows/${flow.id}/docs`)).body;
    expect(docs.auth.howToSign).toContain('svix-id, svix-timestamp and svix-signature');
    const recipe: string = docs.example.curl;
    expect(recipe).toContain("# Senders may use these header names or Svix's: Svix-Id, Svix-Timestamp, Svix-Signature");
    const svixRecipe = recipe.replace('Webhook-Id:', 'Svix-Id:').replace('Webhook-Timestamp:', 'Svix-Timestamp:').replace('Webhook-Signature:', 'Svix-Signature:');
    expect(svixRecipe).not.toContain('Webhook-');
    const count = await executionCount(t, flow.id);
    for (const script of [recipe, svixRecipe]) {
      const out = await run('bash', ['-c', `${script.trimEnd()} -o /dev/null -w '%{http_code}'`], { env: { ...process.env, SECRET: WHSEC } });
      expect(out.stdout).toBe('202');
    }
    expect(await executionCount(t, flow.id)).toBe(count + 2);
  });
});
