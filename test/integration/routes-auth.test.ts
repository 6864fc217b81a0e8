/**
 * A-5 route coverage: walk every route of the real Express app and call each without credentials. Everything
 * answers 401 except a short, explained allow-list, so a route added without authentication fails this test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { call, FAST_HASH, OWNER_ENV } from './accounts-helpers.js';
import { stackOf, walk, type Endpoint } from '../helpers/routes.js';

/** The only routes that may answer without credentials, and why. */
const ALLOW: Array<{ method: string; path: RegExp; why: string; mustNot2xx?: boolean }> = [
  { method: 'GET', path: /^\/healthz$/, why: 'liveness probe for load balancers' },
  { method: 'GET', path: /^\/readyz$/, why: 'readiness probe for orchestrators; answers only which check failed, no data' },
  { method: 'GET', path: /^\/metrics$/, why: 'Prometheus scrape, read-only counters; open by default, bearer-protected when HOOKFLOW_METRICS_TOKEN is set (test/integration/metrics.auth.test.ts)' },
  { method: 'POST', path: /^\/api\/auth\/login$/, why: 'logging in is how credentials are obtained' },
  { method: 'POST', path: /^\/api\/setup$/, why: 'first-run setup; needs the start-up token and is 403 once an owner exists', mustNot2xx: true },
  { method: 'GET', path: /^\/$/, why: 'the editor page (static)' },
];

/** The editor's SPA fallback: a GET RegExp route outside /api and /hooks serving index.html. */
const isEditorFallback = (e: Endpoint): boolean =>
  e.method === 'GET' && e.pattern !== undefined && e.declared.includes('(?!api\\/|hooks\\/)');

const allowed = (e: Endpoint) => ALLOW.find((a) => a.method === e.method && a.path.test(e.path));

/** Calls every endpoint outside the allow-list with no, a wrong bearer, and a forged cookie; returns those not answering 401. */
async function leaks(base: string, endpoints: Endpoint[]): Promise<string[]> {
  const found: string[] = [];
  const tries: Array<Record<string, string>> = [{}, { authorization: 'Bearer hf_' + 'A'.repeat(43) }, { cookie: `hookflow_session=${'A'.repeat(43)}` }];
  for (const e of endpoints) {
    if (isEditorFallback(e)) continue;
    const rule = allowed(e);
    for (const headers of tries) {
      const r = await call(base, e.method, e.path, { headers: { ...headers, origin: base }, body: ['GET', 'DELETE'].includes(e.method) ? undefined : {} });
      if (rule ? rule.mustNot2xx && r.status < 300 : r.status !== 401) found.push(`${e.method} ${e.declared} → ${r.status}`);
    }
  }
  return found;
}

describe('every route needs credentials (A-5)', () => {
  let t: TestApp;
  let endpoints: Endpoint[];
  beforeAll(async () => {
    t = await startTestApp(OWNER_ENV, undefined, FAST_HASH);
    endpoints = walk(stackOf(t.app.httpApp));
  });
  afterAll(async () => { await t.close(); });

  it('finds the routes of every router (the walk itself works)', () => {
    const names = endpoints.map((e) => `${e.method} ${e.path}`);
    for (const r of ['GET /healthz', 'GET /api/flows', 'POST /api/flows', 'DELETE /api/flows/x', 'POST /api/flows/x/activate',
      'GET /api/executions', 'POST /api/executions/x/replay', 'GET /api/node-types', 'POST /api/setup', 'POST /api/auth/login',
      'POST /api/auth/logout', 'GET /api/auth/me', 'GET /api/tokens', 'POST /api/tokens', 'DELETE /api/tokens/x']) {
      expect(names).toContain(r);
    }
    expect(endpoints.length).toBeGreaterThan(20);
  });

  it('answers 401 on every route outside the allow-list', async () => {
    expect(await leaks(t.url, endpoints)).toEqual([]);
  });

  it('answers 401 on unknown /api paths too', async () => {
    for (const [m, p] of [['GET', '/api'], ['GET', '/api/'], ['GET', '/api/nope'], ['POST', '/api/tokens/x/y'], ['GET', '/api/../api/flows'], ['GET', '/API/flows']]) {
      const r = await call(t, m, p);
      expect([401, 404], `${m} ${p}`).toContain(r.status);
      if (p.startsWith('/api')) expect(r.status, `${m} ${p}`).toBe(401);
    }
  });

  it('the allow-list behaves: healthz is open, login wants a body, setup is closed once an owner exists', async () => {
    expect((await call(t, 'GET', '/healthz')).status).toBe(200);
    expect((await call(t, 'POST', '/api/auth/login', { body: {} })).status).toBe(400);
    expect((await call(t, 'POST', '/api/setup', { body: {} })).status).toBe(403);
  });

  it('would catch a route added without authentication', async () => {
    const extra = await startTestApp(OWNER_ENV, undefined, FAST_HASH);
    try {
      extra.app.httpApp.get('/export/everything', (_req, res) => { res.json({ leaked: true }); });
      const found = await leaks(extra.url, walk(stackOf(extra.app.httpApp)));
      expect(found).toContain('GET /export/everything → 200');
    } finally {
      await extra.close();
    }
  });
});
