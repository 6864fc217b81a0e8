/** Browser-facing defences for the console: security headers, the CSRF check on cookie-authenticated writes, request facts. */
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { principalOf } from './auth.js';
import { ApiError } from './errors.js';
import { forwardedClient, peerIsTrustedProxy, type ProxyTrust } from './proxy-trust.js';

export interface SecurityOptions {
  /** HOOKFLOW_PUBLIC_URL: its origin counts as our own, and `https:` there means the console is served over TLS. */
  publicUrl?: string;
  /** HOOKFLOW_TRUST_PROXY: which proxies in front may speak for the client via X-Forwarded-For / X-Forwarded-Proto. */
  trustProxy: ProxyTrust;
}

/**
 * helmet's defaults, tightened: scripts only from our origin, no plugins, no <base> tricks, framing only by
 * ourselves. Inline styles stay allowed (the editor's canvas positions nodes with them); inline scripts do not.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "base-uri 'self'", "connect-src 'self'", "font-src 'self' data:", "form-action 'self'",
  "frame-ancestors 'self'", "img-src 'self' data:", "object-src 'none'", "script-src 'self'", "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
].join('; ');

/** What these checks read from a request (an IncomingMessage has it; unit tests build it directly). */
export interface RequestFacts {
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string };
}

const firstForwarded = (v: string | string[] | undefined): string | undefined =>
  (Array.isArray(v) ? v[0] : v)?.split(',')[0]?.trim().toLowerCase() || undefined;

/** The scheme this request really used: TLS on our socket, or (behind a trusted proxy) X-Forwarded-Proto. */
function requestScheme(req: RequestFacts, o: SecurityOptions): 'http' | 'https' {
  if ('encrypted' in req.socket && req.socket.encrypted === true) return 'https';
  const trusted = peerIsTrustedProxy(o.trustProxy, req.socket.remoteAddress);
  return trusted && firstForwarded(req.headers['x-forwarded-proto']) === 'https' ? 'https' : 'http';
}

/** True when browsers reach the console over https: this request did, or HOOKFLOW_PUBLIC_URL is https. */
export const isHttps = (req: RequestFacts, o: SecurityOptions): boolean =>
  requestScheme(req, o) === 'https' || (o.publicUrl?.startsWith('https://') ?? false);

/**
 * The client's address. Without HOOKFLOW_TRUST_PROXY it is the socket's peer, whatever X-Forwarded-For says;
 * with it, the X-Forwarded-For entry appended by the outermost trusted proxy (which a client cannot forge).
 */
export const clientAddress = (req: RequestFacts, o: SecurityOptions): string =>
  forwardedClient(o.trustProxy, req.socket.remoteAddress, req.headers['x-forwarded-for']);

/** Security headers on every response the Express app sends (webhook answers do not pass through it). */
export function securityHeaders(o: SecurityOptions): RequestHandler {
  return (req, res, next) => {
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'SAMEORIGIN');
    res.setHeader('cross-origin-opener-policy', 'same-origin');
    res.setHeader('cross-origin-resource-policy', 'same-origin');
    if (isHttps(req, o)) res.setHeader('strict-transport-security', 'max-age=31536000');
    if (req.path.startsWith('/api/')) res.setHeader('cache-control', 'no-store');
    next();
  };
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function isOwnOrigin(origin: string, req: RequestFacts, o: SecurityOptions): boolean {
  const own = new Set<string>();
  if (req.headers.host) own.add(`${requestScheme(req, o)}://${req.headers.host}`.toLowerCase());
  if (o.publicUrl) own.add(new URL(o.publicUrl).origin.toLowerCase());
  return own.has(origin.toLowerCase());
}

/**
 * Why a state-changing request looks cross-site, or undefined when it does not. Sec-Fetch-Site must be
 * `same-origin` or `none` (`same-site` is refused too: a sibling subdomain is not trusted), and an Origin must
 * be our own. With `strict`, a request carrying neither header is refused as well (A-4 policy).
 */
export function crossSiteReason(req: RequestFacts, o: SecurityOptions, strict: boolean): string | undefined {
  const header = (name: string): string | undefined => {
    const v = req.headers[name];
    return typeof v === 'string' && v !== '' ? v.trim() : undefined;
  };
  const site = header('sec-fetch-site')?.toLowerCase();
  const origin = header('origin');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `Sec-Fetch-Site is ${site}`;
  if (origin !== undefined) return isOwnOrigin(origin, req, o) ? undefined : 'the Origin is not this server';
  if (site !== undefined || !strict) return undefined;
  return 'a cookie-authenticated write needs an Origin or Sec-Fetch-Site header';
}

const refuse = (reason: string): ApiError => new ApiError(403, 'cross_site_request', `cross-site request refused: ${reason}`);

/** CSRF defence for cookie-authenticated writes; bearer-token requests cannot be forged cross-site and pass. */
export function csrfGuard(o: SecurityOptions): RequestHandler {
  return (req, res, next) => {
    if (!UNSAFE_METHODS.has(req.method) || principalOf(res.locals)?.kind !== 'session') return next();
    const reason = crossSiteReason(req, o, true);
    next(reason === undefined ? undefined : refuse(reason));
  };
}

/** For login and setup (no session yet): refuses only requests that say they come from another site (login CSRF). */
export function crossSiteGuard(o: SecurityOptions): RequestHandler {
  return (req, _res, next) => {
    const reason = UNSAFE_METHODS.has(req.method) ? crossSiteReason(req, o, false) : undefined;
    next(reason === undefined ? undefined : refuse(reason));
  };
}
