// test/integration/inbound-auth.kinds.test.ts — basic and header auth, secret rotation, W-2 vector, W-6 replay dedup, W-9 cross-flow replay, on a real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { signPreset } from '../../server/ingress/signing.js';
import { createCredential, executionCount } from './credentials-helpers.js';

const JSON_CT = { 'content-type': 'application/json' };
const GITHUB = { kind: 'hmac', preset: 'github' } as const;
const now = () => Math.floor(Date.now() / 1000);
const basicHeader = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const hookWith = (auth: Record<string, unknown>, extra: Record<string, unknown> = {}) => [{ id: 'hook', type: 'webhook', params: { auth, ...extra } }];

describe('inbound auth kinds, rotation and replays', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  it('basic: the right user and password → 202; wrong, missing or malformed → 401, nothing stored', async () => {
    const credentialId = await createCredential(t, 'basic', { username: 'shop', password: 'correct horse' });
    const f = await activeFlow(t, hookWith({ kind: 'basic', credentialId }), []);
    const ok = await post(f.hook, '{}', { ...JSON_CT, authorization: basicHeader('shop', 'correct horse') });
    expect(ok.status).toBe(202);
    const e = await finished(t, (await ok.json()).executionId);
    expect(e.trigger.headers.authorization).toBe('[redacted]');
    for (const authorization of [basicHeader('shop', 'wrong'), basicHeader('other', 'correct horse'), 'Basic !!!', 'Bearer correct horse', '']) {
      expect((await post(f.hook, '{}', { ...JSON_CT, authorization })).status, authorization).toBe(401);
    }
    expect((await post(f.hook, '{}', JSON_CT)).status).toBe(401);
    expect(await executionCount(t, f.id)).toBe(1);
  });

  it('header: the token in the header the credential names → 202 (redacted in the record); a wrong token → 401', async () => {
    const credentialId = await createCredential(t, 'header', { name: 'X-Api-Key', value: 'static-token-123' });
    const f = await activeFlow(t, hookWith({ kind: 'header', credentialId }), []);
    const ok = await post(f.hook, '{}', { ...JSON_CT, 'x-api-key': 'static-token-123' });
    expect(ok.status).toBe(202);
    const e = await finished(t, (await ok.json()).executionId);
    expect(e.trigger.headers['x-api-key']).toBe('[redacted]');
    expect((await post(f.hook, '{}', { ...JSON_CT, 'x-api-key': 'static-token-124' })).status).toBe(401);
    expect((await post(f.hook, '{}', { ...JSON_CT, 'x-webhook-token': 'static-token-123' })).status).toBe(401);
    // The node's `header` wins over the credential's name.
    const g = await activeFlow(t, hookWith({ kind: 'header', header: 'X-Other', credentialId }), []);
    expect((await post(g.hook, '{}', { ...JSON_CT, 'x-other': 'static-token-123' })).status).toBe(202);
    expect((await post(g.hook, '{}', { ...JSON_CT, 'x-api-key': 'static-token-123' })).status).toBe(401);
    expect(await executionCount(t, f.id)).toBe(1);
  });

  it('rotation: with two secrets either verifies; after PUT with only the new one, the old → 401 (W-7)', async () => {
    const credentialId = await createCredential(t, 'hmac', { secret: 'new-secret-2025\nold-secret-2024' });
    const f = await activeFlow(t, hookWith({ ...GITHUB, credentialId }), []);
    const send = (secret: string) => post(f.hook, '{"n":1}', { ...JSON_CT, ...signPreset(GITHUB, secret, '{"n":1}', now()) });
    expect((await send('old-secret-2024')).status).toBe(202);
    expect((await send('new-secret-2025')).status).toBe(202);
    expect((await send('another-secret')).status).toBe(401);
    expect((await t.api('PUT', `/api/credentials/${credentialId}`, { data: { secret: 'new-secret-2025' } })).status).toBe(200);
    expect((await send('old-secret-2024')).status).toBe(401);
    expect((await send('new-secret-2025')).status).toBe(202);
    expect(await executionCount(t, f.id)).toBe(3);
  });

  it('github: the published test vector is accepted, its last digit changed is 401 (W-2)', async () => {
    const credentialId = await createCredential(t, 'hmac', { secret: "It's a Secret to Everybody" });
    const f = await activeFlow(t, hookWith({ ...GITHUB, credentialId }), []);
    const sig = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    const text = { 'content-type': 'text/plain' };
    expect((await post(f.hook, 'Hello, World!', { ...text, 'x-hub-signature-256': sig })).status).toBe(202);
    expect((await post(f.hook, 'Hello, World!', { ...text, 'x-hub-signature-256': `${sig.slice(0, -1)}8` })).status).toBe(401);
  });

  it('replaying an identical standard-webhooks request → all 2xx, one execution (W-6)', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const credentialId = await createCredential(t, 'standard-webhooks', { secret });
    const auth = { kind: 'hmac', preset: 'standard-webhooks' } as const;
    const f = await activeFlow(t, hookWith({ ...auth, credentialId }, { idempotencyHeader: 'webhook-id' }), []);
    const body = '{"type":"order.created"}';
    const headers = { ...JSON_CT, ...signPreset(auth, secret, body, now(), 'msg_replay_1') };
    const first = await post(f.hook, body, headers);
    expect(first.status).toBe(202);
    const { executionId } = await first.json();
    for (let i = 0; i < 3; i += 1) {
      const again = await post(f.hook, body, headers);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ executionId, duplicate: true });
    }
    expect(await executionCount(t, f.id)).toBe(1);
  });

  it("flow A's valid signature sent to flow B's URL → 401 (W-9)", async () => {
    const credA = await createCredential(t, 'hmac', { secret: 'secret-of-flow-a' });
    const credB = await createCredential(t, 'hmac', { secret: 'secret-of-flow-b' });
    const a = await activeFlow(t, hookWith({ ...GITHUB, credentialId: credA }), []);
    const b = await activeFlow(t, hookWith({ ...GITHUB, credentialId: credB }), []);
    const headers = { ...JSON_CT, ...signPreset(GITHUB, 'secret-of-flow-a', '{}', now()) };
    expect((await post(b.hook, '{}', headers)).status).toBe(401);
    expect(await executionCount(t, b.id)).toBe(0);
    expect((await post(a.hook, '{}', headers)).status).toBe(202);
  });
});
