/** S-27: the runner's node timeout always covers the code's own timeout (transform timeoutMs up to 30 s, node default 5 s). */
import { describe, expect, it } from 'vitest';
import { NO_RETRY, SANDBOX_ANSWER_GRACE_MS, defineNode, type NodeContext, type SandboxRequest } from '../../../nodes/contract.js';
import { conditionNode } from '../../../nodes/condition.js';
import { transformNode } from '../../../nodes/transform.js';
import { runStep } from '../../../server/runner/step.js';

const ctx = (sandbox: { run(r: SandboxRequest): Promise<unknown> }): Omit<NodeContext, 'signal'> => ({
  execution: { id: 'e1', flowId: 'f1', flowVersion: 3, nodeId: 'n1', attempt: 1 },
  trigger: { method: 'POST', headers: {}, query: {}, body: {}, receivedAt: '', eventId: 'ev' },
  nodes: {}, idempotencyKey: 'e1:n1', dryRun: false, clock: { now: () => 0 },
  log: { debug() {}, info() {}, warn() {}, error() {} }, sandbox, regex: { test: () => false },
} as unknown as Omit<NodeContext, 'signal'>);

describe('node timeout floor', () => {
  it('transform: the code\'s timeoutMs plus the sandbox grace, whatever the node timeout says', () => {
    expect(transformNode.timeoutFloorMs?.({ code: 'x', timeoutMs: 30_000 })).toBe(30_000 + SANDBOX_ANSWER_GRACE_MS);
    expect(transformNode.timeoutFloorMs?.({ code: 'x' })).toBe(1000 + SANDBOX_ANSWER_GRACE_MS);
    expect(transformNode.timeoutMs).toBeLessThan(30_000 + SANDBOX_ANSWER_GRACE_MS);
    expect(conditionNode.timeoutFloorMs?.({ expression: 'true' })).toBe(1000 + SANDBOX_ANSWER_GRACE_MS);
    expect(conditionNode.timeoutFloorMs?.({ rules: [{ path: 'input.a', op: 'exists' }] })).toBe(0);
  });

  it('runStep waits for the floor, not the shorter configured timeout', async () => {
    const slow = defineNode({
      type: 'slow', title: 's', category: 'data', description: 's', params: transformNode.params, ports: ['out'] as const,
      retry: NO_RETRY, timeoutMs: 50, effect: 'pure', timeoutFloorMs: () => 400,
      execute: async () => { await new Promise((r) => setTimeout(r, 150)); return { port: 'out', value: 1 }; },
    });
    const out = await runStep({ node: slow, ctx: ctx({ run: async () => 1 }), input: null, params: { code: 'x' }, policy: NO_RETRY, timeoutMs: 50, rng: () => 0.5 });
    expect(out).toMatchObject({ kind: 'emitted', value: 1 });
  });

  it('a transform passes its flow as the group and the node\'s signal, so a node that gives up stops its code', async () => {
    const seen: SandboxRequest[] = [];
    const out = await runStep({
      node: transformNode, ctx: ctx({ run: async (r) => { seen.push(r); return 2; } }), input: 1, params: { code: 'return 2', timeoutMs: 30_000 },
      policy: NO_RETRY, timeoutMs: 5000, rng: () => 0.5,
    });
    expect(out).toMatchObject({ kind: 'emitted', value: 2 });
    expect(seen[0]).toMatchObject({ group: 'f1', cacheKey: 'f1:3:n1', timeoutMs: 30_000 });
    expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it('when the node times out (or is canceled), the signal the sandbox got is aborted', async () => {
    let signal: AbortSignal | undefined;
    const hang = defineNode({
      type: 'hang', title: 'h', category: 'data', description: 'h', params: transformNode.params, ports: ['out'] as const,
      retry: NO_RETRY, timeoutMs: 50, effect: 'pure',
      execute: async (c, input, p) => { await c.sandbox.run({ cacheKey: 'k', kind: 'function', code: p.code, input, ctx: {}, signal: c.signal }); return { port: 'out', value: 0 }; },
    });
    const out = await runStep({
      node: hang, ctx: ctx({ run: (r) => { signal = r.signal; return new Promise(() => undefined); } }), input: null, params: { code: 'for(;;){}' },
      policy: NO_RETRY, timeoutMs: 50, rng: () => 0.5,
    });
    expect(out).toMatchObject({ kind: 'failed', error: { code: 'node_timeout' } });
    expect(signal?.aborted).toBe(true);
  });
});
