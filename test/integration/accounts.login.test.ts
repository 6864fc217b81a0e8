import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, FAST_HASH, login, OWNER, OWNER_ENV, sameOrigin } from './accounts-helpers.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('login, sessions and logout (A-3)', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(OWNER_ENV, undefined, FAST_HASH); });
  afterAll(async () => { await t.close(); });

  it('sets hookflow_session: HttpOnly, SameSite=Lax, Path=/, no Domain, not Secure over plain http', async () => {
    const r = await call(t, 'POST', '/api/auth/login', { body: OWNER, headers: sameOrigin(t) });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: expect.stringMatching(/^usr_/), email: OWNER.email });
    expect(r.session?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r.session?.attrs).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' });
    expect(r.session?.attrs).not.toHaveProperty('domain');
    expect(r.session?.attrs).not.toHaveProperty('secure');
    expect(Number(r.session?.attrs['max-age'])).toBe(30 * 86_400);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.text).not.toContain(OWNER.password);
  });

  it('the cookie authenticates /api; /api/auth/me names the user', async () => {
    const cookie = await login(t);
    const me = await call(t, 'GET', '/api/auth/me', { cookie });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: expect.stringMatching(/^usr_/), email: OWNER.email });
    expect((await call(t, 'GET', '/api/flows', { cookie })).status).toBe(200);
    expect((await call(t, 'GET', '/api/flows')).status).toBe(401);
  });

  it('issues a new session id on every login, and a login ends the session it was sent with (no fixation)', async () => {
    const first = await login(t);
    const second = await login(t, OWNER, { cookie: first });
    expect(second).not.toBe(first);
    expect((await call(t, 'GET', '/api/auth/me', { cookie: first })).status).toBe(401);
    expect((await call(t, 'GET', '/api/auth/me', { cookie: second })).status).toBe(200);
    // A planted, never-issued id is not adopted either.
    const planted = 'A'.repeat(43);
    const third = await login(t, OWNER, { cookie: planted });
    expect(third).not.toBe(planted);
    expect((await call(t, 'GET', '/api/auth/me', { cookie: planted })).status).toBe(401);
  });

  it('logout ends the session (the old cookie → 401) and clears the cookie', async () => {
    const cookie = await login(t);
    const other = await login(t);
    const out = await call(t, 'POST', '/api/auth/logout', { cookie, headers: sameOrigin(t) });
    expect(out.status).toBe(204);
    expect(out.session?.value).toBe('');
    expect(out.session?.attrs['max-age']).toBe('0');
    expect((await call(t, 'GET', '/api/auth/me', { cookie })).status).toBe(401);
    expect((await call(t, 'GET', '/api/flows', { cookie })).status).toBe(401);
    expect((await call(t, 'GET', '/api/auth/me', { cookie: other })).status).toBe(200); // other sessions live on
    expect((await call(t, 'POST', '/api/auth/logout')).status).toBe(401);
  });

  it('answers 400 naming the field for a malformed login', async () => {
    const r = await call(t, 'POST', '/api/auth/login', { body: { email: OWNER.email } });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ field: 'password', message: expect.any(String) }]);
    const notJson = await call(t, 'POST', '/api/auth/login', { body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(400);
  });

  it('refuses a login posted from another site (login CSRF)', async () => {
    const r = await call(t, 'POST', '/api/auth/login', { body: OWNER, headers: { origin: 'https://evil.example' } });
    expect(r.status).toBe(403);
    expect(r.session).toBeUndefined();
  });

  it('the HOOKFLOW_API_TOKEN keeps working next to sessions', async () => {
    const me = await t.api('GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: 'env', via: 'owner-token' });
  });
});

describe('Secure cookie and HSTS behind https', () => {
  it('marks the cookie Secure and sends HSTS when HOOKFLOW_PUBLIC_URL is https', async () => {
    const t = await startTestApp({ ...OWNER_ENV, HOOKFLOW_PUBLIC_URL: 'https://hooks.example.com' }, undefined, FAST_HASH);
    try {
      const r = await call(t, 'POST', '/api/auth/login', { body: OWNER, headers: { origin: 'https://hooks.example.com' } });
      expect(r.status).toBe(200);
      expect(r.session?.attrs.secure).toBe(true);
      expect(r.headers.get('strict-transport-security')).toBe('max-age=31536000');
    } finally {
      await t.close();
    }
  });

  it('sends neither over plain http, even with a spoofed X-Forwarded-Proto when the proxy is not trusted', async () => {
    const t = await startTestApp(OWNER_ENV, undefined, FAST_HASH);
    try {
      const r = await call(t, 'POST', '/api/auth/login', { body: OWNER, headers: { 'x-forwarded-proto': 'https' } });
      expect(r.session?.attrs.secure).toBeUndefined();
      expect(r.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await t.close();
    }
  });
});

describe('identical failures for an unknown user and a wrong password (A-12)', () => {
  it('same status, same body, roughly the same time', async () => {
    // The production scrypt cost, so the time of one hash dominates and a skipped hash would show.
    const t = await startTestApp(OWNER_ENV);
    try {
      const timed = async (email: string, i: number) => {
        const started = performance.now();
        const r = await call(t, 'POST', '/api/auth/login', { body: { email, password: `wrong password ${i}` } });
        return { ms: performance.now() - started, status: r.status, text: r.text };
      };
      const unknown = [];
      const wrong = [];
      for (let i = 0; i < 3; i++) {
        unknown.push(await timed(`nobody${i}@example.test`, i));
        wrong.push(await timed(OWNER.email, i));
      }
      expect(new Set([...unknown, ...wrong].map((r) => `${r.status} ${r.text}`))).toEqual(
        new Set(['401 {"error":{"code":"invalid_credentials","message":"wrong email or password"}}']));
      // A skipped hash shows as a ratio near 0.01; the wide band only absorbs a loaded machine's noise.
      const ratio = median(unknown.map((r) => r.ms)) / median(wrong.map((r) => r.ms));
      expect(ratio).toBeGreaterThan(0.2);
      expect(ratio).toBeLessThan(5);
    } finally {
      await t.close();
    }
  });
});
