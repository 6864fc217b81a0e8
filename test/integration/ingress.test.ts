import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, post, finished } from '../helpers/flows.js';

const hookNode = (params: Record<string, unknown> = {}) => ({ id: 'hook', type: 'webhook', params });

describe('inbound webhooks', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  it('accepts asynchronously with 202 after storing, then runs the flow', async () => {
    const f = await activeFlow(t, [hookNode()], []);
    const res = await post(`${f.hook}?a=1&a=2&b=x`, JSON.stringify({ order: 42 }), { 'content-type': 'application/json', 'x-id': 'abc' });
    expect(res.status).toBe(202);
    const { executionId } = await res.json();
    const e = await finished(t, executionId);
    expect(e.status).toBe('succeeded');
    expect(e.flowVersion).toBe(1);
    expect(e.trigger).toMatchObject({ method: 'POST', body: { order: 42 }, query: { a: ['1', '2'], b: 'x' } });
    expect(e.trigger.headers['x-id']).toBe('abc');
    expect(e.steps).toEqual([expect.objectContaining({ nodeId: 'hook', status: 'succeeded', port: 'out' })]);
    expect(e.attempts).toHaveLength(1);
  });

  it('answers 404 for unknown tokens and path tricks (W-22)', async () => {
    for (const path of ['/hooks/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '/hooks/..%2f..%2fapi%2fflows', '/hooks/', '/hooks/short']) {
      expect((await post(`${t.url}${path}`, '{}')).status, path).toBe(404);
    }
  });

  it('answers 405 with Allow for a method the webhook does not take (W-22)', async () => {
    const f = await activeFlow(t, [hookNode({ methods: ['POST', 'PUT'] })], []);
    const res = await post(f.hook, '', {}, 'GET');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, PUT');
    expect((await post(f.hook, '{}', { 'content-type': 'application/json' }, 'PUT')).status).toBe(202);
  });

  it('answers 413 over the body limit, also after decompression, and stores nothing (W-10, W-11)', async () => {
    const f = await activeFlow(t, [hookNode({ maxBodyBytes: 1000 })], []);
    const before = (await t.api('GET', `/api/executions?flowId=${f.id}`)).body.total;
    expect((await post(f.hook, JSON.stringify({ s: 'x'.repeat(1000) }))).status).toBe(413);
    const bomb = gzipSync(Buffer.from(JSON.stringify({ s: 'x'.repeat(100_000) })));
    expect(bomb.length).toBeLessThan(1000);
    expect((await post(f.hook, bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(413);
    const ok = gzipSync(Buffer.from('{"small":true}'));
    expect((await post(f.hook, ok, { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(202);
    expect((await t.api('GET', `/api/executions?flowId=${f.id}`)).body.total).toBe(before + 1);
  });

  it('answers 415 outside the accept list, 400 for malformed or too-deep JSON (W-12, W-13)', async () => {
    const f = await activeFlow(t, [hookNode()], []);
    expect((await post(f.hook, '<x/>', { 'content-type': 'application/x-custom' })).status).toBe(415);
    expect((await post(f.hook, '--b\r\n', { 'content-type': 'multipart/form-data; boundary=b' })).status).toBe(415);
    const bad = await post(f.hook, '{"a":', { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('malformed_json');
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect((await post(f.hook, deep)).status).toBe(400);
    const form = await post(f.hook, 'a=1&a=2&b=%20x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(202);
    const e = await finished(t, (await form.json()).executionId);
    expect(e.trigger.body).toEqual({ a: ['1', '2'], b: ' x' });
  });

  it('keeps prototype keys as plain data (W-15)', async () => {
    const f = await activeFlow(t, [hookNode()], []);
    const res = await post(f.hook, '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}');
    expect(res.status).toBe(202);
    await finished(t, (await res.json()).executionId);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('deduplicates by the idempotency header: one execution, later answers 200 duplicate', async () => {
    const f = await activeFlow(t, [hookNode({ idempotencyHeader: 'X-Delivery' })], []);
    const send = () => post(f.hook, '{}', { 'content-type': 'application/json', 'x-delivery': 'd-1' });
    const answers = await Promise.all([send(), send(), send()]);
    const bodies = await Promise.all(answers.map((a) => a.json()));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 202]);
    expect(new Set(bodies.map((b) => b.executionId)).size).toBe(1);
    expect(bodies.filter((b) => b.duplicate === true)).toHaveLength(2);
    expect((await t.api('GET', `/api/executions?flowId=${f.id}`)).body.total).toBe(1);
    expect((await post(f.hook, '{}', { 'content-type': 'application/json', 'x-delivery': 'd-2' })).status).toBe(202);
  });

  it('answers 429 with Retry-After over the per-flow rate limit, leaving other flows alone (W-21)', async () => {
    const limited = await activeFlow(t, [hookNode({ rateLimitPerMin: 3 })], []);
    const other = await activeFlow(t, [hookNode()], []);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post(limited.hook, '{}')).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const last = await post(limited.hook, '{}');
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await post(other.hook, '{}')).status).toBe(202);
  });

  it('answers 503 with Retry-After and stores nothing when the database cannot write (W-23)', async () => {
    const f = await activeFlow(t, [hookNode()], []);
    const db = t.app.store.raw.db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    try {
      const big = JSON.stringify({ s: 'y'.repeat(200_000) });
      const res = await post(f.hook, big);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
    } finally {
      db.pragma('max_page_count = 1073741823');
    }
    expect((await t.api('GET', `/api/executions?flowId=${f.id}`)).body.total).toBe(0);
    expect((await post(f.hook, '{}')).status).toBe(202);
  });
});

describe('synchronous webhooks', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });
  const sync = (extra: Record<string, unknown> = {}) => hookNode({ response: { mode: 'sync', ...extra } });

  it('answers with what the respond node says, templates rendered', async () => {
    const f = await activeFlow(t, [sync(), { id: 'r', type: 'respond', params: { status: '{{ input.body.code }}', headers: { 'x-order': '{{ input.body.id }}' }, body: { got: '{{ input.body.id }}', n: '{{ input.body.n }}' } } }], [{ from: 'hook', to: 'r' }]);
    const res = await post(f.hook, JSON.stringify({ code: 201, id: 'o-1', n: 7 }));
    expect(res.status).toBe(201);
    expect(res.headers.get('x-order')).toBe('o-1');
    expect(await res.json()).toEqual({ got: 'o-1', n: 7 });
  });

  it('answers 200 with the last output when no respond node is reached', async () => {
    const f = await activeFlow(t, [sync()], []);
    const res = await post(f.hook, '{"x":1}');
    expect(res.status).toBe(200);
    expect((await res.json()).body).toEqual({ x: 1 });
  });

  it('answers 500 with the execution id when the execution fails', async () => {
    const f = await activeFlow(t, [sync(), { id: 'r', type: 'respond', params: { status: '{{ input.body.code }}' } }], [{ from: 'hook', to: 'r' }]);
    const res = await post(f.hook, '{"code":"not a number"}');
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.error).toEqual({ code: 'execution_failed', message: expect.any(String), executionId: body.executionId });
    const e = await finished(t, body.executionId);
    expect(e.status).toBe('failed');
    expect(e.error.code).toBe('invalid_params');
  });

  it('answers 202 with the execution id past the sync timeout, and the execution still finishes', async () => {
    const f = await activeFlow(t, [sync({ timeoutMs: 200 }), { id: 'wait', type: 'delay', params: { ms: 600 } }], [{ from: 'hook', to: 'wait' }]);
    const res = await post(f.hook, '{}');
    expect(res.status).toBe(202);
    const { executionId } = await res.json();
    expect((await finished(t, executionId)).status).toBe('succeeded');
  });
});


