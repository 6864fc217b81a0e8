import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { deriveKey } from '../../server/secrets/crypto.js';
import { sessionKeyFor } from '../../server/accounts/boot.js';
import { call, FAST_HASH, login, OWNER, OWNER_ENV, sameOrigin, tinyFlow } from './accounts-helpers.js';

describe('API tokens', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await startTestApp(OWNER_ENV, undefined, FAST_HASH);
    cookie = await login(t);
  });
  afterAll(async () => { await t.close(); });

  const create = (name: unknown) => call(t, 'POST', '/api/tokens', { cookie, body: { name }, headers: sameOrigin(t) });

  it('creates a token shown once, lists it without the secret, and accepts it as a Bearer token', async () => {
    const made = await create('ci deploy');
    expect(made.status).toBe(201);
    expect(made.body).toEqual({ id: expect.stringMatching(/^tok_/), name: 'ci deploy', scope: 'owner', token: expect.stringMatching(/^hf_[A-Za-z0-9_-]{43}$/), createdAt: expect.any(String), lastUsedAt: null });
    expect(made.headers.get('cache-control')).toBe('no-store');
    const token = made.body.token as string;
    const list = await call(t, 'GET', '/api/tokens', { cookie });
    expect(list.body.items).toContainEqual({ id: made.body.id, name: 'ci deploy', scope: 'owner', createdAt: made.body.createdAt, lastUsedAt: null });
    expect(list.text).not.toContain(token.slice(3));
    // A bearer request needs no Origin: it cannot be forged cross-site.
    const flow = await call(t, 'POST', '/api/flows', { body: tinyFlow, headers: { authorization: `Bearer ${token}` } });
    expect(flow.status).toBe(201);
    const me = await call(t, 'GET', '/api/auth/me', { headers: { authorization: `Bearer ${token}` } });
    expect(me.body).toMatchObject({ email: OWNER.email, via: 'api-token' });
    const listed = (await call(t, 'GET', '/api/tokens', { cookie })).body.items.find((i: { id: string }) => i.id === made.body.id);
    expect(listed.lastUsedAt).not.toBeNull();
  });

  it('a read-only token reads everything but webhook URLs, and changes nothing', async () => {
    const made = await call(t, 'POST', '/api/tokens', { cookie, body: { name: 'dashboard', scope: 'read' }, headers: sameOrigin(t) });
    expect(made.status).toBe(201);
    expect(made.body.scope).toBe('read');
    const reader = { authorization: `Bearer ${made.body.token as string}` };
    const owner = await call(t, 'POST', '/api/flows', { body: tinyFlow, cookie, headers: sameOrigin(t) });
    const hookToken = owner.body.webhook.token as string;
    const list = await call(t, 'GET', '/api/flows', { headers: reader });
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    const one = await call(t, 'GET', `/api/flows/${owner.body.id}`, { headers: reader });
    expect(one.status).toBe(200);
    expect(one.body.webhook).toBeUndefined();
    expect(list.text + one.text).not.toContain(hookToken);
    expect((await call(t, 'GET', `/api/flows/${owner.body.id}/docs`, { headers: reader })).status).toBe(403);
    const listen = await call(t, 'GET', `/api/flows/${owner.body.id}/listen`, { headers: reader });
    expect(listen.body.url).toBeNull();
    expect((await call(t, 'GET', '/api/executions', { headers: reader })).status).toBe(200);
    for (const [method, path, body] of [['POST', '/api/flows', tinyFlow], ['PUT', `/api/flows/${owner.body.id}`, tinyFlow], ['DELETE', `/api/flows/${owner.body.id}`, undefined],
      ['POST', `/api/flows/${owner.body.id}/rotate-token`, undefined], ['POST', '/api/tokens', { name: 'escalate' }], ['DELETE', `/api/tokens/${made.body.id}`, undefined],
      ['POST', '/api/credentials', { name: 'x', type: 'hmac', data: { secret: 'y' } }]] as const) {
      const r = await call(t, method, path, { body, headers: reader });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code).toBe('read_only_token');
    }
    expect((await call(t, 'GET', `/api/flows/${owner.body.id}`, { cookie })).body.webhook.token).toBe(hookToken);
    const bad = await call(t, 'POST', '/api/tokens', { cookie, body: { name: 'x', scope: 'admin' }, headers: sameOrigin(t) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('scope');
  });

  it('stores only the SHA-256 of a token', async () => {
    const { body } = await create('stored form');
    const row = t.app.store.raw.db.prepare('SELECT * FROM api_tokens WHERE id = ?').get(body.id) as Record<string, unknown>;
    expect(row.token_hash).toBe(createHash('sha256').update(body.token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(body.token.slice(3));
  });

  it('a revoked token answers 401 at once; revoking again is 404', async () => {
    const { body } = await create('short-lived');
    const auth = { authorization: `Bearer ${body.token}` };
    expect((await call(t, 'GET', '/api/flows', { headers: auth })).status).toBe(200);
    expect((await call(t, 'DELETE', `/api/tokens/${body.id}`, { cookie, headers: sameOrigin(t) })).status).toBe(204);
    expect((await call(t, 'GET', '/api/flows', { headers: auth })).status).toBe(401);
    expect((await call(t, 'DELETE', `/api/tokens/${body.id}`, { cookie, headers: sameOrigin(t) })).status).toBe(404);
    expect((await call(t, 'GET', '/api/tokens', { cookie })).body.items.some((i: { id: string }) => i.id === body.id)).toBe(false);
  });

  it('a token can manage tokens, and the HOOKFLOW_API_TOKEN can too', async () => {
    const { body } = await create('manager');
    const viaToken = await call(t, 'POST', '/api/tokens', { body: { name: 'made by token' }, headers: { authorization: `Bearer ${body.token}` } });
    expect(viaToken.status).toBe(201);
    const viaEnv = await t.api('POST', '/api/tokens', { name: 'made by env token' });
    expect(viaEnv.status).toBe(201);
    expect((await call(t, 'GET', '/api/flows', { headers: { authorization: `Bearer ${viaEnv.body.token}` } })).status).toBe(200);
  });

  it.each([[''], ['   '], ['x'.repeat(101)], [42], [undefined]])('refuses name %j with 400 naming it, creating nothing', async (name) => {
    const before = (await call(t, 'GET', '/api/tokens', { cookie })).body.total;
    const r = await create(name);
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ field: 'name', message: expect.stringContaining('name') }]);
    expect((await call(t, 'GET', '/api/tokens', { cookie })).body.total).toBe(before);
  });

  it('near-miss tokens are refused', async () => {
    const { body } = await create('near miss');
    const token = body.token as string;
    for (const bad of [token.slice(0, -1), `${token}x`, token.toUpperCase(), token.replace('hf_', 'hg_'), 'hf_']) {
      expect((await call(t, 'GET', '/api/flows', { headers: { authorization: `Bearer ${bad}` } })).status).toBe(401);
    }
  });
});

describe('separate secrets (A-9)', () => {
  it('sessions are signed with a key derived for them, not the encryption key or the master key', async () => {
    const t = await startTestApp(OWNER_ENV, undefined, FAST_HASH);
    try {
      const cookie = await login(t);
      const master = Buffer.from(readFileSync(join(t.dataDir, 'secret.key'), 'utf8').trim(), 'hex');
      expect(master).toHaveLength(32);
      const sessionKey = sessionKeyFor(master);
      expect(sessionKey.equals(deriveKey(master, 'sessions'))).toBe(true);
      for (const other of [master, deriveKey(master, 'credentials'), deriveKey(master, 'webhook-token')]) expect(sessionKey.equals(other)).toBe(false);
      const stored = t.app.store.raw.db.prepare('SELECT id_hash FROM sessions').pluck().all() as string[];
      expect(stored).toContain(createHmac('sha256', sessionKey).update(cookie).digest('hex'));
      expect(stored).not.toContain(createHmac('sha256', master).update(cookie).digest('hex'));
      expect(stored).not.toContain(createHmac('sha256', deriveKey(master, 'credentials')).update(cookie).digest('hex'));
      // Nothing secret sits in the database as is.
      const dump = JSON.stringify(t.app.store.raw.db.prepare('SELECT * FROM users').all()) + JSON.stringify(stored);
      expect(dump).not.toContain(cookie);
      expect(dump).not.toContain(OWNER.password);
    } finally {
      await t.close();
    }
  });
});
