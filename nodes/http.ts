/** The `http` node: an outgoing, optionally signed HTTP call through ctx.http (SSRF-guarded), its response captured. */
import { Type, type Static } from '@sinclair/typebox';
import { defineNode, NodeError, permanent, type EndpointRef, type NodeContext } from './contract.js';
import { createScrub, scrubDeep, type Scrub } from './secret-scrub.js';
import { HOP_HEADER, hopCount } from './hops.js';
import { Templatable } from './schema.js';
import { checkUrl, encodeBody, RESERVED_HEADERS, signingHeaders, userHeaders } from './http-request.js';
import { authHeaders } from './http-auth.js';
import { decodeResponse, statusError, type HttpOutput } from './http-response.js';

const HEADER_NAME = "^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$";
/** `x-when`: the editor shows a field only while its siblings hold one of the listed values. */
const SIGNED = { kind: ['standard-webhooks', 'hmac'] };
const HMAC = { kind: ['hmac'] };
const HeaderValue = Type.Union([Type.String({ maxLength: 8192 }), Type.Number(), Type.Boolean()]);

export const HttpSigning = Type.Object(
  {
    kind: Type.Union([Type.Literal('none'), Type.Literal('standard-webhooks'), Type.Literal('hmac')], {
      default: 'none', title: 'Sign requests with', 'x-labels': { none: 'not signed', 'standard-webhooks': 'Standard Webhooks', hmac: 'HMAC header (custom)' } }),
    credentialId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, title: 'Signing credential', 'x-when': SIGNED })),
    header: Type.Optional(Type.String({ pattern: HEADER_NAME, title: 'Signature header', 'x-when': HMAC })),
    algorithm: Type.Optional(Type.Union([Type.Literal('sha1'), Type.Literal('sha256'), Type.Literal('sha512')], { title: 'Algorithm', 'x-when': HMAC })),
    encoding: Type.Optional(Type.Union([Type.Literal('hex'), Type.Literal('base64')], { title: 'Encoding', 'x-when': HMAC })),
    prefix: Type.Optional(Type.String({ maxLength: 50, pattern: '^[^\\r\\n\\u0000]*$', title: 'Signature prefix', 'x-when': HMAC })),
  },
  { additionalProperties: false, title: 'Signing' },
);

/** Who we are to the receiver: a `basic` credential (username, password) or a `header` one (name, value, e.g. a bearer token). */
export const HttpAuth = Type.Object(
  {
    kind: Type.Union([Type.Literal('none'), Type.Literal('basic'), Type.Literal('header')], {
      default: 'none', title: 'Sign in with', 'x-labels': { none: 'none', basic: 'basic (username and password)', header: 'header (token or API key)' } }),
    credentialId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, title: 'Credential', 'x-when': { kind: ['basic', 'header'] } })),
  },
  { additionalProperties: false, title: 'Authentication' },
);

export const HttpParams = Type.Object(
  {
    method: Type.Optional(Templatable(Type.Union(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => Type.Literal(m)), { default: 'POST' }), { title: 'Method' })),
    url: Templatable(Type.String({ minLength: 1, maxLength: 8192 }), { title: 'URL' }),
    headers: Type.Optional(Type.Record(Type.String({ pattern: HEADER_NAME }), Templatable(HeaderValue), { additionalProperties: false, maxProperties: 50, title: 'Headers' })),
    body: Type.Optional(Type.Unknown({ title: 'Body', description: 'JSON for objects, arrays, numbers, booleans and null; a string as it is',
      'x-when': { method: ['POST', 'PUT', 'PATCH', 'DELETE'] } })),
    auth: Type.Optional(HttpAuth),
    signing: Type.Optional(HttpSigning),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000, title: 'Timeout (ms)', description: 'For the whole request' })),
    followRedirects: Type.Optional(Type.Boolean({ default: false, title: 'Follow redirects' })),
    maxResponseBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 * 1024 * 1024, default: 1024 * 1024, title: 'Largest response kept (bytes)' })),
  },
  { additionalProperties: false },
);

type Params = Static<typeof HttpParams>;
type Problem = { field: string; message: string };

/** Save-time checks the schema cannot express: the URL scheme, header injection, signing completeness. */
function checkParams(p: Params): Problem[] {
  const out: Problem[] = [];
  if (typeof p.url === 'string' && !/^\s*\{\{/.test(p.url)) {
    // A template inside the URL stands for a harmless placeholder; the scheme must be literal http(s).
    try { checkUrl(p.url.replace(/\{\{[^}]*\}\}/g, 'x')); } catch { out.push({ field: 'url', message: 'must be an http:// or https:// URL (or start with a template)' }); }
  }
  for (const [name, value] of Object.entries(p.headers ?? {})) {
    if (RESERVED_HEADERS.has(name.toLowerCase())) out.push({ field: `headers.${name}`, message: 'is set by the transport and cannot be given' });
    if (typeof value === 'string' && /[\r\n\0]/.test(value)) out.push({ field: `headers.${name}`, message: 'must not contain CR, LF or NUL' });
  }
  if (p.method === 'GET' && p.body !== undefined) out.push({ field: 'body', message: 'a GET request carries no body' });
  if (p.auth && p.auth.kind !== 'none' && !p.auth.credentialId) out.push({ field: 'auth.credentialId', message: `is required for ${p.auth.kind} auth` });
  const s = p.signing;
  if (s && s.kind !== 'none' && !s.credentialId) out.push({ field: 'signing.credentialId', message: `is required for ${s.kind} signing` });
  if (s && s.kind !== 'hmac') {
    for (const f of ['header', 'algorithm', 'encoding', 'prefix'] as const) {
      if (s[f] !== undefined) out.push({ field: `signing.${f}`, message: 'applies to hmac signing only' });
    }
  }
  return out;
}

export const httpNode = defineNode({
  type: 'http',
  title: 'HTTP request',
  category: 'action',
  description: 'Calls a URL (an outgoing webhook), optionally signed, and passes on the response; private networks are off limits.',
  params: HttpParams,
  defaults: { method: 'POST', url: 'https://example.com/' },
  rawParams: ['signing', 'auth'],
  ports: ['out'] as const,
  // Temporal-style doubling from 1 s, capped at 60 s; a server's Retry-After is honoured up to the cap.
  retry: { maxAttempts: 5, backoff: 'exponential', initialDelayMs: 1000, maxDelayMs: 60_000, jitter: 0.2 },
  // Above the largest params.timeoutMs, so the request's own deadline fires first and names the phase.
  timeoutMs: 130_000,
  effect: 'side-effect',
  check: checkParams,
  async execute(ctx, _input, params) {
    const method = params.method ?? 'POST';
    const url = checkUrl(params.url);
    const { bytes, contentType } = encodeBody(method, params.body);
    const headers: Record<string, string> = { 'user-agent': 'Hookflow', ...userHeaders(params.headers) };
    if (contentType !== undefined && headers['content-type'] === undefined) headers['content-type'] = contentType;
    if (ctx.dryRun) return { port: 'out', value: { status: 0, headers: {}, body: null, dryRun: true } };
    if (!ctx.http) throw permanent('capability_missing', 'no HTTP client is available to this node');
    // The credential's header wins over a same-named one in params.headers; neither is recorded anywhere.
    const auth = await authHeaders(ctx, params.auth);
    Object.assign(headers, auth.headers);
    Object.assign(headers, await signingHeaders(ctx, params.signing, bytes ?? new Uint8Array()), { 'idempotency-key': ctx.idempotencyKey });
    headers[HOP_HEADER] = String(hopCount(ctx.trigger.headers[HOP_HEADER]) + 1); // loop guard (H-17); never from params
    // A server that echoes our request (headers in the body, a debug page) must not write the secret into the record.
    const scrub = createScrub(auth.secrets);
    let res;
    try {
      res = await ctx.http.request({
        method, url, headers, body: bytes, signal: ctx.signal, endpoint: endpointRef(ctx, url),
        timeoutMs: params.timeoutMs ?? 10_000,
        maxResponseBytes: params.maxResponseBytes ?? 1024 * 1024,
        followRedirects: params.followRedirects ?? false,
      });
    } catch (e) {
      throw scrubError(e, scrub);
    }
    const out = auth.secrets.length === 0 ? decodeResponse(res) : (scrubDeep(decodeResponse(res), scrub) as HttpOutput);
    const failure = statusError(out, ctx.clock.now());
    if (failure) throw failure;
    return { port: 'out', value: out };
  },
});

/** A transport error with the secrets cut out of its message and details. */
function scrubError(e: unknown, scrub: Scrub): unknown {
  if (!(e instanceof NodeError)) return e;
  const message = scrub(e.message);
  const details = e.details === undefined ? undefined : scrubDeep(e.details, scrub);
  if (message === e.message && details === e.details) return e;
  return new NodeError(e.code, message, { retryable: e.retryable, retryAfterMs: e.retryAfterMs, status: e.status, details, cause: e.cause });
}

/**
 * The endpoint this call counts against (H-16): this flow and the URL as saved, variable parts as written. When
 * the origin itself is templated, the rendered origin is part of it, so one payload's host never speaks for another.
 */
export function endpointRef(ctx: Pick<NodeContext, 'execution' | 'savedParams'>, rendered: string): EndpointRef {
  const saved = ctx.savedParams?.url;
  const template = typeof saved === 'string' ? saved.trim() : rendered;
  const flowId = ctx.execution.flowId;
  if (!template.includes('{{')) return { flowId, url: template, variable: false };
  const origin = /^https?:\/\/[^/?#]*/i.exec(template)?.[0];
  if (origin !== undefined && !origin.includes('{{')) return { flowId, url: template, variable: true };
  return { flowId, url: `${new URL(rendered).origin} ${template}`, variable: true };
}
