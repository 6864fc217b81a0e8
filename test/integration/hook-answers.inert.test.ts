/** W-25: every answer on /hooks is inert in a browser and no cookie is read or set there; HOOKFLOW_HOOKS_URL splits the origins. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { createServer } from 'node:http';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, post, finished } from '../helpers/flows.js';
import { sendJson } from '../../server/ingress/answer.js';
import { loadConfig } from '../../server/config.js';

const inert = (h: Headers) => {
  expect(h.get('content-security-policy')).toBe('sandbox');
  expect(h.get('x-content-type-options')).toBe('nosniff');
  expect(h.get('set-cookie')).toBeNull();
};

/** A request with a chosen Host header (fetch does not let us set it). */
function rawGet(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const r = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'GET', headers: { host, authorization: 'Bearer test-api-token-0123456789abcdef' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    r.on('error', reject);
    r.end();
  });
}

describe('W-25: hook answers', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  it('carry CSP sandbox and nosniff on every kind of answer', async () => {
    const f = await activeFlow(t, [{ id: 'hook', type: 'webhook', params: { methods: ['POST'], idempotencyHeader: 'x-id', maxBodyBytes: 100 } }], []);
    const accepted = await post(f.hook, '{}', { 'content-type': 'application/json', 'x-id': 'one' });
    expect(accepted.status).toBe(202);
    inert(accepted.headers);
    const dup = await post(f.hook, '{}', { 'content-type': 'application/json', 'x-id': 'one' });
    expect(dup.status).toBe(200);
    inert(dup.headers);
    for (const [res, status] of [
      [await post(f.hook, '', {}, 'GET'), 405],
      [await post(f.hook, 'x'.repeat(500)), 413],
      [await post(f.hook, '{bad'), 400],
      [await post(f.hook, '{}', { 'content-type': 'image/png' }), 415],
      [await post(`${t.url}/hooks/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`, '{}'), 404],
    ] as const) {
      expect(res.status).toBe(status);
      inert(res.headers);
    }
  });

  it('a sync answer keeps the flow\'s content type but not its policies, and a respond node cannot set them (refused at save)', async () => {
    for (const header of ['Set-Cookie', 'Content-Security-Policy', 'X-Content-Type-Options', 'content-security-policy-report-only']) {
      const r = await t.api('POST', '/api/flows', { name: 'x', nodes: [
        { id: 'hook', type: 'webhook', params: { response: { mode: 'sync' } } },
        { id: 'answer', type: 'respond', params: { headers: { [header]: 'x' } } }], edges: [{ from: 'hook', to: 'answer' }] });
      expect(r.status, header).toBe(400);
      expect(r.body.error.message).toContain(`headers.${header}`);
    }
    const f = await activeFlow(t, [
      { id: 'hook', type: 'webhook', params: { response: { mode: 'sync' } } },
      { id: 'answer', type: 'respond', params: { status: 201, headers: { 'content-type': 'text/html', 'x-extra': 'kept' }, body: '<b>{{ input.body.n }}</b>' } },
    ], [{ from: 'hook', to: 'answer' }]);
    const res = await post(f.hook, JSON.stringify({ n: '<script>alert(1)</script>' }));
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.headers.get('x-extra')).toBe('kept');
    inert(res.headers);
    expect(await res.text()).toBe('<b><script>alert(1)</script></b>');
  });

  it('the answer writer drops cookies and policies whoever passes them', async () => {
    const server = createServer((_req, res) => sendJson(res, 200, 'hi', {
      'Content-Type': 'text/html', 'Set-Cookie': 'a=b', 'content-security-policy': "default-src *", 'X-Content-Type-Options': 'sniff' }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
      inert(res.headers);
      expect(res.headers.get('content-type')).toBe('text/html');
    } finally { server.close(); }
  });

  it('no cookie sent to a hook reaches the flow or the execution record', async () => {
    const f = await activeFlow(t, [{ id: 'hook', type: 'webhook', params: {} }], []);
    const res = await post(f.hook, '{}', { 'content-type': 'application/json', cookie: 'hookflow_session=secret-session-value; other=1', 'x-kept': 'yes' });
    const e = await finished(t, (await res.json()).executionId);
    expect(e.trigger.headers['x-kept']).toBe('yes');
    expect(e.trigger.headers.cookie).toBeUndefined();
    expect(JSON.stringify(e)).not.toContain('secret-session-value');
  });
});

describe('W-25: HOOKFLOW_HOOKS_URL, a separate origin for webhooks', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ HOOKFLOW_PUBLIC_URL: 'https://editor.example.test', HOOKFLOW_HOOKS_URL: 'https://hooks.example.test' }); });
  afterAll(async () => { await t.close(); });

  it('puts webhook URLs on the hooks origin and serves each origin only its part', async () => {
    const f = await activeFlow(t, [{ id: 'hook', type: 'webhook', params: { methods: ['GET', 'POST'] } }], []);
    expect(f.hook).toBe(`https://hooks.example.test/hooks/${f.token}`);
    const local = `${t.url}/hooks/${f.token}`;
    expect(await rawGet(local, 'hooks.example.test')).toBe(202);
    expect(await rawGet(`${t.url}/api/flows`, 'hooks.example.test')).toBe(404);
    expect(await rawGet(`${t.url}/`, 'hooks.example.test')).toBe(404);
    expect(await rawGet(`${t.url}/healthz`, 'hooks.example.test')).toBe(200);
    expect(await rawGet(local, 'editor.example.test')).toBe(404);
    expect(await rawGet(`${t.url}/api/flows`, 'editor.example.test')).toBe(200);
    // A Host naming neither (a proxy that rewrites it, a direct call) is served as before.
    expect(await rawGet(local, new URL(t.url).host)).toBe(202);
  });

  it('refuses a hooks URL on the editor\'s own host, naming the variable', () => {
    expect(() => loadConfig({ HOOKFLOW_PUBLIC_URL: 'https://a.test', HOOKFLOW_HOOKS_URL: 'https://a.test/' })).toThrow(/HOOKFLOW_HOOKS_URL/);
    expect(() => loadConfig({ HOOKFLOW_HOOKS_URL: 'ftp://x' })).toThrow(/HOOKFLOW_HOOKS_URL/);
  });
});
