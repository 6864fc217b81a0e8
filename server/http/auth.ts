/** API authentication: the HOOKFLOW_API_TOKEN, user API tokens (`hf_…`) and session cookies, each an `Authenticator`. */
import type { RequestHandler, Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { readCookie, SESSION_COOKIE } from '../accounts/cookies.js';
import { ApiError } from './errors.js';

/** Who is calling. Only `session` principals are cookie-authenticated (and so subject to the CSRF check). */
export type Principal =
  | { kind: 'owner-token'; id: string }
  | { kind: 'api-token'; id: string; userId: string | null; scope: 'owner' | 'read' }
  | { kind: 'session'; id: string; userId: string };

/** Returns who is calling, or undefined when this authenticator does not recognise the request. */
export type Authenticator = (req: Request) => Principal | undefined | Promise<Principal | undefined>;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

const bearer = (req: Request): string | undefined => {
  const h = req.headers.authorization;
  return typeof h === 'string' && h.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
};

/** The HOOKFLOW_API_TOKEN: compared as SHA-256 digests, so lengths never leak and the compare cannot throw. */
export function staticTokenAuthenticator(token: string | undefined): Authenticator {
  const expected = token === undefined ? undefined : digest(token);
  return (req) => {
    const given = bearer(req);
    if (!expected || given === undefined) return undefined;
    return timingSafeEqual(digest(given), expected) ? { kind: 'owner-token', id: 'env' } : undefined;
  };
}

/** User API tokens, looked up by their SHA-256 digest on every request, so a revoked token fails at once. */
export function apiTokenAuthenticator(tokens: { resolve(bearer: string): Promise<{ id: string; userId: string | null; scope: 'owner' | 'read' } | undefined> }): Authenticator {
  return async (req) => {
    const given = bearer(req);
    const t = given === undefined ? undefined : await tokens.resolve(given);
    return t ? { kind: 'api-token', id: t.id, userId: t.userId, scope: t.scope } : undefined;
  };
}

/** A read-only API token: GET and HEAD only, and answers leave out webhook URLs (which accept deliveries). */
export const isReadOnly = (p: Principal | undefined): boolean => p?.kind === 'api-token' && p.scope === 'read';
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The `hookflow_session` cookie of a live session. */
export function sessionAuthenticator(sessions: { resolve(value: string | undefined): Promise<{ userId: string } | undefined> }): Authenticator {
  return async (req) => {
    const s = await sessions.resolve(readCookie(req.headers.cookie, SESSION_COOKIE));
    return s ? { kind: 'session', id: s.userId, userId: s.userId } : undefined;
  };
}

/** The principal `requireAuth` stored for this request, if any. */
export const principalOf = (locals: Record<string, unknown>): Principal | undefined => locals.principal as Principal | undefined;

export function requireAuth(authenticators: readonly Authenticator[]): RequestHandler {
  return async (req, res, next) => {
    for (const a of authenticators) {
      const p = await a(req);
      if (p) {
        res.locals.principal = p;
        if (isReadOnly(p) && !READ_METHODS.has(req.method)) return next(new ApiError(403, 'read_only_token', 'this API token can only read (GET and HEAD)'));
        return next();
      }
    }
    res.setHeader('www-authenticate', 'Bearer');
    next(new ApiError(401, 'unauthorized', 'missing or invalid credentials'));
  };
}
