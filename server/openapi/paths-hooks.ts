/** OpenAPI path for the inbound webhook `ANY /hooks/{token}` (outside /api) with every answer of DESIGN §7. */
import { json, ref, type Json } from './build-helpers.js';

const errorAnswer = (description: string, headers?: Json): Json => ({ ...json(ref('Error'), description), ...(headers ? { headers } : {}) });
const retryAfter: Json = { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } };

const hookOperation = (method: string): Json => ({
  tags: ['webhooks'],
  summary: `Inbound webhook (${method})`,
  description: 'Checks, in order: flow → method → size → content type → signature on the raw bytes → parse → rate limit → idempotency → accept. ' +
    'Authentication is per flow (none, hmac presets github/stripe/shopify/slack/standard-webhooks/custom, basic, static header); see GET /api/flows/{id}/docs.',
  security: [],
  parameters: [{ name: 'token', in: 'path', required: true, description: 'The flow\'s unguessable webhook token (≥ 128 bits, rotatable)', schema: { type: 'string' } }],
  ...(method === 'GET' || method === 'HEAD' ? {} : {
    requestBody: { required: false, content: { 'application/json': { schema: {} }, 'application/x-www-form-urlencoded': { schema: { type: 'object' } }, 'text/plain': { schema: { type: 'string' } }, 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
  }),
  responses: {
    200: { description: 'Sync mode: what the respond node says, or the last output when no respond node was reached. Also a repeated idempotency key within the dedup window (default 7 days): `{ executionId: <the first one>, duplicate: true }`',
      content: { 'application/json': { schema: {} } } },
    202: json({ oneOf: [ref('HookAccepted'), { type: 'object', required: ['captured', 'id'], properties: { captured: { const: true }, id: { type: 'string' } } }] }, 'Accepted (async mode) once the execution is durably stored; also sync mode past its timeout (default 30 s). An inactive flow that is listening (POST /api/flows/{id}/listen) answers `{ captured: true, id }` and runs nothing'),
    400: errorAnswer('Malformed JSON (or, in sync mode, a validate node failed with `invalid` unconnected)'),
    401: errorAnswer('Signature or credentials wrong, or timestamp outside tolerance (default 300 s)'),
    404: errorAnswer('Unknown token, or an inactive flow that is not listening for a test event'),
    405: errorAnswer('Method not allowed', { Allow: { description: 'the methods the webhook accepts', schema: { type: 'string' } } }),
    413: errorAnswer('Body over the limit (default 1 MiB)'),
    415: errorAnswer("Content type outside the webhook's accept list (default JSON, form, text)"),
    429: errorAnswer('Per-flow rate limit exceeded (`rate_limited`); the flow has `maxQueued` runnable or `maxWaiting` parked executions (`flow_queue_full`, `flow_waiting_full`); or all flows have HOOKFLOW_MAX_QUEUE runnable executions (`queue_full`; parked ones do not count). Back-pressure, never a silent drop', retryAfter),
    503: errorAnswer('The store cannot take the write (`store_unavailable`), or webhook bodies in flight hold more than HOOKFLOW_MAX_INFLIGHT_BYTES (`server_busy`); nothing stored', retryAfter),
    508: errorAnswer('`Hookflow-Hop` over 8: the delivery has passed through more than 8 flows (a loop, `loop_detected`); nothing stored'),
    500: { description: 'Sync mode: the execution failed or was canceled → `{ error: { code: execution_failed | execution_canceled, message, executionId }, executionId }`, a generic answer; the details stay in the execution record (GET /api/executions/{id})', content: { 'application/json': { schema: { type: 'object', required: ['error', 'executionId'], properties: { error: { type: 'object', required: ['code', 'message', 'executionId'], properties: { code: { enum: ['execution_failed', 'execution_canceled'] }, message: { type: 'string' }, executionId: { type: 'string' } } }, executionId: { type: 'string' } } } } } },
  },
});

export const HOOK_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

const resumeOperation = (method: string): Json => ({
  tags: ['webhooks'],
  summary: `Callback to a waiting step (${method})`,
  description: "A `wait` node's resume URL (`{{ resume.<node id> }}`): checked against the node's methods, size and auth like a webhook, stored durably, and the parked execution resumes with this request as the node's output. Same inert headers as every /hooks answer.",
  security: [],
  parameters: [{ name: 'token', in: 'path', required: true, description: '`<executionId>.<nodeId>.<mac>`: HMAC-SHA256 of the ids under a key derived from the secret key', schema: { type: 'string' } }],
  ...(method === 'GET' ? {} : { requestBody: { required: false, content: { 'application/json': { schema: {} }, 'application/x-www-form-urlencoded': { schema: { type: 'object' } }, 'text/plain': { schema: { type: 'string' } } } } }),
  responses: {
    202: json({ type: 'object', required: ['executionId', 'resumed'], properties: { executionId: { type: 'string' }, resumed: { const: true } } }, 'Stored; the execution resumes'),
    400: errorAnswer('Malformed JSON'),
    401: errorAnswer("Auth wrong (the wait node's `auth`)"),
    404: errorAnswer('Malformed token or wrong mac, unknown execution, or no wait node of that id'),
    405: errorAnswer("Method not in the wait node's `methods`", { Allow: { description: 'the methods it accepts', schema: { type: 'string' } } }),
    409: errorAnswer('`already_resumed` (a second callback) or `not_waiting` (the step timed out or the execution finished)'),
    413: errorAnswer('Body over the limit'),
    503: errorAnswer('The store cannot take the write (`store_unavailable`)', retryAfter),
  },
});

export const HOOK_PATHS: Readonly<Record<string, Json>> = {
  '/hooks/{token}': Object.fromEntries(HOOK_METHODS.map((m) => [m, hookOperation(m.toUpperCase())])),
  '/hooks/resume/{token}': Object.fromEntries((['get', 'post', 'put', 'patch', 'delete'] as const).map((m) => [m, resumeOperation(m.toUpperCase())])),
};
