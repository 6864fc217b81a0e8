import { describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.js';
import { call, OWNER, withOwnerApp } from './accounts-helpers.js';

const fail = (t: TestApp, email: string, xff?: string) =>
  call(t, 'POST', '/api/auth/login', { body: { email, password: 'not the password' }, headers: xff ? { 'x-forwarded-for': xff } : {} });


describe('login rate limit (A-12)', () => {
  it('locks an account after 10 failures a minute, from any address, even for the right password', async () => {
    await withOwnerApp({ HOOKFLOW_TRUST_PROXY: 'true' }, async (t) => {
      for (let i = 0; i < 10; i++) expect((await fail(t, OWNER.email, `198.51.100.${i}`)).status).toBe(401);
      const locked = await call(t, 'POST', '/api/auth/login', { body: OWNER, headers: { 'x-forwarded-for': '198.51.100.200' } });
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(locked.body.error.code).toBe('too_many_attempts');
      expect(locked.session).toBeUndefined();
      // An unknown account locks the same way, with the same answer: the lock does not reveal who exists.
      for (let i = 0; i < 10; i++) expect((await fail(t, 'nobody@example.test', `203.0.113.${i}`)).status).toBe(401);
      const ghost = await fail(t, 'nobody@example.test', '203.0.113.200');
      expect(ghost.status).toBe(429);
      expect(ghost.text).toBe(locked.text);
      // Other accounts are not affected.
      expect((await fail(t, 'someone@example.test', '192.0.2.1')).status).toBe(401);
    });
  });

  it('A-15: ten wrong passwords from elsewhere do not lock the owner out at an address they signed in from: a delay, not a wall', async () => {
    await withOwnerApp({ HOOKFLOW_TRUST_PROXY: 'true' }, async (t) => {
      const home = { 'x-forwarded-for': '198.51.100.77' };
      expect((await call(t, 'POST', '/api/auth/login', { body: OWNER, headers: home })).status).toBe(200);
      for (let i = 0; i < 10; i++) expect((await fail(t, OWNER.email, `203.0.113.${i}`)).status).toBe(401);
      const started = Date.now();
      const back = await call(t, 'POST', '/api/auth/login', { body: OWNER, headers: home });
      expect(back.status).toBe(200);
      expect(back.session).toBeDefined();
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500); // the delay (2 s); never an upper bound
      // A new address meets the wall while the account is under attack.
      expect((await call(t, 'POST', '/api/auth/login', { body: OWNER, headers: { 'x-forwarded-for': '192.0.2.50' } })).status).toBe(429);
    });
  });

  it('locks an address after 10 failures a minute across accounts; a spoofed X-Forwarded-For changes nothing', async () => {
    await withOwnerApp({}, async (t) => {
      for (let i = 0; i < 10; i++) expect((await fail(t, `user${i}@example.test`, `10.9.8.${i}`)).status).toBe(401);
      const r = await call(t, 'POST', '/api/auth/login', { body: OWNER, headers: { 'x-forwarded-for': '10.9.9.9' } });
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    });
  });

  it('behind a trusted proxy, each forwarded client address has its own bucket', async () => {
    await withOwnerApp({ HOOKFLOW_TRUST_PROXY: 'true' }, async (t) => {
      for (let i = 0; i < 10; i++) await fail(t, `user${i}@example.test`, '198.51.100.1');
      expect((await fail(t, 'user99@example.test', '198.51.100.1')).status).toBe(429);
      // The proxy appends the real peer last; what the client put in front of it is ignored.
      expect((await fail(t, 'user98@example.test', '198.51.100.1, 198.51.100.2')).status).toBe(401);
      expect((await fail(t, 'user97@example.test', '198.51.100.2, 198.51.100.1')).status).toBe(429);
    });
  });
});
