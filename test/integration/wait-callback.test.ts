/** The `wait` node against a real server: resume URL sent out by an earlier http node, callbacks, 409s, timeout, auth, restart. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, startTestApp, TEST_TOKEN, type TestApp } from '../helpers/app.js';
import { freePort, startChildServer } from '../helpers/child-server.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';

const env = { HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' };
const hook = { id: 'hook', type: 'webhook', params: {} };
const json = { 'content-type': 'application/json' };

/** hook → notify (sends {{ resume.approve }} to the receiver) → approve (wait) → out: paid / timeout: late. */
const callbackFlow = (rx: Receiver, wait: Record<string, unknown> = {}) => [
  [hook,
    { id: 'notify', type: 'http', params: { url: `${rx.url}/notify`, body: { order: '{{ input.body.order }}', resumeUrl: '{{ resume.approve }}' } } },
    { id: 'approve', type: 'wait', params: { timeoutMs: 60_000, ...wait } },
    { id: 'paid', type: 'respond', params: { body: { paid: '{{ input.body.paid }}' } } },
    { id: 'late', type: 'respond', params: { body: { late: true } } }],
  [{ from: 'hook', to: 'notify' }, { from: 'notify', to: 'approve' }, { from: 'approve', to: 'paid' }, { from: 'approve', fromPort: 'timeout', to: 'late' }],
] as const;

const fire = async (url: string, body: unknown): Promise<string> => ((await (await post(url, JSON.stringify(body))).json()) as { executionId: string }).executionId;
const status = async (t: TestApp, id: string): Promise<string> => (await t.api('GET', `/api/executions/${id}`)).body.status;

describe('wait for callback', () => {
  let t: TestApp;
  let rx: Receiver;
  beforeAll(async () => { t = await startTestApp(env); rx = await startReceiver(); });
  afterAll(async () => { await t.close(); await rx.close(); });

  const resumeUrlOf = async (order: number): Promise<string> => {
    const r = await eventually(async () => rx.requests.find((x) => JSON.parse(x.body).order === order));
    return (JSON.parse(r.body) as { resumeUrl: string }).resumeUrl;
  };

  it('parks, resumes with the callback request as the node output, and answers a second call 409', async () => {
    const [nodes, edges] = callbackFlow(rx);
    const f = await activeFlow(t, [...nodes], [...edges]);
    const id = await fire(f.hook, { order: 1 });
    const url = await resumeUrlOf(1);
    expect(url.startsWith(`${t.url}/hooks/resume/${id}.approve.`)).toBe(true);
    await eventually(async () => (await status(t, id)) === 'waiting');
    // Nothing runs while it waits: no worker holds it.
    expect(t.app.store.raw.db.prepare('SELECT lease_owner FROM executions WHERE id = ?').pluck().get(id)).toBeNull();
    const res = await post(`${url}?via=psp`, JSON.stringify({ paid: true }), { ...json, cookie: 'sid=secret', 'x-psp': 'yes' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ executionId: id, resumed: true });
    expect(res.headers.get('content-security-policy')).toBe('sandbox');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('set-cookie')).toBeNull();
    const e = await finished(t, id);
    expect(e.status).toBe('succeeded');
    const approve = e.steps.find((s: { nodeId: string }) => s.nodeId === 'approve');
    expect(approve).toMatchObject({ status: 'succeeded', port: 'out' });
    expect(approve.output).toMatchObject({ method: 'POST', body: { paid: true }, query: { via: 'psp' } });
    expect(approve.output.headers['x-psp']).toBe('yes');
    expect(approve.output.headers.cookie).toBeUndefined();
    expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'late').status).toBe('skipped');
    const again = await post(url, JSON.stringify({ paid: false }));
    expect(again.status).toBe(409);
    expect(again.headers.get('content-security-policy')).toBe('sandbox');
  });

  it('takes the timeout port when no callback comes, and a late callback gets 409', async () => {
    const [nodes, edges] = callbackFlow(rx, { timeoutMs: 300 });
    const f = await activeFlow(t, [...nodes], [...edges]);
    const id = await fire(f.hook, { order: 2 });
    const url = await resumeUrlOf(2);
    const e = await finished(t, id);
    expect(e.status).toBe('succeeded');
    expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'approve')).toMatchObject({ status: 'succeeded', port: 'timeout' });
    expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'late').status).toBe('succeeded');
    expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'paid').status).toBe('skipped');
    expect((await post(url, '{}')).status).toBe(409);
  });

  it('keeps a callback that arrives before the wait step runs', async () => {
    const f = await activeFlow(t, [hook,
      { id: 'notify', type: 'http', params: { url: `${rx.url}/notify`, body: { order: '{{ input.body.order }}', resumeUrl: '{{ resume.approve }}' } } },
      { id: 'slow', type: 'delay', params: { ms: 1500 } },
      { id: 'approve', type: 'wait', params: { timeoutMs: 60_000 } }],
    [{ from: 'hook', to: 'notify' }, { from: 'notify', to: 'slow' }, { from: 'slow', to: 'approve' }]);
    const id = await fire(f.hook, { order: 3 });
    const url = await resumeUrlOf(3);
    expect((await post(url, JSON.stringify({ early: true }))).status).toBe(202);
    const mid = await t.api('GET', `/api/executions/${id}`);
    expect(mid.body.steps.find((s: { nodeId: string }) => s.nodeId === 'approve')).toBeUndefined();
    const e = await finished(t, id);
    expect(e.status).toBe('succeeded');
    expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'approve').output.body).toEqual({ early: true });
  });

  it('a wait parked on one branch ends canceled when another branch fails, and its callback then gets 409', async () => {
    const f = await activeFlow(t, [hook,
      { id: 'notify', type: 'http', params: { url: `${rx.url}/notify`, body: { order: '{{ input.body.order }}', resumeUrl: '{{ resume.approve }}' } } },
      { id: 'approve', type: 'wait', params: { timeoutMs: 60_000 } },
      { id: 'slow', type: 'delay', params: { ms: 400 } },
      { id: 'boom', type: 'transform', params: { code: 'throw new Error("other branch broke")' } }],
    [{ from: 'hook', to: 'notify' }, { from: 'notify', to: 'approve' }, { from: 'hook', to: 'slow' }, { from: 'slow', to: 'boom' }]);
    const id = await fire(f.hook, { order: 5 });
    const url = await resumeUrlOf(5);
    const e = await finished(t, id);
    expect(e.status).toBe('failed');
    expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'approve').status).toBe('canceled');
    expect((await post(url, '{}')).status).toBe(409);
  });

  it('inside a split loop each item waits at its own URL, which the same item\'s nodes see', async () => {
    const f = await activeFlow(t, [hook,
      { id: 'each', type: 'split', params: { path: 'input.body.parts', concurrency: 3 } },
      { id: 'notify', type: 'http', params: { url: `${rx.url}/notify`, body: { order: '{{ input.order }}', resumeUrl: '{{ resume.approve }}' } } },
      { id: 'approve', type: 'wait', params: { timeoutMs: 60_000 } },
      { id: 'all', type: 'aggregate', params: {} }],
    [{ from: 'hook', to: 'each' }, { from: 'each', to: 'notify' }, { from: 'notify', to: 'approve' }, { from: 'approve', to: 'all' }]);
    const id = await fire(f.hook, { parts: [{ order: 61 }, { order: 62 }, { order: 63 }] });
    const urls = [await resumeUrlOf(61), await resumeUrlOf(62), await resumeUrlOf(63)];
    expect(urls.map((u) => new URL(u).pathname.split('.')[1])).toEqual(['approve@0', 'approve@1', 'approve@2']);
    await eventually(async () => (await status(t, id)) === 'waiting');
    for (const [i, u] of [...urls.entries()].reverse()) expect((await post(u, JSON.stringify({ ok: i }))).status).toBe(202);
    expect((await post(urls[1], '{}')).status).toBe(409);
    const e = await finished(t, id);
    expect(e.status).toBe('succeeded');
    expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'all').output.items.map((x: { body: unknown }) => x.body)).toEqual([{ ok: 0 }, { ok: 1 }, { ok: 2 }]);
  });

  it('code sees the resume URLs as ctx.resumeUrls', async () => {
    const f = await activeFlow(t, [hook,
      { id: 'code', type: 'transform', params: { code: 'return { link: ctx.resumeUrls.approve }' } },
      { id: 'approve', type: 'wait', params: { timeoutMs: 200 } }],
    [{ from: 'hook', to: 'code' }, { from: 'code', to: 'approve' }]);
    const id = await fire(f.hook, {});
    const e = await finished(t, id);
    expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'code').output.link).toMatch(new RegExp(`/hooks/resume/${id}\\.approve\\.[A-Za-z0-9_-]{43}$`));
  });

  it('refuses a tampered token (404), a wrong method (405) and an unsigned call when auth is set (401)', async () => {
    const cred = await t.api('POST', '/api/credentials', { name: 'psp token', type: 'header', data: { name: 'x-psp-token', value: 's3cret-token-value' } });
    expect(cred.status).toBe(201);
    const [nodes, edges] = callbackFlow(rx, { auth: { kind: 'header', header: 'x-psp-token', credentialId: cred.body.id } });
    const f = await activeFlow(t, [...nodes], [...edges]);
    const id = await fire(f.hook, { order: 4 });
    const url = await resumeUrlOf(4);
    await eventually(async () => (await status(t, id)) === 'waiting');
    const tampered = url.slice(0, -3) + (url.endsWith('AAA') ? 'BBB' : 'AAA');
    expect((await post(tampered, '{}')).status).toBe(404);
    expect((await post(url.replace('.approve.', '.notify.'), '{}')).status).toBe(404);
    expect((await fetch(url)).status).toBe(405);
    expect((await post(url, '{}')).status).toBe(401);
    expect((await post(url, '{}', { ...json, 'x-psp-token': 'wrong' })).status).toBe(401);
    expect(await status(t, id)).toBe('waiting');
    expect((await post(url, JSON.stringify({ paid: true }), { ...json, 'x-psp-token': 's3cret-token-value' })).status).toBe(202);
    const e = await finished(t, id);
    const out = e.steps.find((s: { nodeId: string }) => s.nodeId === 'approve').output;
    expect(out.body).toEqual({ paid: true });
    expect(out.headers['x-psp-token']).toBe('[redacted]');
  });
});

describe('wait for callback across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-wait-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a callback after the server restarted resumes the parked execution', async () => {
    const rx = await startReceiver();
    let id = '';
    let url = '';
    const first = await startTestApp(env, dir);
    try {
      const [nodes, edges] = callbackFlow(rx);
      const f = await activeFlow(first, [...nodes], [...edges]);
      id = await fire(f.hook, { order: 9 });
      await eventually(async () => (await status(first, id)) === 'waiting');
      url = (JSON.parse(rx.requests[0].body) as { resumeUrl: string }).resumeUrl;
    } finally {
      await first.close({ keepData: true });
    }
    const second = await startTestApp(env, dir);
    try {
      expect(await status(second, id)).toBe('waiting');
      // The URL names the first process's port; the token is what counts, on whichever process serves it.
      const path = new URL(url).pathname;
      const res = await post(`${second.url}${path}`, JSON.stringify({ paid: true }));
      expect(res.status).toBe(202);
      const e = await finished(second, id);
      expect(e.status).toBe('succeeded');
      expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'paid').output.body).toEqual({ paid: true });
      expect(rx.requests).toHaveLength(1);
      expect((await post(`${second.url}${path}`, '{}')).status).toBe(409);
    } finally {
      await second.close({ keepData: true });
      await rx.close();
    }
  });
});

describe('wait for callback across a SIGKILL', () => {
  it('an execution parked in a wait when the process is killed resumes from a callback to the restarted server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-wait-kill-'));
    const port = await freePort();
    const rx = await startReceiver();
    const env = { HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' };
    const api = async (base: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return (await res.json()) as any;
    };
    let server = await startChildServer(dir, port, env);
    try {
      const [nodes, edges] = callbackFlow(rx);
      const flow = await api(server.url, 'POST', '/api/flows', { name: 'kill', active: true, nodes, edges });
      const id = await fire(flow.webhook.url, { order: 77 });
      await eventually(async () => (await api(server.url, 'GET', `/api/executions/${id}`)).status === 'waiting');
      const url = (JSON.parse(rx.requests[0].body) as { resumeUrl: string }).resumeUrl;
      await server.kill('SIGKILL');
      server = await startChildServer(dir, port, env);
      const res = await post(url, JSON.stringify({ paid: true }));
      expect(res.status).toBe(202);
      await eventually(async () => (await api(server.url, 'GET', `/api/executions/${id}`)).status === 'succeeded', 20_000);
      const e = await api(server.url, 'GET', `/api/executions/${id}`);
      expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'paid').output.body).toEqual({ paid: true });
      expect(rx.requests).toHaveLength(1);
    } finally {
      await server.kill('SIGKILL');
      await rx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
