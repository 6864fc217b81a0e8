/** The HttpClient capability: http(s) only, the SSRF guard on every connection and redirect hop, timeouts, a size cap. */
import { isIP } from 'node:net';
import { NodeError, permanent, retryable, type HttpClient, type HttpRequest, type HttpResponse } from '../../nodes/contract.js';
import { createAddressGuard, SsrfBlockedError, type AddressGuard, type GuardPolicy } from './address-guard.js';
import { createSafeLookup, type SafeLookupOptions } from './safe-lookup.js';
import { exchange, ExchangeError, type ExchangeLimits, type ExchangeRequest, type RawResponse } from './http-exchange.js';

export interface HttpClientOptions extends GuardPolicy {
  /** Name resolution for the guard; tests inject a stub. @default systemResolver (dns.lookup, all addresses) */
  resolver?: SafeLookupOptions['resolver'];
  /** Test seam: a last look at each approved address before connecting; throw to refuse. */
  beforeConnect?: SafeLookupOptions['beforeConnect'];
  /** Name resolution plus TCP connect, capped by the request's deadline. @default 5000 */
  connectTimeoutMs?: number;
  /** Connected → response headers, capped by the request's deadline. @default 15000 */
  headersTimeoutMs?: number;
  /** Hops followed when a request asks for redirects. @default 5 */
  maxRedirects?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** The only headers that survive a cross-origin redirect: no Authorization, Cookie, signatures or API keys. */
const CROSS_ORIGIN_SAFE = new Set(['accept', 'accept-language', 'content-language', 'content-type', 'user-agent', 'idempotency-key']);

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const guard = createAddressGuard(opts);
  const lookup = createSafeLookup({ guard, resolver: opts.resolver, beforeConnect: opts.beforeConnect });
  const maxRedirects = opts.maxRedirects ?? 5;
  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      const limits: ExchangeLimits = {
        lookup, deadline: Date.now() + req.timeoutMs, maxResponseBytes: req.maxResponseBytes, signal: req.signal,
        connectTimeoutMs: opts.connectTimeoutMs ?? 5_000, headersTimeoutMs: opts.headersTimeoutMs ?? 15_000,
      };
      let hop: ExchangeRequest = { url: parseTarget(req.url), method: req.method.toUpperCase(), headers: { ...req.headers }, body: toBytes(req.body) };
      for (let followed = 0; ; followed++) {
        const res = await send(hop, limits, guard);
        const next = req.followRedirects ? redirectFrom(hop, res) : undefined;
        if (next === undefined) return res;
        if (followed >= maxRedirects) throw permanent('http_too_many_redirects', `more than ${maxRedirects} redirects, last from ${hop.url.origin}`);
        hop = next;
      }
    },
  };
}

/** One hop: IP literals are checked here (Node calls no lookup for them), names by the lookup at connect time. */
async function send(hop: ExchangeRequest, limits: ExchangeLimits, guard: AddressGuard): Promise<RawResponse> {
  const host = hop.url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0) {
    const blocked = guard.check(host, host);
    if (blocked !== undefined) throw ssrfError(new SsrfBlockedError(host, host, blocked));
  }
  try {
    return await exchange(hop, limits);
  } catch (e) {
    throw toNodeError(e, hop.url);
  }
}

/** Only http: and https: URLs; anything else (file:, ftp:, gopher:, data:, javascript: …) is a permanent `invalid_url`. */
export function parseTarget(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw permanent('invalid_url', base ? 'the redirect Location is not a valid URL' : 'the url is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw permanent('invalid_url', `the scheme "${url.protocol}" is not allowed; use http or https`);
  }
  return url;
}

/** The next hop for a 3xx with a Location, per the fetch spec's method rules; credentials stay on their origin. */
function redirectFrom(hop: ExchangeRequest, res: RawResponse): ExchangeRequest | undefined {
  const location = res.headers.location;
  if (!REDIRECTS.has(res.status) || !location) return undefined;
  const url = parseTarget(location, hop.url);
  const toGet = (res.status === 303 && hop.method !== 'HEAD') || ((res.status === 301 || res.status === 302) && hop.method === 'POST');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(hop.headers)) {
    const name = k.toLowerCase();
    if (url.origin !== hop.url.origin && !CROSS_ORIGIN_SAFE.has(name)) continue;
    if (toGet && (name === 'content-type' || name === 'content-language')) continue;
    headers[k] = v;
  }
  return { url, method: toGet ? 'GET' : hop.method, headers, body: toGet ? undefined : hop.body };
}

const toBytes = (body: string | Uint8Array | undefined): Uint8Array | undefined =>
  typeof body === 'string' ? new TextEncoder().encode(body) : body;

const ssrfError = (e: SsrfBlockedError): NodeError =>
  new NodeError('ssrf_blocked', e.message, { retryable: false, details: { host: e.host, address: e.address, class: e.addressClass } });

/** Transport failures as typed node errors. Messages name the origin only: a path or query may hold a secret. */
function toNodeError(e: unknown, url: URL): NodeError {
  if (e instanceof NodeError) return e;
  if (e instanceof ExchangeError) {
    if (e.cause instanceof SsrfBlockedError) return ssrfError(e.cause);
    const where = `${e.message} (${url.origin})`;
    if (e.kind === 'timeout') return retryable('http_timeout', where);
    if (e.kind === 'too_large') return new NodeError('http_response_too_large', where, { retryable: false });
    if (e.kind === 'aborted') return retryable('http_aborted', where);
    const code = (e.cause as { code?: unknown } | undefined)?.code;
    return retryable('http_network', where, { details: typeof code === 'string' ? { code } : undefined });
  }
  // Synchronous refusals from node:http (a header value it will not send, an unknown method).
  const message = e instanceof Error ? e.message : String(e);
  return permanent('invalid_request', `the request could not be sent: ${message}`);
}
