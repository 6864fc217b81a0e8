/** API authentication: a bearer token compared in constant time. Sessions and user tokens slot in as more `Authenticator`s. */
import type { RequestHandler, Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors.js';

export interface Principal {
  kind: 'owner-token';
  id: string;
}

/** Returns who is calling, or undefined when this authenticator does not recognise the request. */
export type Authenticator = (req: Request) => Principal | undefined;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** The HOOKFLOW_API_TOKEN: compared as SHA-256 digests, so lengths never leak and the compare cannot throw. */
export function staticTokenAuthenticator(token: string | undefined): Authenticator {
  const expected = token === undefined ? undefined : digest(token);
  return (req) => {
    if (!expected) return undefined;
    const h = req.headers.authorization;
    if (typeof h !== 'string' || !h.startsWith('Bearer ')) return undefined;
    return timingSafeEqual(digest(h.slice(7).trim()), expected) ? { kind: 'owner-token', id: 'env' } : undefined;
  };
}

export function requireAuth(authenticators: readonly Authenticator[]): RequestHandler {
  return (req, res, next) => {
    for (const a of authenticators) {
      const p = a(req);
      if (p) {
        res.locals.principal = p;
        return next();
      }
    }
    res.setHeader('www-authenticate', 'Bearer');
    next(new ApiError(401, 'unauthorized', 'missing or invalid credentials'));
  };
}
