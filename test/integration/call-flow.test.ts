/** The `call` node and `call-trigger`: sub-flows with and without waiting, failures, links both ways, cycles refused, restart. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, startTestApp, type TestApp } from '../helpers/app.js';
import { finished, post } from '../helpers/flows.js';
import { startReceiver } from '../helpers/http-receiver.js';

const hook = { id: 'hook', type: 'webhook', params: {} };
const called = { id: 'start', type: 'call-trigger', params: {} };
const fire = async (url: string, body: unknown): Promise<string> => ((await (await post(url, JSON.stringify(body))).json()) as { executionId: string }).executionId;
const step = (e: { steps: Array<{ nodeId: string }> }, id: string): any => e.steps.find((s) => s.nodeId === id);

async function create(t: TestApp, body: Record<string, unknown>) {
  const r = await t.api('POST', '/api/flows', { active: true, edges: [], ...body });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body as { id: string; webhook: { url: string } };
}

const doubler = (extra: unknown[] = [], edges: unknown[] = []) => ({
  name: 'double', nodes: [called, { id: 'calc', type: 'transform', params: { code: 'if (input.body.fail) throw new Error("cannot double"); return { doubled: input.body.n * 2 }' } }, ...extra],
  edges: [{ from: 'start', to: 'calc' }, ...edges],
});

describe('call flow', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' }); });
  afterAll(async () => { await t.close(); });

  it('runs the called flow with the input, waits for its answer, and links parent and child both ways', async () => {
    const child = await create(t, doubler());
    const parent = await create(t, { name: 'parent', nodes: [hook, { id: 'sub', type: 'call', params: { flowId: child.id, input: '{{ input.body }}' } }], edges: [{ from: 'hook', to: 'sub' }] });
    const id = await fire(parent.webhook.url, { n: 21 });
    const e = await finished(t, id);
    expect(e.status).toBe('succeeded');
    expect(step(e, 'sub')).toMatchObject({ status: 'succeeded', port: 'out', output: { doubled: 42 } });
    expect(e.children).toHaveLength(1);
    expect(e.children[0]).toMatchObject({ flowId: child.id, mode: 'call', nodeId: 'sub', status: 'succeeded' });
    const c = (await t.api('GET', `/api/executions/${e.children[0].id}`)).body;
    expect(c.parent).toEqual({ executionId: id, nodeId: 'sub' });
    expect(c.trigger.body).toEqual({ n: 21 });
  });

  it('inside a split loop each item calls and waits for a child of its own', async () => {
    const child = await create(t, doubler());
    const parent = await create(t, { name: 'per item', nodes: [hook,
      { id: 'each', type: 'split', params: { path: 'input.body.ns', concurrency: 2 } },
      { id: 'sub', type: 'call', params: { flowId: child.id, input: { n: '{{ input }}' } } },
      { id: 'all', type: 'aggregate', params: {} }],
    edges: [{ from: 'hook', to: 'each' }, { from: 'each', to: 'sub' }, { from: 'sub', to: 'all' }] });
    const e = await finished(t, await fire(parent.webhook.url, { ns: [1, 2, 3] }));
    expect(e.status).toBe('succeeded');
    expect(step(e, 'all').output.items).toEqual([{ doubled: 2 }, { doubled: 4 }, { doubled: 6 }]);
    expect(e.children.map((c: { nodeId: string }) => c.nodeId).sort()).toEqual(['sub@0', 'sub@1', 'sub@2']);
  });

  it('goes on at once without waiting, emitting the child execution id', async () => {
    const child = await create(t, doubler([{ id: 'nap', type: 'delay', params: { ms: 300 } }], [{ from: 'calc', to: 'nap' }]));
    const parent = await create(t, { name: 'fire and forget', nodes: [hook, { id: 'sub', type: 'call', params: { flowId: child.id, wait: 'start' } }], edges: [{ from: 'hook', to: 'sub' }] });
    const e = await finished(t, await fire(parent.webhook.url, { n: 1 }));
    const childId = step(e, 'sub').output.executionId as string;
    expect(childId).toMatch(/^exe_/);
    expect((await finished(t, childId)).status).toBe('succeeded');
    expect((await t.api('GET', `/api/executions/${childId}`)).body.parent).toEqual({ executionId: e.id, nodeId: 'sub' });
  });

  it('a failed child fails the call node (subflow_failed), routable to its error port', async () => {
    const child = await create(t, doubler());
    const parent = await create(t, {
      name: 'parent-err',
      nodes: [hook, { id: 'sub', type: 'call', params: { flowId: child.id, input: '{{ input.body }}' } }, { id: 'handled', type: 'respond', params: { body: '{{ input.error }}' } }],
      edges: [{ from: 'hook', to: 'sub' }, { from: 'sub', fromPort: 'error', to: 'handled' }],
    });
    const e = await finished(t, await fire(parent.webhook.url, { fail: true }));
    expect(e.status).toBe('succeeded');
    expect(step(e, 'sub')).toMatchObject({ status: 'failed', port: 'error', error: { code: 'subflow_failed' } });
    expect(step(e, 'sub').error.message).toContain('cannot double');
    const bare = await create(t, { name: 'parent-bare', nodes: [hook, { id: 'sub', type: 'call', params: { flowId: child.id, input: '{{ input.body }}' } }], edges: [{ from: 'hook', to: 'sub' }] });
    const f = await finished(t, await fire(bare.webhook.url, { fail: true }));
    expect(f.status).toBe('failed');
    expect(f.error).toMatchObject({ code: 'subflow_failed', nodeId: 'sub' });
  });

  it('resuming a parent whose call failed starts a new child; the failed one stays in the history', async () => {
    let calls = 0;
    const rx = await startReceiver((_r, res) => { calls++; res.writeHead(calls === 1 ? 500 : 200, { 'content-type': 'application/json' }).end('{"ok":true}'); });
    try {
      const child = await create(t, { name: 'flaky partner', nodes: [called, { id: 'push', type: 'http', retry: { maxAttempts: 1 }, params: { url: `${rx.url}/push` } }], edges: [{ from: 'start', to: 'push' }] });
      const parent = await create(t, { name: 'parent-resume', nodes: [hook, { id: 'sub', type: 'call', params: { flowId: child.id } }], edges: [{ from: 'hook', to: 'sub' }] });
      const id = await fire(parent.webhook.url, {});
      const failed = await finished(t, id);
      expect(failed.error).toMatchObject({ code: 'subflow_failed', nodeId: 'sub' });
      expect((await t.api('POST', `/api/executions/${id}/replay`, { mode: 'resume' })).status).toBeLessThan(300);
      const e = await eventually(async () => {
        const x = (await t.api('GET', `/api/executions/${id}`)).body;
        return x.status === 'succeeded' ? x : undefined;
      });
      expect(e.children.map((c: { status: string; nodeId: string }) => [c.status, c.nodeId])).toEqual([['failed', 'sub'], ['succeeded', 'sub']]);
      expect(calls).toBe(2);
    } finally {
      await rx.close();
    }
  });

  it('a flow started only by calls has no inbound URL', async () => {
    const child = await create(t, doubler());
    const res = await post(child.webhook.url, '{"n":1}');
    expect(res.status).toBe(404);
    expect((await t.api('GET', `/api/executions?flowId=${child.id}`)).body.total).toBe(0);
  });

  it('refuses cycles of calls at save, naming the node', async () => {
    const a = await create(t, doubler());
    const b = await create(t, { name: 'b', nodes: [called, { id: 'toA', type: 'call', params: { flowId: a.id } }], edges: [{ from: 'start', to: 'toA' }] });
    const back = await t.api('PUT', `/api/flows/${a.id}`, { name: 'a', nodes: [called, { id: 'toB', type: 'call', params: { flowId: b.id } }], edges: [{ from: 'start', to: 'toB' }] });
    expect(back.status).toBe(400);
    expect(back.body.error.message).toContain('node "toB"');
    expect(back.body.error.message).toContain(`${a.id} → ${b.id} → ${a.id}`);
    const self = await t.api('PUT', `/api/flows/${a.id}`, { name: 'a', nodes: [called, { id: 'me', type: 'call', params: { flowId: a.id } }], edges: [{ from: 'start', to: 'me' }] });
    expect(self.status).toBe(400);
    expect(self.body.error.message).toContain('node "me"');
    const two = await t.api('POST', '/api/flows', { name: 'x', nodes: [hook, called], edges: [] });
    expect(two.status).toBe(400);
    expect(two.body.error.message).toContain('exactly one trigger');
  });

  it('a call to a flow that is gone fails permanently', async () => {
    const parent = await create(t, { name: 'p', nodes: [hook, { id: 'sub', type: 'call', params: { flowId: 'flw_0000gone' } }], edges: [{ from: 'hook', to: 'sub' }] });
    const e = await finished(t, await fire(parent.webhook.url, {}));
    expect(e.error).toMatchObject({ code: 'flow_missing', nodeId: 'sub' });
  });
});

describe('call flow across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-call-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a parent waiting on a child that finishes after a restart resumes with its answer, and the child ran once', async () => {
    const first = await startTestApp({}, dir);
    let id = '';
    let child = '';
    try {
      const c = await create(first, doubler([{ id: 'nap', type: 'delay', params: { ms: 1500 } }, { id: 'answer', type: 'respond', params: { body: '{{ nodes.calc }}' } }],
        [{ from: 'calc', to: 'nap' }, { from: 'nap', to: 'answer' }]));
      child = c.id;
      const parent = await create(first, { name: 'parent', nodes: [hook, { id: 'sub', type: 'call', params: { flowId: c.id, input: '{{ input.body }}' } }], edges: [{ from: 'hook', to: 'sub' }] });
      id = await fire(parent.webhook.url, { n: 5 });
      await eventually(async () => (await first.api('GET', `/api/executions/${id}`)).body.status === 'waiting');
    } finally {
      await first.close({ keepData: true });
    }
    const second = await startTestApp({}, dir);
    try {
      const e = await finished(second, id, 20_000);
      expect(e.status).toBe('succeeded');
      expect(step(e, 'sub').output).toEqual({ doubled: 10 });
      expect((await second.api('GET', `/api/executions?flowId=${child}`)).body.total).toBe(1);
    } finally {
      await second.close();
    }
  });
});
