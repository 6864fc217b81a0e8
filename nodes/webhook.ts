/** The `webhook` trigger: its params configure ingress; running it emits the request envelope. */
import { Type } from '@sinclair/typebox';
import { defineNode, NO_RETRY } from './contract.js';

/** `x-when`: the editor shows a field only while its siblings hold one of the listed values. */
const CUSTOM = { kind: ['hmac'], preset: ['custom'] };
const Method = Type.Union(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((m) => Type.Literal(m)));

export const WebhookAuth = Type.Object(
  {
    kind: Type.Union([Type.Literal('none'), Type.Literal('hmac'), Type.Literal('basic'), Type.Literal('header')], {
      default: 'none', title: 'Check requests with',
      'x-labels': { none: 'none (anyone with the URL)', hmac: 'HMAC signature', basic: 'basic (username and password)', header: 'header token' } }),
    preset: Type.Optional(Type.Union(
      ['github', 'stripe', 'shopify', 'slack', 'standard-webhooks', 'custom'].map((p) => Type.Literal(p)), { title: 'Sender', 'x-when': { kind: ['hmac'] } })),
    credentialId: Type.Optional(Type.String({ maxLength: 100, title: 'Credential', 'x-when': { kind: ['hmac', 'basic', 'header'] } })),
    header: Type.Optional(Type.String({ maxLength: 100, pattern: '^[A-Za-z0-9-]+$', title: 'Header name', 'x-when': [{ kind: ['header'] }, CUSTOM] })),
    algorithm: Type.Optional(Type.Union([Type.Literal('sha1'), Type.Literal('sha256'), Type.Literal('sha512')], { title: 'Algorithm', 'x-when': CUSTOM })),
    encoding: Type.Optional(Type.Union([Type.Literal('hex'), Type.Literal('base64')], { title: 'Encoding', 'x-when': CUSTOM })),
    prefix: Type.Optional(Type.String({ maxLength: 50, title: 'Signature prefix', 'x-when': CUSTOM })),
    timestampHeader: Type.Optional(Type.String({ maxLength: 100, pattern: '^[A-Za-z0-9-]+$', title: 'Timestamp header', 'x-when': CUSTOM })),
    signedContent: Type.Optional(Type.String({ maxLength: 200, title: 'Signed content', 'x-when': CUSTOM })),
    toleranceSec: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, title: 'Timestamp tolerance (s)', 'x-when': { kind: ['hmac'] } })),
  },
  { additionalProperties: false, title: 'Authentication' },
);

export const WebhookParams = Type.Object(
  {
    methods: Type.Optional(Type.Array(Method, { minItems: 1, uniqueItems: true, maxItems: 7, default: ['POST'], title: 'Methods' })),
    accept: Type.Optional(Type.Array(Type.String({ maxLength: 100, pattern: '^[*a-zA-Z0-9.+-]+/[*a-zA-Z0-9.+-]+$' }), {
      minItems: 1, maxItems: 20, title: 'Accepted content types', description: 'Default: JSON, form and text' })),
    auth: Type.Optional(WebhookAuth),
    response: Type.Optional(Type.Object(
      {
        mode: Type.Union([Type.Literal('async'), Type.Literal('sync')], {
          default: 'async', title: 'Answer', 'x-labels': { async: '202 at once (async)', sync: "the flow's answer (sync)" } }),
        timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 300_000, default: 30_000, title: 'Answer within (ms)', 'x-when': { mode: ['sync'] } })),
      },
      { additionalProperties: false, title: 'Response' },
    )),
    idempotencyHeader: Type.Optional(Type.String({ maxLength: 100, pattern: '^[A-Za-z0-9-]+$', title: 'Idempotency header', description: 'A repeated value is answered as a duplicate' })),
    dedupWindowSec: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 * 86_400, default: 7 * 86_400, title: 'Remember delivery ids for (s)', 'x-when': { idempotencyHeader: ['*'] } })),
    maxBodyBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 * 1024 * 1024, title: 'Largest body (bytes)' })),
    rateLimitPerMin: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, title: 'Rate limit (requests per minute)' })),
    maxQueued: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000, title: 'Most queued or running executions', description: 'Runnable (queued or running) executions of this flow before its webhook answers 429; default HOOKFLOW_FLOW_MAX_QUEUED' })),
    maxWaiting: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000, title: 'Most parked executions', description: 'Parked (delay, retry) executions of this flow before its webhook answers 429; default HOOKFLOW_FLOW_MAX_WAITING' })),
  },
  { additionalProperties: false },
);

export const webhookNode = defineNode({
  type: 'webhook',
  title: 'Webhook',
  category: 'trigger',
  description: 'Starts the flow when a request reaches the flow\'s unguessable URL; checks method, auth, size and content type.',
  params: WebhookParams,
  defaults: { methods: ['POST'] },
  ports: ['out'] as const,
  retry: NO_RETRY,
  timeoutMs: 1000,
  effect: 'pure',
  async execute(ctx) {
    return { port: 'out', value: ctx.trigger };
  },
});
