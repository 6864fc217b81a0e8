/** The `delay` node: a durable wait that holds no worker and survives restarts. */
import { Type } from '@sinclair/typebox';
import { defineNode, permanent, NO_RETRY } from './contract.js';
import { Templatable } from './schema.js';

export const DelayParams = Type.Object(
  {
    ms: Type.Optional(Templatable(Type.Integer({ minimum: 0, maximum: 366 * 86_400_000 }), {
      title: 'Delay (ms)', description: 'How long to wait; or leave empty and give a time below' })),
    until: Type.Optional(Templatable(Type.String({ format: 'date-time', maxLength: 40 }), {
      title: 'Until (date and time)', description: 'ISO 8601, e.g. 2030-01-31T09:00:00Z; or a template' })),
  },
  { additionalProperties: false },
);

export const delayNode = defineNode({
  type: 'delay',
  title: 'Delay',
  category: 'logic',
  description: 'Waits for a duration or until a time, durably, then passes its input on.',
  params: DelayParams,
  defaults: { ms: 1000 },
  ports: ['out'] as const,
  retry: NO_RETRY,
  timeoutMs: 1000,
  effect: 'pure',
  check(params) {
    const both = params.ms !== undefined && params.until !== undefined;
    const none = params.ms === undefined && params.until === undefined;
    return both || none ? [{ field: 'ms', message: 'set exactly one of "ms" or "until"' }] : [];
  },
  async execute(ctx, input, params) {
    if (ctx.execution.resumedFromWaitAt !== undefined) return { port: 'out', value: input };
    const now = ctx.clock.now();
    let until: number;
    if (typeof params.ms === 'number') until = now + params.ms;
    else if (typeof params.until === 'string') until = Date.parse(params.until);
    else throw permanent('invalid_params', 'delay needs "ms" or "until"');
    if (Number.isNaN(until)) throw permanent('invalid_params', `"until" is not a date: ${String(params.until)}`);
    return until <= now ? { port: 'out', value: input } : { waitUntilMs: until };
  },
});
