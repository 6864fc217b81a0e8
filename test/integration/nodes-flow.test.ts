import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, post, finished } from '../helpers/flows.js';

const hook = (params: Record<string, unknown> = {}) => ({ id: 'hook', type: 'webhook', params });

describe('flows through validate, transform and condition with the real sandbox', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  it('runs the README walk-through flow exactly as documented', async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    // The flow document of the walk-through's step 1 (test/integration/readme-walkthrough.test.ts runs the whole block).
    const json = /curl -s localhost:8080\/api\/flows -H "\$H" -H "\$J" -d '([\s\S]*?)'\)/.exec(readme);
    expect(json).not.toBeNull();
    const res = await t.api('POST', '/api/flows', JSON.parse(json![1]));
    expect(res.status).toBe(201);
    const url = res.body.webhook.url;
    const ok = await post(url, '{"items":[{"price":2.5,"qty":2},{"price":1,"qty":3}]}', { 'content-type': 'application/json', 'x-delivery-id': 'd-1' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ total: 8 });
    const bad = await post(url, '{"nope":1}');
    expect(bad.status).toBe(400);
    const badBody = await bad.json();
    expect(badBody.error.code).toBe('validation_failed');
    expect(badBody.error.details[0].message).toContain('items');
    const dup = await post(url, '{"items":[]}', { 'content-type': 'application/json', 'x-delivery-id': 'd-1' });
    expect(dup.status).toBe(200);
    expect(await dup.json()).toMatchObject({ duplicate: true });
  });

  it('branches on condition rules and skips the untaken branch', async () => {
    const f = await activeFlow(t, [
      hook({ response: { mode: 'sync' } }),
      { id: 'big', type: 'condition', params: { rules: [{ path: 'input.body.total', op: 'gte', value: 100 }] } },
      { id: 'yes', type: 'respond', params: { body: 'big order' } },
      { id: 'no', type: 'respond', params: { body: 'small order' } },
    ], [{ from: 'hook', to: 'big' }, { from: 'big', fromPort: 'true', to: 'yes' }, { from: 'big', fromPort: 'false', to: 'no' }]);
    const big = await post(f.hook, '{"total":150}');
    expect(await big.json()).toBe('big order');
    const small = await post(f.hook, '{"total":5}');
    expect(await small.json()).toBe('small order');
  });

  it('evaluates a sandboxed condition expression', async () => {
    const f = await activeFlow(t, [
      hook({ response: { mode: 'sync' } }),
      { id: 'vip', type: 'condition', params: { expression: "input.body.tags.includes('vip') && ctx.trigger.method === 'POST'" } },
      { id: 'yes', type: 'respond', params: { status: 201, body: 'vip' } },
    ], [{ from: 'hook', to: 'vip' }, { from: 'vip', fromPort: 'true', to: 'yes' }]);
    const res = await post(f.hook, '{"tags":["vip"]}');
    expect(res.status).toBe(201);
    const other = await post(f.hook, '{"tags":[]}');
    expect(other.status).toBe(200);
  });

  it('joins two branches into one node whose input is keyed by upstream id', async () => {
    const f = await activeFlow(t, [
      hook({ response: { mode: 'sync' } }),
      { id: 'a', type: 'transform', params: { code: 'return input.body.x + 1' } },
      { id: 'b', type: 'transform', params: { code: 'return input.body.x * 10' } },
      { id: 'sum', type: 'transform', params: { code: 'return { a: input.a, b: input.b, total: input.a + input.b }' } },
    ], [{ from: 'hook', to: 'a' }, { from: 'hook', to: 'b' }, { from: 'a', to: 'sum' }, { from: 'b', to: 'sum' }]);
    const res = await post(f.hook, '{"x":2}');
    expect((await res.json()).valueOf()).toEqual({ a: 3, b: 20, total: 23 });
  });

  it('fails a transform that throws, with user_code_error, and keeps serving', async () => {
    const f = await activeFlow(t, [hook(), { id: 'boom', type: 'transform', params: { code: "throw new Error('nope ' + input.body.n)" } }], [{ from: 'hook', to: 'boom' }]);
    const res = await post(f.hook, '{"n":7}');
    const e = await finished(t, (await res.json()).executionId);
    expect(e.status).toBe('failed');
    expect(e.error).toMatchObject({ code: 'user_code_error', nodeId: 'boom' });
    expect(e.error.message).toContain('nope 7');
    expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'boom').attempts).toBe(1);
  });

  it('keeps accepting webhooks while user code hangs the sandbox (S-10, S-12)', async () => {
    const hang = await activeFlow(t, [hook(), { id: 'spin', type: 'transform', params: { code: 'for(;;){}', timeoutMs: 3000 } }], [{ from: 'hook', to: 'spin' }]);
    const never = await activeFlow(t, [hook(), { id: 'wait', type: 'transform', params: { code: 'return new Promise(() => {})', timeoutMs: 200 } }], [{ from: 'hook', to: 'wait' }]);
    const fine = await activeFlow(t, [hook()], []);
    const a = (await (await post(hang.hook, '{}')).json()).executionId;
    const b = (await (await post(never.hook, '{}')).json()).executionId;
    const started = Date.now();
    expect((await post(fine.hook, '{}')).status).toBe(202);
    // Answered while the sandbox is still stuck in the 3 s loop.
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await finished(t, a)).error.code).toBe('sandbox_timeout');
    expect((await finished(t, b)).error.code).toBe('sandbox_timeout');
  });

  it('validates with the invalid port connected and passes the errors on', async () => {
    const f = await activeFlow(t, [
      hook({ response: { mode: 'sync' } }),
      { id: 'check', type: 'validate', params: { schema: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 10 } } } } },
      { id: 'reject', type: 'respond', params: { status: 422, body: '{{ input.errors }}' } },
    ], [{ from: 'hook', to: 'check' }, { from: 'check', fromPort: 'invalid', to: 'reject' }]);
    const res = await post(f.hook, '{"id":5}');
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual([{ path: '/id', message: expect.any(String) }]);
  });

  it('rejects an unsafe schema at save time, naming the field (V-2, V-4)', async () => {
    const res = await t.api('POST', '/api/flows', { name: 'x', nodes: [hook(), { id: 'check', type: 'validate', params: { schema: { type: 'string', format: 'email' } } }], edges: [{ from: 'hook', to: 'check' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ nodeId: 'check', field: expect.stringContaining('schema') });
  });
});
