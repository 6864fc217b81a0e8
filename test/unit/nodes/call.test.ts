import { describe, expect, it } from 'vitest';
import { callNode, CALL_POLL_MS, CALL_DEPTH_HEADER, MAX_CALL_DEPTH } from '../../../nodes/call.js';
import type { SubflowPort, SubflowResult } from '../../../nodes/contract.js';
import { callCycleProblems } from '../../../server/flows/call-cycles.js';
import { aTrigger, fakeCtx } from './fake-ctx.js';

const T = Date.parse('2025-01-01T00:00:00.000Z');

function port(result?: SubflowResult) {
  const starts: unknown[] = [];
  const p: SubflowPort = {
    async start(req) { starts.push(req); return { executionId: 'exe_child', createdAt: T - 1000 }; },
    async result() { return result; },
  };
  return { p, starts };
}

describe('call node', () => {
  it('starts the child with its input (the node input by default), keyed to the calling step', async () => {
    const { p, starts } = port();
    const r = await callNode.execute(fakeCtx({ subflows: p }), { a: 1 }, { flowId: 'flw_x', wait: 'start' });
    expect(r).toEqual({ port: 'out', value: { executionId: 'exe_child' } });
    expect(starts).toEqual([{ flowId: 'flw_x', input: { a: 1 }, parentExecutionId: 'exe_1', parentNodeId: 'n1', depth: 1, fresh: true }]);
    await callNode.execute(fakeCtx({ subflows: p }), { a: 1 }, { flowId: 'flw_x', wait: 'start', input: { b: 2 } });
    expect((starts[1] as { input: unknown }).input).toEqual({ b: 2 });
  });

  it('waits: parks until the next poll, emits a delivered answer, fails on a failed child, gives up at its timeout', async () => {
    const { p } = port();
    expect(await callNode.execute(fakeCtx({ subflows: p, signalled: async () => undefined }), {}, { flowId: 'flw_x', timeoutMs: 3_600_000 })).toEqual({ waitUntilMs: T + CALL_POLL_MS });
    expect(await callNode.execute(fakeCtx({ subflows: p, signalled: async () => undefined }), {}, { flowId: 'flw_x', timeoutMs: 5000 })).toEqual({ waitUntilMs: T + 4000 });
    const ok: SubflowResult = { executionId: 'exe_child', status: 'succeeded', output: { v: 1 } };
    expect(await callNode.execute(fakeCtx({ subflows: p, signalled: async () => ok }), {}, { flowId: 'flw_x' })).toEqual({ port: 'out', value: { v: 1 } });
    const polled = port({ executionId: 'exe_child', status: 'failed', error: { code: 'boom', message: 'no' } });
    await expect(callNode.execute(fakeCtx({ subflows: polled.p, signalled: async () => undefined }), {}, { flowId: 'flw_x' }))
      .rejects.toMatchObject({ code: 'subflow_failed', retryable: false, message: expect.stringContaining('boom: no') });
    await expect(callNode.execute(fakeCtx({ subflows: p, signalled: async () => undefined }), {}, { flowId: 'flw_x', timeoutMs: 1000 }))
      .rejects.toMatchObject({ code: 'subflow_timeout' });
  });

  it('counts call depth from its trigger and refuses to nest deeper than MAX_CALL_DEPTH', async () => {
    const { p, starts } = port();
    const ctxAt = (d: number) => fakeCtx({ subflows: p, trigger: aTrigger({ headers: { [CALL_DEPTH_HEADER]: String(d) } }) });
    await callNode.execute(ctxAt(3), {}, { flowId: 'flw_x', wait: 'start' });
    expect((starts[0] as { depth: number }).depth).toBe(4);
    await expect(callNode.execute(ctxAt(MAX_CALL_DEPTH), {}, { flowId: 'flw_x', wait: 'start' })).rejects.toMatchObject({ code: 'call_depth', retryable: false });
    expect(starts).toHaveLength(1);
  });

  it('ignores a delivered result of another (earlier) child and reads its own child instead', async () => {
    const { p } = port();
    const stale: SubflowResult = { executionId: 'exe_older', status: 'failed', error: { code: 'boom', message: 'old' } };
    const r = await callNode.execute(fakeCtx({ subflows: p, signalled: async () => stale }), {}, { flowId: 'flw_x', timeoutMs: 3_600_000 });
    expect(r).toEqual({ waitUntilMs: T + CALL_POLL_MS });
  });

  it('fails permanently without the capability, and starts nothing in a dry run', async () => {
    await expect(callNode.execute(fakeCtx(), {}, { flowId: 'flw_x' })).rejects.toMatchObject({ code: 'capability_missing' });
    const { p, starts } = port();
    expect((await callNode.execute(fakeCtx({ subflows: p, dryRun: true }), {}, { flowId: 'flw_x' }) as { port: string }).port).toBe('out');
    expect(starts).toEqual([]);
  });
});

describe('call cycles', () => {
  const call = (id: string, flowId: string) => ({ id, type: 'call', params: { flowId } });
  const flows: Record<string, ReturnType<typeof call>[]> = { flw_b: [call('c1', 'flw_c')], flw_c: [call('c2', 'flw_a'), call('c3', 'flw_d')], flw_d: [] };
  const load = async (id: string) => flows[id];
  it('finds a chain back to the saved flow and names the node; other chains pass', async () => {
    expect(await callCycleProblems('flw_a', [call('x', 'flw_b'), call('y', 'flw_d')], load)).toEqual([
      { nodeId: 'x', field: 'params.flowId', message: expect.stringContaining('flw_a → flw_b → flw_c → flw_a') },
    ]);
    expect(await callCycleProblems('flw_z', [call('x', 'flw_b')], load)).toEqual([]);
    expect(await callCycleProblems('flw_a', [call('me', 'flw_a')], load)).toMatchObject([{ nodeId: 'me' }]);
  });
});
