/** A test-only node type: fails retryably until `params.failUntilAttempt`, then emits; records every call. */
import { Type } from '@sinclair/typebox';
import { defineNode, retryable, permanent, type NodeType } from '../../nodes/contract.js';

export function flakyNode(calls: Array<{ key: string; attempt: number; at: number }> = []): NodeType {
  return defineNode({
    type: 'flaky',
    title: 'Flaky (test)',
    category: 'action',
    description: 'Fails until a given attempt; for tests only.',
    params: Type.Object({
      failUntilAttempt: Type.Integer({ minimum: 1 }),
      permanent: Type.Optional(Type.Boolean()),
      retryAfterMs: Type.Optional(Type.Integer()),
      hangUntilAttempt: Type.Optional(Type.Integer()),
    }),
    ports: ['out'] as const,
    retry: { maxAttempts: 5, backoff: 'fixed', initialDelayMs: 50, maxDelayMs: 1000, jitter: 0 },
    timeoutMs: 2000,
    effect: 'side-effect',
    async execute(ctx, input, params) {
      calls.push({ key: ctx.idempotencyKey, attempt: ctx.execution.attempt, at: Date.now() });
      if (params.hangUntilAttempt !== undefined && ctx.execution.attempt < params.hangUntilAttempt) {
        await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      }
      if (ctx.execution.attempt < params.failUntilAttempt) {
        if (params.permanent) throw permanent('flaky_permanent', `attempt ${ctx.execution.attempt} failed for good`);
        throw retryable('flaky_transient', `attempt ${ctx.execution.attempt} failed`, { retryAfterMs: params.retryAfterMs, status: 503 });
      }
      return { port: 'out', value: { input, attempt: ctx.execution.attempt } };
    },
  });
}

/** A test-only node type that fails permanently while `state.fail` is true (for resume tests); counts calls. */
export function switchNode(state: { fail: boolean; calls: number }): NodeType {
  return defineNode({
    type: 'gate-test',
    title: 'Switch (test)',
    category: 'action',
    description: 'Fails while the test says so; for tests only.',
    params: Type.Object({}),
    ports: ['out'] as const,
    retry: { maxAttempts: 1, backoff: 'fixed', initialDelayMs: 0, maxDelayMs: 0, jitter: 0 },
    timeoutMs: 2000,
    effect: 'side-effect',
    async execute(_ctx, input) {
      state.calls++;
      if (state.fail) throw permanent('switch_off', 'the switch is off');
      return { port: 'out', value: input };
    },
  });
}
