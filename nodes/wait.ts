/**
 * The `wait` node (wait for a callback): parks the execution until a request reaches this step's resume URL
 * (`/hooks/resume/<token>`, in `ctx.resumeUrls` and `{{ resume.<nodeId> }}`), then emits that request on `out`;
 * past its timeout it emits its input on `timeout`. The request is checked like a webhook's (methods, auth, size).
 */
import { Type } from '@sinclair/typebox';
import { defineNode, permanent } from './contract.js';
import { WebhookAuth } from './webhook.js';

const Method = Type.Union(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => Type.Literal(m)));
export const MAX_WAIT_MS = 366 * 86_400_000;

export const WaitParams = Type.Object(
  {
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_WAIT_MS, default: 86_400_000, title: 'Give up after (ms)',
      description: 'Then the input goes out on the "timeout" port. Default one day' })),
    methods: Type.Optional(Type.Array(Method, { minItems: 1, uniqueItems: true, maxItems: 5, default: ['POST'], title: 'Methods' })),
    auth: Type.Optional(WebhookAuth),
    maxBodyBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 * 1024 * 1024, title: 'Largest body (bytes)' })),
  },
  { additionalProperties: false },
);

export const waitNode = defineNode({
  type: 'wait',
  title: 'Wait for callback',
  category: 'logic',
  description: 'Parks the execution until a request reaches its unguessable resume URL ({{ resume.<node id> }}), then goes on with that request; or takes "timeout".',
  params: WaitParams,
  defaults: { timeoutMs: 86_400_000, methods: ['POST'] },
  ports: ['out', 'timeout'] as const,
  // A store error while looking for the callback is worth another try; the deadline stays the first one.
  retry: { maxAttempts: 3, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 30_000, jitter: 0.2 },
  timeoutMs: 10_000,
  effect: 'pure',
  awaitsSignal: true,
  async execute(ctx, input, params) {
    // Shadow runs and dry runs never wait for the outside world.
    if (ctx.dryRun) return { port: 'out', value: input };
    if (!ctx.signalled) throw permanent('capability_missing', 'this host cannot receive callbacks');
    const request = await ctx.signalled();
    if (request !== undefined) return { port: 'out', value: request };
    const deadline = ctx.execution.resumedFromWaitAt ?? ctx.clock.now() + (params.timeoutMs ?? 86_400_000);
    if (ctx.clock.now() >= deadline) return { port: 'timeout', value: input };
    return { waitUntilMs: deadline };
  },
});
