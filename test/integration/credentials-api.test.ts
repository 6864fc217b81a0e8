// test/integration/credentials-api.test.ts — /api/credentials against a real server: create, list, get, rotate, delete (409 while used), the save-time flow check, the node reader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { createCredential, digestOf, readCredentialNode } from './credentials-helpers.js';

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const hook = (auth?: Record<string, unknown>) => ({ id: 'hook', type: 'webhook', params: auth ? { auth } : {} });

describe('credentials API', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({}, undefined, { extraNodes: [readCredentialNode] }); });
  afterAll(async () => { await t.close(); });

  it('creates each type and shows field names, never values', async () => {
    const cases: Array<[string, Record<string, unknown>, string[]]> = [
      ['smtp', { host: 'smtp.example.com', port: 587, secure: false, user: 'smtp-user-1', pass: 'smtp-pass-1' }, ['host', 'port', 'secure', 'user', 'pass']],
      ['smtp', { host: '127.0.0.1', port: 25, secure: false }, ['host', 'port', 'secure']],
      ['hmac', { secret: 'hmac-secret-1\nhmac-secret-2' }, ['secret']],
      ['standard-webhooks', { secret: WHSEC }, ['secret']],
      ['basic', { username: 'basic-user-1', password: 'basic-pass-1' }, ['username', 'password']],
      ['header', { name: 'X-Api-Key', value: 'header-value-1' }, ['name', 'value']],
    ];
    for (const [type, data, fields] of cases) {
      const r = await t.api('POST', '/api/credentials', { name: `my ${type}`, type, data });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(Object.keys(r.body).sort()).toEqual(['createdAt', 'fields', 'id', 'name', 'type', 'updatedAt']);
      expect(r.body).toMatchObject({ name: `my ${type}`, type, fields });
      expect(r.body.id).toMatch(/^cred_/);
      const got = await t.api('GET', `/api/credentials/${r.body.id}`);
      expect(got.body).toEqual(r.body);
      for (const v of Object.values(data)) if (typeof v === 'string') expect(JSON.stringify(got.body)).not.toContain(v.split('\n')[0]);
    }
    const list = await t.api('GET', '/api/credentials?limit=2');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    expect(list.body.total).toBeGreaterThanOrEqual(cases.length);
    const next = await t.api('GET', `/api/credentials?limit=200&cursor=${list.body.nextCursor}`);
    expect(next.body.items.map((c: { id: string }) => c.id)).not.toContain(list.body.items[0].id);
  });

  it('answers 400 naming the field, and stores nothing', async () => {
    const before = (await t.api('GET', '/api/credentials')).body.total;
    const cases: Array<[unknown, string]> = [
      [{ name: 'x', type: 'hmac', data: {} }, 'data.secret'],
      [{ name: 'x', type: 'hmac', data: { secret: '' } }, 'data.secret'],
      [{ name: 'x', type: 'standard-webhooks', data: { secret: 'not-whsec' } }, 'data.secret'],
      [{ name: 'x', type: 'smtp', data: { host: 'h', port: 'x', secure: true } }, 'data.port'],
      [{ name: 'x', type: 'basic', data: { username: 'u' } }, 'data.password'],
      [{ name: 'x', type: 'header', data: { name: 'x-k', value: 'v', other: 1 } }, 'data.other'],
      [{ name: 'x', type: 'oauth', data: {} }, 'type'],
      [{ type: 'hmac', data: { secret: 's' } }, 'name'],
      [{ name: 'x', type: 'hmac' }, 'data'],
      [[1, 2], 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await t.api('POST', '/api/credentials', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid_credential');
      expect(r.body.error.message.startsWith(`${field}:`), r.body.error.message).toBe(true);
    }
    expect((await t.api('GET', '/api/credentials')).body.total).toBe(before);
  });

  it('rotates with PUT: new data replaces the old, the type stays', async () => {
    const id = await createCredential(t, 'hmac', { secret: 'old-1' });
    const flow = await activeFlow(t, [hook(), { id: 'read', type: 'test-read-credential', params: { credentialId: id, type: 'hmac' } }], [{ from: 'hook', to: 'read' }]);
    const run = async () => (await finished(t, (await (await post(flow.hook, '{}')).json()).executionId)).steps[1].output;
    expect((await run()).digest).toBe(digestOf({ secret: 'old-1' }));
    const put = await t.api('PUT', `/api/credentials/${id}`, { name: 'renamed', data: { secret: 'new-1\nnew-2' } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id, name: 'renamed', type: 'hmac', fields: ['secret'] });
    expect(Date.parse(put.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(put.body.createdAt));
    expect((await run()).digest).toBe(digestOf({ secret: 'new-1\nnew-2' }));
    expect((await t.api('PUT', `/api/credentials/${id}`, { name: 'only the name' })).body.name).toBe('only the name');
    expect((await run()).digest).toBe(digestOf({ secret: 'new-1\nnew-2' }));
    const bad = await t.api('PUT', `/api/credentials/${id}`, { data: { secret: ' ' } });
    expect([bad.status, bad.body.error.message.split(':')[0]]).toEqual([400, 'data.secret']);
    expect((await t.api('PUT', `/api/credentials/${id}`, { type: 'basic', data: {} })).body.error.message).toMatch(/^type: cannot change/);
    expect((await t.api('PUT', '/api/credentials/cred_nope', { name: 'x' })).status).toBe(404);
  });

  it('deletes with 204, or answers 409 naming the flows whose current version uses it', async () => {
    const free = await createCredential(t, 'header', { name: 'x-k', value: 'v' });
    expect((await t.api('DELETE', `/api/credentials/${free}`)).status).toBe(204);
    expect((await t.api('GET', `/api/credentials/${free}`)).status).toBe(404);
    expect((await t.api('DELETE', `/api/credentials/${free}`)).status).toBe(404);

    const used = await createCredential(t, 'hmac', { secret: 's' });
    const a = await activeFlow(t, [hook({ kind: 'hmac', preset: 'github', credentialId: used })], [], 'Orders from GitHub');
    const b = await activeFlow(t, [hook(), { id: 'read', type: 'test-read-credential', params: { credentialId: used, type: 'hmac' } }], [{ from: 'hook', to: 'read' }], 'Reader flow');
    const r = await t.api('DELETE', `/api/credentials/${used}`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('credential_in_use');
    expect(r.body.error.message).toContain('"Orders from GitHub"');
    expect(r.body.error.message).toContain('"Reader flow"');
    expect(r.body.error.details.flows.map((f: { id: string }) => f.id).sort()).toEqual([a.id, b.id].sort());
    // Only the current version counts: after both flows stop naming it, the delete goes through.
    expect((await t.api('PUT', `/api/flows/${a.id}`, { name: 'Orders from GitHub', nodes: [hook()], edges: [] })).status).toBe(200);
    expect((await t.api('DELETE', `/api/flows/${b.id}`)).status).toBe(204);
    expect((await t.api('DELETE', `/api/credentials/${used}`)).status).toBe(204);
  });

  it('refuses to save a flow naming a missing or unfitting credential: 400 naming the node and field', async () => {
    const basic = await createCredential(t, 'basic', { username: 'u', password: 'p' });
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ kind: 'hmac', preset: 'github', credentialId: 'cred_missing' }, /no credential "cred_missing" exists/],
      [{ kind: 'hmac', preset: 'github', credentialId: basic }, /is of type basic; auth kind "hmac" \(preset github\) needs type hmac/],
      [{ kind: 'header' }, /needs a credential id/],
    ];
    for (const [auth, message] of cases) {
      const r = await t.api('POST', '/api/flows', { name: 'f', nodes: [hook(auth)], edges: [] });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('invalid_flow');
      expect(r.body.error.message).toMatch(/^node "hook", field "params\.auth\.credentialId": /);
      expect(r.body.error.message).toMatch(message);
    }
    expect((await t.api('POST', '/api/flows', { name: 'f', nodes: [hook({ kind: 'basic', credentialId: basic })], edges: [] })).status).toBe(201);
  });

  it('gives nodes the decrypted data, and typed permanent errors for a missing or wrong-type credential', async () => {
    const smtp = { host: '127.0.0.1', port: 2525, secure: false, user: 'u', pass: 'p' };
    const id = await createCredential(t, 'smtp', smtp);
    const flow = await activeFlow(t, [hook(), { id: 'read', type: 'test-read-credential', params: { credentialId: '{{ trigger.body.id }}', type: '{{ trigger.body.type }}' } }], [{ from: 'hook', to: 'read' }]);
    const run = async (body: unknown) => finished(t, (await (await post(flow.hook, JSON.stringify(body))).json()).executionId);
    const ok = await run({ id, type: 'smtp' });
    expect(ok.steps[1].output).toEqual({ fields: ['host', 'pass', 'port', 'secure', 'user'], digest: digestOf(smtp) });
    const missing = await run({ id: 'cred_gone', type: 'smtp' });
    expect(missing.status).toBe('failed');
    expect(missing.error.code).toBe('credential_missing');
    expect(missing.steps[1].attempts).toBe(1);
    expect((await run({ id, type: 'hmac' })).error.code).toBe('credential_type');
  });
});
