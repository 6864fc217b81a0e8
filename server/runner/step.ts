/** Run one node attempt: the only try/catch around node code. Applies the timeout and turns throws into outcomes. */
import { isWait, type NodeContext, type NodeResult, type NodeType, type RetryPolicy } from '../../nodes/contract.js';
import { classify, nextDelayMs, shouldRetry, type ErrorInfo, type Rng } from './retry.js';

type StepOutcomes = {
  emitted: { port: string; value: unknown; result: NodeResult };
  wait: { dueAt: number };
  retry: { error: ErrorInfo; dueAt: number };
  failed: { error: ErrorInfo };
};
export type StepOutcome = { [K in keyof StepOutcomes]: { kind: K } & StepOutcomes[K] }[keyof StepOutcomes];

export interface StepInput {
  node: NodeType;
  ctx: Omit<NodeContext, 'signal'>;
  input: unknown;
  params: Record<string, unknown>;
  policy: RetryPolicy;
  timeoutMs: number;
  rng: Rng;
  /** Aborts the attempt from outside (cancel). */
  cancel?: AbortSignal;
}

export async function runStep(s: StepInput): Promise<StepOutcome> {
  // The node's own floor (e.g. its code's CPU limit plus the sandbox's grace) wins over a shorter configured timeout.
  const timeoutMs = Math.max(s.timeoutMs, s.node.timeoutFloorMs?.(s.params) ?? 0);
  const ac = new AbortController();
  const onCancel = (): void => ac.abort(new Error('canceled'));
  s.cancel?.addEventListener('abort', onCancel, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = Object.assign(new Error(`node timed out after ${timeoutMs} ms`), {
        code: 'node_timeout', retryable: true,
      });
      ac.abort(err);
      reject(err);
    }, timeoutMs);
  });
  try {
    const ctx: NodeContext = { ...s.ctx, signal: ac.signal };
    const running = s.node.execute(ctx, s.input, s.params);
    running.catch(() => undefined); // a node that fails after its timeout must not become an unhandled rejection
    const result = await Promise.race([running, timeout]);
    if (isWait(result)) return { kind: 'wait', dueAt: result.waitUntilMs };
    return { kind: 'emitted', port: result.port, value: result.value, result };
  } catch (e) {
    const error = classify(e);
    const attempt = s.ctx.execution.attempt;
    if (!s.cancel?.aborted && shouldRetry(s.policy, attempt, error)) {
      const delay = nextDelayMs(s.policy, attempt, s.rng, error.retryAfterMs);
      return { kind: 'retry', error, dueAt: s.ctx.clock.now() + delay };
    }
    return { kind: 'failed', error };
  } finally {
    clearTimeout(timer);
    s.cancel?.removeEventListener('abort', onCancel);
  }
}
