import { describe, expect, it } from 'vitest';
import { conditionNode } from '../../../nodes/condition.js';
import { permanent, type Sandbox, type SandboxRequest } from '../../../nodes/contract.js';
import { aTrigger, fakeCtx } from './fake-ctx.js';

/**
 * A stand-in for the real isolated-vm sandbox (another module): it records requests and answers
 * from a table keyed by the expression text. It never evaluates code.
 */
function tableSandbox(answers: Record<string, unknown>): Sandbox & { calls: SandboxRequest[] } {
  const calls: SandboxRequest[] = [];
  return {
    calls,
    async run(req) {
      calls.push(req);
      if (!Object.hasOwn(answers, req.code)) throw permanent('user_code_error', `no answer for ${req.code}`);
      return answers[req.code];
    },
  };
}

describe('condition node: expression', () => {
  it('runs the expression in the sandbox with input, {trigger, nodes}, a per-version cache key, its flow as the group and the node\'s signal', async () => {
    const sandbox = tableSandbox({ 'input.total > 100': true });
    const trigger = aTrigger({ body: { total: 120 } });
    const nodes = { calc: { total: 120 } };
    const ctx = fakeCtx({ sandbox, trigger, nodes });
    const input = { total: 120 };
    expect(await conditionNode.execute(ctx, input, { expression: 'input.total > 100' })).toEqual({ port: 'true', value: input });
    expect(sandbox.calls).toEqual([{
      kind: 'expression', code: 'input.total > 100', input, ctx: { trigger, nodes }, cacheKey: 'flw_1:3:n1', group: 'flw_1', timeoutMs: 1000, signal: ctx.signal,
    }]);
  });

  it.each<[unknown, 'true' | 'false']>([
    [true, 'true'], [1, 'true'], ['x', 'true'], [{}, 'true'], [[], 'true'],
    [false, 'false'], [0, 'false'], ['', 'false'], [null, 'false'], [undefined, 'false'],
  ])('result %j → port %s (JS truthiness)', async (result, port) => {
    const ctx = fakeCtx({ sandbox: tableSandbox({ e: result }) });
    expect(await conditionNode.execute(ctx, { a: 1 }, { expression: 'e' })).toEqual({ port, value: { a: 1 } });
  });

  it('passes sandbox failures through unchanged', async () => {
    const ctx = fakeCtx({ sandbox: { run: () => Promise.reject(permanent('sandbox_timeout', 'took too long')) } });
    await expect(conditionNode.execute(ctx, {}, { expression: 'for(;;);' })).rejects.toMatchObject({ code: 'sandbox_timeout', retryable: false });
  });
});
