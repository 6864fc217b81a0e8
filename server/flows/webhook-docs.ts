/** Per-flow webhook docs (`GET /api/flows/:id/docs`): URL, methods, auth and how to sign, payload schema, the answers of DESIGN §7, a curl sample. */
import type { Static } from '@sinclair/typebox';
import type { WebhookParams } from '../../nodes/webhook.js';
import { DEFAULT_ACCEPT } from '../ingress/parse-body.js';
import { idempotencyHeaderFor, presetHeaders, DEFAULT_TOKEN_HEADER } from '../ingress/signature.js';
import type { Flow } from './flow-doc.js';
import { curlExample, displayHeader, type DocAuth } from './webhook-curl.js';
import { sampleFromSchema } from './webhook-sample.js';

type Params = Static<typeof WebhookParams>;

export interface WebhookAnswer { status: number; when: string }

export interface WebhookDocs {
  url: string;
  methods: string[];
  contentTypes: string[];
  auth: { kind: DocAuth['kind']; preset?: string; headers: string[]; howToSign: string };
  idempotencyHeader?: string;
  response: { mode: 'async' | 'sync'; timeoutMs?: number };
  payloadSchema: Record<string, unknown> | null;
  answers: WebhookAnswer[];
  /** `method`, `contentType` and `body` are the sample the curl script sends (for signing it server-side). */
  example: { curl: string; method: string; contentType?: string; body?: string };
}

const SYNC_TIMEOUT_MS = 30_000;
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The schema of the first `validate` node on `body` reachable from the trigger (breadth-first), or null. */
export function payloadSchemaOf(flow: Pick<Flow, 'nodes' | 'edges'>, triggerId: string): Record<string, unknown> | null {
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));
  const seen = new Set([triggerId]);
  const queue = [triggerId];
  while (queue.length > 0) {
    const id = queue.shift() ?? '';
    const node = byId.get(id);
    if (node && id !== triggerId && node.type === 'validate' && (node.params.path ?? 'body') === 'body' && isObj(node.params.schema)) {
      return node.params.schema;
    }
    for (const e of flow.edges) if (e.from === id && !seen.has(e.to)) { seen.add(e.to); queue.push(e.to); }
  }
  return null;
}

function howToSign(auth: DocAuth): string {
  switch (auth.kind) {
    case 'none': return 'No authentication: anyone who knows the URL can send. Keep the URL secret or rotate its token.';
    case 'basic': return 'HTTP Basic authentication with the username and password of the webhook\'s basic credential.';
    case 'header': return `Send the static token of the webhook's header credential in ${displayHeader(auth.header ?? DEFAULT_TOKEN_HEADER)} (or the header named in the credential).`;
    case 'hmac': {
      const preset = auth.preset ?? 'custom';
      const svix = preset === 'standard-webhooks'
        ? ' Svix-powered senders (Clerk, Resend, …) send the same three headers as svix-id, svix-timestamp and svix-signature: accepted too (one naming per request).'
        : '';
      return `HMAC (${preset}): sign the exact raw body bytes with the credential's secret as the example shows (openssl); ` +
        'timestamps must be within the tolerance window (default 300 s). Several secrets may be active during rotation.' + svix;
    }
  }
}

function headersOf(auth: DocAuth): string[] {
  if (auth.kind === 'basic') return ['Authorization'];
  if (auth.kind === 'header') return [displayHeader(auth.header ?? DEFAULT_TOKEN_HEADER)];
  if (auth.kind === 'hmac') return presetHeaders(auth.preset ?? 'custom', auth).map(displayHeader);
  return [];
}

function answersFor(p: Params, accept: readonly string[]): WebhookAnswer[] {
  const sync = p.response?.mode === 'sync';
  const out: WebhookAnswer[] = sync
    ? [{ status: 200, when: 'sync: what the respond node says; no respond node reached → 200 with the last output' },
      { status: 500, when: 'sync: the execution failed → { error, executionId }' },
      { status: 202, when: `sync: no answer within ${p.response?.timeoutMs ?? SYNC_TIMEOUT_MS} ms → { executionId }` }]
    : [{ status: 202, when: 'accepted: { executionId } once the execution is durably stored' }];
  if (p.idempotencyHeader) out.push({ status: 200, when: `repeated ${p.idempotencyHeader} within the dedup window → { executionId: <the first one>, duplicate: true }` });
  if (accept.some((a) => /json|^\*\/\*$|^application\/\*$/.test(a))) out.push({ status: 400, when: 'malformed JSON' });
  if ((p.auth?.kind ?? 'none') !== 'none') out.push({ status: 401, when: 'signature or credentials wrong, or timestamp outside the tolerance' });
  out.push({ status: 404, when: 'unknown token or inactive flow' });
  if ((p.methods ?? ['POST']).length < 7) out.push({ status: 405, when: `method other than ${(p.methods ?? ['POST']).join(', ')} (with Allow)` });
  const limit = p.maxBodyBytes !== undefined ? `${p.maxBodyBytes} bytes` : 'the server limit (HOOKFLOW_MAX_BODY, default 1 MiB)';
  out.push({ status: 413, when: `body over ${limit}` });
  if (!accept.includes('*/*')) out.push({ status: 415, when: `content type outside ${accept.join(', ')}` });
  if (p.rateLimitPerMin !== undefined) out.push({ status: 429, when: `more than ${p.rateLimitPerMin} requests a minute (with Retry-After)` });
  out.push({ status: 429, when: 'this flow has too many executions queued or parked (maxQueued, maxWaiting), or the server\'s queue is full (HOOKFLOW_MAX_QUEUE; with Retry-After): back-pressure, retry later' });
  return out;
}

function sampleBody(schema: Record<string, unknown> | null, contentType: string): string {
  const sample = schema === null ? { hello: 'world' } : sampleFromSchema(schema);
  if (contentType !== 'application/x-www-form-urlencoded') return JSON.stringify(sample);
  const flat = isObj(sample) ? Object.entries(sample).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]) : [];
  return new URLSearchParams(flat).toString();
}

const pickType = (accept: readonly string[]): string =>
  accept.find((a) => a === 'application/json') ?? (accept.some((a) => a === '*/*' || a === 'application/*') ? 'application/json' : accept[0].replace('*', 'plain'));

/** The docs of `flow`'s webhook trigger, or undefined when the flow has none. Never reads or returns a secret. */
export function webhookDocs(flow: Flow & { webhook: { url: string } }): WebhookDocs | undefined {
  const trigger = flow.nodes.find((n) => n.type === 'webhook');
  if (!trigger) return undefined;
  const p = trigger.params as Params;
  const auth: DocAuth = (p.auth ?? { kind: 'none' }) as DocAuth;
  const methods = p.methods ?? ['POST'];
  const accept = p.accept ?? DEFAULT_ACCEPT;
  const payloadSchema = payloadSchemaOf(flow, trigger.id);
  const method = methods.includes('POST') ? 'POST' : methods[0];
  const contentType = pickType(accept);
  const withBody = method !== 'GET' && method !== 'HEAD';
  const preset = auth.kind === 'hmac' ? auth.preset ?? 'custom' : undefined;
  const suggested = preset === undefined ? undefined : idempotencyHeaderFor(preset);
  const sign = howToSign(auth) + (suggested && !p.idempotencyHeader ? ` Tip: set idempotencyHeader to ${suggested} to drop the sender's retries.` : '');
  return {
    url: flow.webhook.url, methods, contentTypes: [...accept],
    auth: { kind: auth.kind, ...(preset ? { preset } : {}), headers: headersOf(auth), howToSign: sign },
    ...(p.idempotencyHeader ? { idempotencyHeader: p.idempotencyHeader } : {}),
    response: p.response?.mode === 'sync' ? { mode: 'sync', timeoutMs: p.response.timeoutMs ?? SYNC_TIMEOUT_MS } : { mode: 'async' },
    payloadSchema,
    answers: answersFor(p, accept),
    example: exampleOf(flow.webhook.url, method, contentType, withBody ? sampleBody(payloadSchema, contentType) : undefined, auth, p.idempotencyHeader),
  };
}

function exampleOf(url: string, method: string, contentType: string, body: string | undefined, auth: Parameters<typeof curlExample>[0]['auth'], idempotencyHeader?: string): WebhookDocs['example'] {
  const curl = curlExample({ url, method, contentType, body, auth, idempotencyHeader });
  return body === undefined ? { curl, method } : { curl, method, contentType, body };
}
