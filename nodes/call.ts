/**
 * The `call` node (call flow): runs another flow, by id, with the given input as its trigger body, linked to this
 * step (parent and child, both ways in the history). With `wait: "result"` (the default) it parks until the child finishes and emits the
 * child's answer (its `respond` body, else its last output); a failed or canceled child fails this node
 * (`subflow_failed`, routable to `error`). With `wait: "start"` it emits `{ executionId }` at once. Starting the child is
 * idempotent per step: a retried or resumed step never starts a second one.
 */
import { Type } from '@sinclair/typebox';
import { defineNode, permanent, type SubflowResult } from './contract.js';

export const MAX_CALL_WAIT_MS = 30 * 86_400_000;
/** Calls nested deeper than this fail (`call_depth`): cycles are refused at save, this stops one saved in a race. */
export const MAX_CALL_DEPTH = 16;
/** The header of a called flow's trigger envelope that counts how deep in calls it runs. */
export const CALL_DEPTH_HEADER = 'x-hookflow-call-depth';
/** While waiting, the child's state is also read this often, in case its finish notice was lost to a crash. */
export const CALL_POLL_MS = 30_000;

export const CallParams = Type.Object(
  {
    flowId: Type.String({ pattern: '^flw_[A-Za-z0-9_-]{1,64}$', title: 'Flow', description: 'The flow to run (its published version)' }),
    input: Type.Optional(Type.Unknown({ title: 'Input', description: 'The called flow\'s trigger body; a template such as {{ input.body }}. Default: this node\'s input' })),
    wait: Type.Optional(Type.Union([Type.Literal('result'), Type.Literal('start')], {
      default: 'result', title: 'Go on', 'x-labels': { result: 'with its result, once it finished', start: 'at once, with its execution id' } })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CALL_WAIT_MS, default: 3_600_000, title: 'Give up waiting after (ms)', 'x-when': { wait: ['result'] } })),
  },
  { additionalProperties: false },
);

export const callNode = defineNode({
  type: 'call',
  title: 'Call flow',
  category: 'action',
  description: 'Runs another flow with the given input; waits for its result or goes on at once.',
  params: CallParams,
  defaults: { wait: 'result' },
  ports: ['out'] as const,
  retry: { maxAttempts: 3, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 30_000, jitter: 0.2 },
  timeoutMs: 10_000,
  effect: 'side-effect',
  awaitsSignal: true,
  async execute(ctx, input, params) {
    if (ctx.dryRun) return { port: 'out', value: { dryRun: true, flowId: params.flowId } };
    if (!ctx.subflows) throw permanent('capability_missing', 'this host cannot start other flows');
    const depth = (Number(ctx.trigger.headers?.[CALL_DEPTH_HEADER]) || 0) + 1;
    if (depth > MAX_CALL_DEPTH) throw permanent('call_depth', `calls are nested more than ${MAX_CALL_DEPTH} deep (a loop of calls?)`);
    const child = await ctx.subflows.start({
      flowId: params.flowId, input: params.input === undefined ? input : params.input, parentExecutionId: ctx.execution.id, depth, fresh: ctx.execution.resumedFromWaitAt === undefined,
      // The step, per item inside a split loop: each item's call starts (and waits for) its own child.
      parentNodeId: ctx.execution.itemIndex === undefined ? ctx.execution.nodeId : `${ctx.execution.nodeId}@${ctx.execution.itemIndex}`,
    });
    if (params.wait === 'start') return { port: 'out', value: { executionId: child.executionId } };
    // The child's result as delivered to this step (only this child's counts), else its state read now.
    const delivered = (ctx.signalled ? await ctx.signalled() : undefined) as SubflowResult | undefined;
    const result = delivered?.executionId === child.executionId ? delivered : await ctx.subflows.result(child.executionId);
    if (result) {
      if (result.status === 'succeeded') return { port: 'out', value: result.output ?? null };
      const why = result.error ? `: ${result.error.code}: ${result.error.message}` : '';
      throw permanent('subflow_failed', `the called flow's execution ${child.executionId} ended ${result.status}${why}`, { executionId: child.executionId, status: result.status });
    }
    const now = ctx.clock.now();
    const deadline = child.createdAt + (params.timeoutMs ?? 3_600_000);
    if (now >= deadline) throw permanent('subflow_timeout', `the called flow's execution ${child.executionId} did not finish within ${params.timeoutMs ?? 3_600_000} ms`, { executionId: child.executionId });
    return { waitUntilMs: Math.min(deadline, now + CALL_POLL_MS) };
  },
});
