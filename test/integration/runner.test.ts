import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, post, finished } from '../helpers/flows.js';
import { flakyNode, switchNode } from '../helpers/flaky-node.js';

const hook = { id: 'hook', type: 'webhook', params: {} };

describe('runner', () => {
  let t: TestApp;
  const calls: Array<{ key: string; attempt: number; at: number }> = [];
  const sw = { fail: true, calls: 0 };
  beforeAll(async () => { t = await startTestApp({}, undefined, { extraNodes: [flakyNode(calls), switchNode(sw)] }); });
  afterAll(async () => { await t.close(); });

  const fire = async (f: { hook: string }, body: unknown = {}) => (await (await post(f.hook, JSON.stringify(body))).json()).executionId as string;

  it('retries a retryable failure on its policy, recording every attempt under one idempotency key', async () => {
    const f = await activeFlow(t, [hook, { id: 'call', type: 'flaky', params: { failUntilAttempt: 3 } }], [{ from: 'hook', to: 'call' }]);
    const e = await finished(t, await fire(f));
    expect(e.status).toBe('succeeded');
    const step = e.steps.find((s: { nodeId: string }) => s.nodeId === 'call');
    expect(step).toMatchObject({ status: 'succeeded', attempts: 3, output: { attempt: 3 } });
    const mine = e.attempts.filter((a: { nodeId: string }) => a.nodeId === 'call');
    expect(mine.map((a: { status: string }) => a.status)).toEqual(['failed', 'failed', 'succeeded']);
    expect(mine[0].errorCode).toBe('flaky_transient');
    const keys = calls.filter((c) => c.key === `${e.id}:call`);
    expect(keys.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(keys[1].at - keys[0].at).toBeGreaterThanOrEqual(45);
  });

  it('honours a Retry-After longer than the backoff', async () => {
    const f = await activeFlow(t, [hook, { id: 'call', type: 'flaky', params: { failUntilAttempt: 2, retryAfterMs: 400 } }], [{ from: 'hook', to: 'call' }]);
    const e = await finished(t, await fire(f));
    const keys = calls.filter((c) => c.key === `${e.id}:call`);
    expect(keys[1].at - keys[0].at).toBeGreaterThanOrEqual(390);
  });

  it('times a node out after its timeoutMs, aborts its signal, and retries it', async () => {
    const f = await activeFlow(t, [hook, { id: 'call', type: 'flaky', timeoutMs: 150, params: { failUntilAttempt: 1, hangUntilAttempt: 2 } }], [{ from: 'hook', to: 'call' }]);
    const e = await finished(t, await fire(f));
    expect(e.status).toBe('succeeded');
    const mine = e.attempts.filter((a: { nodeId: string }) => a.nodeId === 'call');
    expect(mine.map((a: { status: string; errorCode?: string }) => [a.status, a.errorCode])).toEqual([['failed', 'node_timeout'], ['succeeded', undefined]]);
    expect(mine[0].endedAt - mine[0].startedAt).toBeGreaterThanOrEqual(140);
  });

  it('fails the execution after the last attempt when the error port is not connected', async () => {
    const f = await activeFlow(t, [hook, { id: 'call', type: 'flaky', params: { failUntilAttempt: 10 }, retry: { maxAttempts: 2, initialDelayMs: 10 } }], [{ from: 'hook', to: 'call' }]);
    const e = await finished(t, await fire(f));
    expect(e.status).toBe('failed');
    expect(e.error).toMatchObject({ code: 'flaky_transient', nodeId: 'call' });
    expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'call').attempts).toBe(2);
  });

  it('does not retry a permanent failure, and routes it to the error port when connected', async () => {
    const f = await activeFlow(t, [
      hook,
      { id: 'call', type: 'flaky', params: { failUntilAttempt: 10, permanent: true } },
      { id: 'after', type: 'respond', params: {} },
      { id: 'ok', type: 'respond', params: {} },
    ], [{ from: 'hook', to: 'call' }, { from: 'call', fromPort: 'error', to: 'after' }, { from: 'call', to: 'ok' }]);
    const e = await finished(t, await fire(f, { n: 1 }));
    expect(e.status).toBe('succeeded');
    const after = e.steps.find((s: { nodeId: string }) => s.nodeId === 'after');
    expect(after.output.body).toEqual({ error: { code: 'flaky_permanent', message: 'attempt 1 failed for good', attempts: 1 }, input: expect.objectContaining({ body: { n: 1 } }) });
    expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'ok').status).toBe('skipped');
  });

  it('parks an execution in a delay without holding a worker, then finishes it', async () => {
    const f = await activeFlow(t, [hook, { id: 'wait', type: 'delay', params: { ms: 300 } }], [{ from: 'hook', to: 'wait' }]);
    const id = await fire(f);
    await new Promise((r) => setTimeout(r, 100));
    const mid = await t.api('GET', `/api/executions/${id}`);
    expect(mid.body.status).toBe('waiting');
    expect(t.app.store.raw.db.prepare('SELECT lease_owner FROM executions WHERE id = ?').pluck().get(id)).toBeNull();
    expect((await finished(t, id)).status).toBe('succeeded');
  });

  it('cancels a waiting execution', async () => {
    const f = await activeFlow(t, [hook, { id: 'wait', type: 'delay', params: { ms: 60_000 } }], [{ from: 'hook', to: 'wait' }]);
    const id = await fire(f);
    await new Promise((r) => setTimeout(r, 100));
    const c = await t.api('POST', `/api/executions/${id}/cancel`);
    expect(c.body).toEqual({ executionId: id, status: 'canceled' });
    expect((await t.api('GET', `/api/executions/${id}`)).body.status).toBe('canceled');
    expect((await t.api('POST', `/api/executions/${id}/cancel`)).body.status).toBe('canceled');
  });

  it('replays an execution as a new one on the current version', async () => {
    const f = await activeFlow(t, [hook], []);
    const first = await finished(t, await fire(f, { x: 1 }));
    const r = await t.api('POST', `/api/executions/${first.id}/replay`, {});
    expect(r.status).toBe(202);
    const again = await finished(t, r.body.executionId);
    expect(again).toMatchObject({ status: 'succeeded', replayOf: first.id, mode: 'replay' });
    expect(again.trigger.body).toEqual({ x: 1 });
  });

  it('resumes a failed execution without repeating the side effect that succeeded', async () => {
    const before = calls.length;
    const f = await activeFlow(t, [hook, { id: 'effect', type: 'flaky', params: { failUntilAttempt: 1 } }, { id: 'gate', type: 'gate-test', params: {} }],
      [{ from: 'hook', to: 'effect' }, { from: 'effect', to: 'gate' }]);
    sw.fail = true;
    const failed = await finished(t, await fire(f));
    expect(failed.status).toBe('failed');
    expect(calls.length - before).toBe(1);
    sw.fail = false;
    const r = await t.api('POST', `/api/executions/${failed.id}/replay`, { mode: 'resume' });
    expect(r.status).toBe(202);
    await new Promise((res) => setTimeout(res, 50));
    const resumed = await finished(t, failed.id);
    expect(resumed.status).toBe('succeeded');
    expect(calls.length - before).toBe(1);
    expect((await t.api('POST', `/api/executions/${failed.id}/replay`, { mode: 'resume' })).status).toBe(409);
  });

  it('shadow-replays a recorded event against another version, stubbing side effects, and diffs each node', async () => {
    const nodes = (factor: number) => [hook, { id: 'calc', type: 'transform', params: { code: `return { y: input.body.x * ${factor} }` } }, { id: 'effect', type: 'flaky', params: { failUntilAttempt: 1 } }];
    const edges = [{ from: 'hook', to: 'calc' }, { from: 'calc', to: 'effect' }];
    const f = await activeFlow(t, nodes(2), edges);
    const original = await finished(t, await fire(f, { x: 5 }));
    const effectCalls = () => calls.filter((c) => c.key.endsWith(':effect')).length;
    const before = effectCalls();
    expect((await t.api('PUT', `/api/flows/${f.id}`, { name: 'v2', active: true, nodes: nodes(3), edges })).body.version).toBe(2);
    const same = await t.api('POST', `/api/executions/${original.id}/replay`, { mode: 'shadow', flowVersion: 1 });
    expect(same.status).toBe(200);
    expect(same.body.nodes.every((n: { same: boolean }) => n.same)).toBe(true);
    const draft = await t.api('POST', `/api/executions/${original.id}/replay`, { mode: 'shadow' });
    expect(draft.body).toMatchObject({ mode: 'shadow', flowVersion: 2, recordedVersion: 1, status: 'succeeded', replayOf: original.id });
    const byNode = Object.fromEntries(draft.body.nodes.map((n: { nodeId: string }) => [n.nodeId, n]));
    expect(byNode.calc).toMatchObject({ same: false, changes: ['$.y'], stubbed: false });
    expect(byNode.effect).toMatchObject({ stubbed: true, same: true });
    expect(byNode.hook.same).toBe(true);
    expect(effectCalls()).toBe(before);
    expect((await t.api('POST', `/api/executions/${original.id}/replay`, { mode: 'shadow', flowVersion: 9 })).status).toBe(404);
  });

  it('runs a test event through an inactive flow and returns the finished execution', async () => {
    const res = await t.api('POST', '/api/flows', { name: 'inactive', nodes: [hook, { id: 'r', type: 'respond', params: { body: '{{ input.body.v }}' } }], edges: [{ from: 'hook', to: 'r' }] });
    const e = await t.api('POST', `/api/flows/${res.body.id}/test`, { body: { v: 'hello' } });
    expect(e.status).toBe(200);
    expect(e.body).toMatchObject({ status: 'succeeded', mode: 'test' });
    expect(e.body.steps.find((s: { nodeId: string }) => s.nodeId === 'r').output.body).toBe('hello');
  });

  it('starts a test run without waiting when asked, for clients that follow its events', async () => {
    const res = await t.api('POST', '/api/flows', { name: 'live', nodes: [hook, { id: 'wait', type: 'delay', params: { ms: 2000 } }], edges: [{ from: 'hook', to: 'wait' }] });
    const started = Date.now();
    const r = await t.api('POST', `/api/flows/${res.body.id}/test`, { body: { v: 1 }, wait: false });
    expect(r.status).toBe(202);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(r.body.executionId).toMatch(/^exe_/);
    expect((await finished(t, r.body.executionId))).toMatchObject({ status: 'succeeded', mode: 'test' });
  });

  it('lists executions by flow and status with cursor paging and a total', async () => {
    const f = await activeFlow(t, [hook], []);
    for (let i = 0; i < 5; i++) await finished(t, await fire(f));
    const p1 = await t.api('GET', `/api/executions?flowId=${f.id}&status=succeeded&limit=2`);
    expect(p1.body.total).toBe(5);
    expect(p1.body.items).toHaveLength(2);
    const p2 = await t.api('GET', `/api/executions?flowId=${f.id}&limit=10&cursor=${p1.body.nextCursor}`);
    expect(p2.body.items).toHaveLength(3);
    expect(p2.body.nextCursor).toBeNull();
    expect((await t.api('GET', '/api/executions?status=bogus')).status).toBe(400);
  });

  it('filters executions by creation time, as milliseconds or ISO 8601, and names a bad bound', async () => {
    const f = await activeFlow(t, [hook], []);
    const first = await finished(t, await fire(f));
    await new Promise((r) => setTimeout(r, 15));
    const cut = Date.now();
    await new Promise((r) => setTimeout(r, 15));
    const second = await finished(t, await fire(f));
    const ids = async (q: string) => (await t.api('GET', `/api/executions?flowId=${f.id}&${q}`)).body.items.map((e: { id: string }) => e.id);
    expect(await ids(`since=${cut}`)).toEqual([second.id]);
    expect(await ids(`until=${cut}`)).toEqual([first.id]);
    expect(await ids(`since=${encodeURIComponent(new Date(cut).toISOString())}`)).toEqual([second.id]);
    expect(await ids(`since=${first.createdAt}&until=${second.createdAt + 1}`)).toEqual([second.id, first.id]);
    const bad = await t.api('GET', '/api/executions?since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('since');
  });

  it('streams an execution\'s progress as server-sent events', async () => {
    const f = await activeFlow(t, [hook, { id: 'wait', type: 'delay', params: { ms: 200 } }], [{ from: 'hook', to: 'wait' }]);
    const id = await fire(f);
    const res = await fetch(`${t.url}/api/executions/${id}/events`, { headers: { authorization: 'Bearer test-api-token-0123456789abcdef' } });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const text = await res.text();
    expect(text).toContain('event: snapshot');
    expect(text).toContain('event: step.finished');
    expect(text).toMatch(/event: execution.finished\ndata: .*"status":"succeeded"/);
  });
});

describe('durable waits across a restart', () => {
  it('finishes a delayed execution after the server restarts on the same data directory', async () => {
    const t1 = await startTestApp();
    const f = await activeFlow(t1, [hook, { id: 'wait', type: 'delay', params: { ms: 800 } }], [{ from: 'hook', to: 'wait' }]);
    const id = (await (await post(f.hook, '{}')).json()).executionId;
    await new Promise((r) => setTimeout(r, 100));
    await t1.close({ keepData: true });
    const t2 = await startTestApp({}, t1.dataDir);
    try {
      const e = await finished(t2, id);
      expect(e.status).toBe('succeeded');
      expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'wait').status).toBe('succeeded');
    } finally {
      await t2.close();
    }
  });
});
