/** The `webhook` trigger: its params configure ingress; running it emits the request envelope. */
import { Type } from '@sinclair/typebox';
import { defineNode, NO_RETRY } from './contract.js';

const Method = Type.Union(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((m) => Type.Literal(m)));

export const WebhookAuth = Type.Object(
  {
    kind: Type.Union([Type.Literal('none'), Type.Literal('hmac'), Type.Literal('basic'), Type.Literal('header')], { default: 'none' }),
    preset: Type.Optional(Type.Union(
      ['github', 'stripe', 'shopify', 'slack', 'standard-webhooks', 'custom'].map((p) => Type.Literal(p)))),
    credentialId: Type.Optional(Type.String({ maxLength: 100 })),
    header: Type.Optional(Type.String({ maxLength: 100, pattern: '^[A-Za-z0-9-]+$' })),
    algorithm: Type.Optional(Type.Union([Type.Literal('sha1'), Type.Literal('sha256'), Type.Literal('sha512')])),
    encoding: Type.Optional(Type.Union([Type.Literal('hex'), Type.Literal('base64')])),
    prefix: Type.Optional(Type.String({ maxLength: 50 })),
    timestampHeader: Type.Optional(Type.String({ maxLength: 100, pattern: '^[A-Za-z0-9-]+$' })),
    signedContent: Type.Optional(Type.String({ maxLength: 200 })),
    toleranceSec: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  },
  { additionalProperties: false },
);

export const WebhookParams = Type.Object(
  {
    methods: Type.Optional(Type.Array(Method, { minItems: 1, uniqueItems: true, maxItems: 7, default: ['POST'] })),
    accept: Type.Optional(Type.Array(Type.String({ maxLength: 100, pattern: '^[*a-zA-Z0-9.+-]+/[*a-zA-Z0-9.+-]+$' }), { minItems: 1, maxItems: 20 })),
    auth: Type.Optional(WebhookAuth),
    response: Type.Optional(Type.Object(
      {
        mode: Type.Union([Type.Literal('async'), Type.Literal('sync')], { default: 'async' }),
        timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 300_000, default: 30_000 })),
      },
      { additionalProperties: false },
    )),
    idempotencyHeader: Type.Optional(Type.String({ maxLength: 100, pattern: '^[A-Za-z0-9-]+$' })),
    dedupWindowSec: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 * 86_400, default: 7 * 86_400 })),
    maxBodyBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 * 1024 * 1024 })),
    rateLimitPerMin: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    maxQueued: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'Runnable (queued or running) executions of this flow before its webhook answers 429; default HOOKFLOW_FLOW_MAX_QUEUED' })),
    maxWaiting: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'Parked (delay, retry) executions of this flow before its webhook answers 429; default HOOKFLOW_FLOW_MAX_WAITING' })),
  },
  { additionalProperties: false },
);

export const webhookNode = defineNode({
  type: 'webhook',
  title: 'Webhook',
  category: 'trigger',
  description: 'Starts the flow when a request reaches the flow\'s unguessable URL; checks method, auth, size and content type.',
  params: WebhookParams,
  ports: ['out'] as const,
  retry: NO_RETRY,
  timeoutMs: 1000,
  effect: 'pure',
  async execute(ctx) {
    return { port: 'out', value: ctx.trigger };
  },
});
