import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { freePort, startChildServer } from '../helpers/child-server.js';
import { call, FAST_HASH, login, OWNER, OWNER_ENV, sameOrigin } from './accounts-helpers.js';

const tokenOf = (t: TestApp): string => {
  const url = t.app.setupUrl();
  if (!url) throw new Error('setup is closed');
  return new URL(url).searchParams.get('token') ?? '';
};

describe('owner setup (A-1, A-2)', () => {
  const open: TestApp[] = [];
  const start = async (env: Record<string, string> = {}): Promise<TestApp> => {
    const t = await startTestApp(env, undefined, FAST_HASH);
    open.push(t);
    return t;
  };
  afterEach(async () => {
    for (const t of open.splice(0)) await t.close();
  });

  it('offers `<public url>/setup?token=…` with a 256-bit token while no owner exists', async () => {
    const t = await start({ HOOKFLOW_PUBLIC_URL: 'https://hooks.example.com' });
    const url = new URL(t.app.setupUrl() ?? '');
    expect(`${url.origin}${url.pathname}`).toBe('https://hooks.example.com/setup');
    expect(Buffer.from(tokenOf(t), 'base64url')).toHaveLength(32);
  });

  it('refuses setup without the token or with a wrong one (403), creating nothing', async () => {
    const t = await start();
    const body = { email: OWNER.email, password: OWNER.password };
    for (const token of [undefined, '', 'guess', `${tokenOf(t)}x`]) {
      const r = await call(t, 'POST', '/api/setup', { body: { ...body, token } });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('setup_token_invalid');
    }
    expect(t.app.setupUrl()).toBeDefined();
    expect((await call(t, 'POST', '/api/auth/login', { body })).status).toBe(401);
  });

  it.each([
    [{ email: 'not-an-email', password: OWNER.password }, 'email'],
    [{ email: OWNER.email, password: 'too-short' }, 'password'],
    [{ email: OWNER.email, password: 'x'.repeat(201) }, 'password'],
  ])('answers 400 naming the field %#', async (fields, field) => {
    const t = await start();
    const r = await call(t, 'POST', '/api/setup', { body: { ...fields, token: tokenOf(t) } });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ field, message: expect.stringContaining(field) }]);
    expect(t.app.setupUrl()).toBeDefined();
  });

  it('20 concurrent setups create exactly one owner; setup stays closed, also after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-setup-'));
    try {
      let t = await startTestApp({}, dir);
      const token = tokenOf(t);
      const replies = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        call(t, 'POST', '/api/setup', { body: { email: `owner${i}@example.test`, password: OWNER.password, token } })));
      const statuses = replies.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.every((s) => s === 201 || s === 409 || s === 403)).toBe(true);
      const winner = replies.find((r) => r.status === 201);
      expect(winner?.body).toEqual({ id: expect.stringMatching(/^usr_/), email: expect.stringMatching(/^owner\d+@example\.test$/) });
      expect(winner?.session?.value).toMatch(/^[A-Za-z0-9_-]{43}$/); // the new owner is logged in
      expect((await call(t, 'GET', '/api/auth/me', { cookie: winner?.session?.value })).body.email).toBe(winner?.body.email);
      expect(t.app.setupUrl()).toBeUndefined();
      const again = await call(t, 'POST', '/api/setup', { body: { email: 'late@example.test', password: OWNER.password, token } });
      expect(again.status).toBe(403);
      await t.close({ keepData: true });

      t = await startTestApp({}, dir, FAST_HASH);
      expect(t.app.setupUrl()).toBeUndefined();
      const afterRestart = await call(t, 'POST', '/api/setup', { body: { email: 'late@example.test', password: OWNER.password, token } });
      expect(afterRestart.status).toBe(403);
      expect(afterRestart.body.error.code).toBe('setup_closed');
      expect((await call(t, 'POST', '/api/auth/login', { body: { email: winner?.body.email, password: OWNER.password } })).status).toBe(200);
      await t.close({ keepData: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a restart before setup issues a new token; the old one no longer works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-setup-'));
    try {
      let t = await startTestApp({}, dir, FAST_HASH);
      const old = tokenOf(t);
      await t.close({ keepData: true });
      t = await startTestApp({}, dir, FAST_HASH);
      open.push(t);
      expect(tokenOf(t)).not.toBe(old);
      const r = await call(t, 'POST', '/api/setup', { body: { ...OWNER, token: old } });
      expect(r.status).toBe(403);
      expect((await call(t, 'POST', '/api/setup', { body: { ...OWNER, token: tokenOf(t) } })).status).toBe(201);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a setup request sent from another site', async () => {
    const t = await start();
    const r = await call(t, 'POST', '/api/setup', { body: { ...OWNER, token: tokenOf(t) }, headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    expect(r.status).toBe(403);
    expect(t.app.setupUrl()).toBeDefined();
  });

  it('head-less: HOOKFLOW_OWNER_EMAIL + HOOKFLOW_OWNER_PASSWORD create the owner at start; no setup URL', async () => {
    const t = await start(OWNER_ENV);
    expect(t.app.setupUrl()).toBeUndefined();
    expect((await call(t, 'POST', '/api/setup', { body: { ...OWNER, token: 'anything' } })).status).toBe(403);
    const cookie = await login(t);
    const me = await call(t, 'GET', '/api/auth/me', { cookie, headers: sameOrigin(t) });
    expect(me.body).toMatchObject({ email: OWNER.email, id: expect.stringMatching(/^usr_/) });
  });

  it('prints the setup URL in the start-up log of a real process, and not once an owner exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-setup-log-'));
    const port = await freePort();
    let child = await startChildServer(dir, port, { HOOKFLOW_LOG_LEVEL: 'warn' });
    try {
      const line = child.output().split('\n').find((l) => l.includes('/setup?token='));
      const printed = /"setupUrl":"([^"]+)"/.exec(line ?? '')?.[1];
      expect(printed).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/setup\\?token=[A-Za-z0-9_-]{43}$`));
      const token = new URL(printed ?? '').searchParams.get('token');
      expect((await call(child.url, 'POST', '/api/setup', { body: { ...OWNER, token } })).status).toBe(201);
      await child.kill('SIGTERM');
      child = await startChildServer(dir, port, { HOOKFLOW_LOG_LEVEL: 'warn' });
      expect(child.output()).not.toContain('/setup?token=');
    } finally {
      await child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
