import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, FAST_HASH, login, OWNER, OWNER_ENV, sameOrigin, tinyFlow } from './accounts-helpers.js';

describe('CSRF defence for cookie-authenticated writes (A-4)', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await startTestApp(OWNER_ENV, undefined, FAST_HASH);
    cookie = await login(t);
  });
  afterAll(async () => { await t.close(); });

  const flowsBefore = async (): Promise<number> => (await t.api('GET', '/api/flows?limit=100')).body.total;

  it.each([
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
    ['Origin: https://evil.example', { origin: 'https://evil.example' }],
    ['Origin: null', { origin: 'null' }],
    ['same-origin Fetch-Metadata but a foreign Origin', { 'sec-fetch-site': 'same-origin', origin: 'https://evil.example' }],
    ['neither Origin nor Sec-Fetch-Site', {}],
  ])('refuses POST /api/flows with %s (403), creating nothing', async (_label, headers) => {
    const before = await flowsBefore();
    const r = await call(t, 'POST', '/api/flows', { cookie, body: tinyFlow, headers });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('cross_site_request');
    expect(await flowsBefore()).toBe(before);
  });

  it.each([
    ['Origin and Sec-Fetch-Site of this server', (x: TestApp) => sameOrigin(x)],
    ['only Origin (an older browser)', (x: TestApp) => ({ origin: x.url })],
    ['only Sec-Fetch-Site: same-origin', () => ({ 'sec-fetch-site': 'same-origin' })],
  ])('accepts the same request with %s', async (_label, headers) => {
    expect((await call(t, 'POST', '/api/flows', { cookie, body: tinyFlow, headers: headers(t) })).status).toBe(201);
  });

  it('checks PUT and DELETE too, and leaves reads alone', async () => {
    const { body: flow } = await t.api('POST', '/api/flows', tinyFlow);
    const evil = { origin: 'https://evil.example' };
    expect((await call(t, 'PUT', `/api/flows/${flow.id}`, { cookie, body: { ...tinyFlow, name: 'x' }, headers: evil })).status).toBe(403);
    expect((await call(t, 'DELETE', `/api/flows/${flow.id}`, { cookie, headers: evil })).status).toBe(403);
    expect((await call(t, 'DELETE', `/api/tokens/tok_x`, { cookie, headers: evil })).status).toBe(403);
    expect((await call(t, 'GET', `/api/flows/${flow.id}`, { cookie, headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
    expect((await call(t, 'DELETE', `/api/flows/${flow.id}`, { cookie, headers: sameOrigin(t) })).status).toBe(204);
  });

  it('bearer-token writes need no Origin', async () => {
    expect((await t.api('POST', '/api/flows', tinyFlow)).status).toBe(201);
  });

  it('accepts the origin of HOOKFLOW_PUBLIC_URL behind a proxy that rewrites Host', async () => {
    const p = await startTestApp({ ...OWNER_ENV, HOOKFLOW_PUBLIC_URL: 'https://hooks.example.com' }, undefined, FAST_HASH);
    try {
      const c = await login(p, OWNER, { headers: { origin: 'https://hooks.example.com' } });
      const ok = await call(p, 'POST', '/api/flows', { cookie: c, body: tinyFlow, headers: { origin: 'https://hooks.example.com' } });
      expect(ok.status).toBe(201);
      const bad = await call(p, 'POST', '/api/flows', { cookie: c, body: tinyFlow, headers: { origin: 'https://evil.hooks.example.com' } });
      expect(bad.status).toBe(403);
    } finally {
      await p.close();
    }
  });
});

describe('security headers (A-11)', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(OWNER_ENV, undefined, FAST_HASH); });
  afterAll(async () => { await t.close(); });

  it.each([['GET', '/'], ['GET', '/healthz'], ['GET', '/api/flows'], ['GET', '/api/nope'], ['POST', '/api/auth/login']])(
    'are on %s %s', async (method, path) => {
      const r = await call(t, method, path, method === 'POST' ? { body: {} } : {});
      const csp = r.headers.get('content-security-policy') ?? '';
      for (const d of ["default-src 'self'", "frame-ancestors 'self'", "object-src 'none'", "base-uri 'self'", "script-src 'self'"]) expect(csp).toContain(d);
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(r.headers.get('strict-transport-security')).toBeNull(); // plain http
      expect(r.headers.get('x-powered-by')).toBeNull();
    });

  it('an editor route keeps them (unbuilt editor: Express answers 404 with an even stricter CSP)', async () => {
    const r = await call(t, 'GET', '/no/such/page');
    const csp = r.headers.get('content-security-policy');
    if (r.status === 404) expect(csp).toBe("default-src 'none'");
    else expect(csp).toContain("frame-ancestors 'self'");
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('webhook answers are left to the ingress (its own CSP, W-25, not the console\'s)', async () => {
    const r = await call(t, 'POST', '/hooks/unknown-token-0000000000000000', { body: {} });
    expect(r.status).toBe(404);
    expect(r.headers.get('content-security-policy')).toBe('sandbox');
  });
});

describe('over real TLS', () => {
  it('Secure cookie and HSTS when the server itself speaks https', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-tls-'));
    try {
      const key = join(dir, 'key.pem');
      const cert = join(dir, 'cert.pem');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
      const t = await startTestApp({ ...OWNER_ENV, HOOKFLOW_TLS_CERT: cert, HOOKFLOW_TLS_KEY: key }, join(dir, 'data'), FAST_HASH);
      try {
        expect(t.url.startsWith('https://')).toBe(true);
        const res = await new Promise<{ status: number; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
          const req = request(`${t.url}/api/auth/login`, { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': 'application/json', origin: t.url } }, (r) => {
            r.resume();
            r.on('end', () => resolve({ status: r.statusCode ?? 0, headers: r.headers }));
          });
          req.on('error', reject);
          req.end(JSON.stringify(OWNER));
        });
        expect(res.status).toBe(200);
        const setCookie = String(res.headers['set-cookie']);
        expect(setCookie).toMatch(/^hookflow_session=[A-Za-z0-9_-]{43};/);
        expect(setCookie).toContain('; Secure');
        expect(setCookie).toContain('; HttpOnly');
        expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
      } finally {
        await t.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
