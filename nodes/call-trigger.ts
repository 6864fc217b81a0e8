/** The `call-trigger` trigger: a flow that starts only when another flow's `call` node (or its error flow setting) runs it. No inbound URL. */
import { Type } from '@sinclair/typebox';
import { defineNode, NO_RETRY } from './contract.js';

export const CallTriggerParams = Type.Object(
  {
    description: Type.Optional(Type.String({ maxLength: 2000, title: 'What callers pass', description: 'Notes for the flows that call this one' })),
  },
  { additionalProperties: false },
);

export const callTriggerNode = defineNode({
  type: 'call-trigger',
  title: 'Called by a flow',
  category: 'trigger',
  description: 'Starts the flow when a "call flow" node of another flow runs it (or as an error flow); the caller\'s input is the body. No URL.',
  params: CallTriggerParams,
  defaults: {},
  ports: ['out'] as const,
  retry: NO_RETRY,
  timeoutMs: 1000,
  effect: 'pure',
  async execute(ctx) {
    return { port: 'out', value: ctx.trigger };
  },
});
