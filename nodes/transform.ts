/** The `transform` node: user JavaScript in the sandbox; `input` and `ctx` in scope, `return` the new value. */
import { Type } from '@sinclair/typebox';
import { defineNode, NO_RETRY, SANDBOX_ANSWER_GRACE_MS } from './contract.js';

const DEFAULT_CODE_TIMEOUT_MS = 1000;

export const TransformParams = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 100_000, 'x-widget': 'code', title: 'Code' }),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 30_000, default: 1000, title: 'Timeout (ms)', description: 'CPU time the code may use' })),
  },
  { additionalProperties: false },
);

export const transformNode = defineNode({
  type: 'transform',
  title: 'Transform',
  category: 'data',
  description: 'Runs your JavaScript on the input in a sandbox and passes on what it returns.',
  params: TransformParams,
  rawParams: ['code'],
  defaults: { code: 'return input;' },
  ports: ['out'] as const,
  retry: NO_RETRY,
  timeoutMs: 5000,
  // The node never gives up before the code's own limit has had its chance (timeoutMs may be up to 30 s).
  timeoutFloorMs: (params) => (params.timeoutMs ?? DEFAULT_CODE_TIMEOUT_MS) + SANDBOX_ANSWER_GRACE_MS,
  effect: 'pure',
  async execute(ctx, input, params) {
    const { id, flowId, flowVersion, nodeId, attempt } = ctx.execution;
    const value = await ctx.sandbox.run({
      cacheKey: `${flowId}:${flowVersion}:${nodeId}`,
      group: flowId,
      kind: 'function',
      code: params.code,
      input,
      ctx: { trigger: ctx.trigger, nodes: ctx.nodes, execution: { id, flowId, flowVersion, nodeId, attempt }, resumeUrls: { ...ctx.resumeUrls } },
      timeoutMs: params.timeoutMs ?? DEFAULT_CODE_TIMEOUT_MS,
      // A node that timed out or an execution that was canceled stops its code (the isolate is disposed).
      signal: ctx.signal,
    });
    return { port: 'out', value };
  },
});
