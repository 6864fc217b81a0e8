/** What a read-only API token may see: every answer with Hookflow webhook URLs made harmless. */
import type { RequestHandler, Response } from 'express';
import { isReadOnly, principalOf } from './auth.js';

/**
 * A webhook token in a `/hooks/<token>` path, wherever it stands (an http node's url, a header value, a payload
 * field, an endpoint's URL). A URL is the power to send deliveries; readers get `/hooks/[hidden]`.
 */
const HOOK_PATH = /\/hooks\/[A-Za-z0-9_-]{16,128}/g;
const HIDDEN = '/hooks/[hidden]';
/** Answers are JSON the server built (payloads are capped at 64 levels): past this depth, values are passed through. */
const MAX_DEPTH = 256;

export const hideHookUrlsIn = (s: string): string => (s.includes('/hooks/') ? s.replace(HOOK_PATH, HIDDEN) : s);

/** A copy of `value` with every string (keys included) passed through {@link hideHookUrlsIn}; unchanged parts are shared. */
export function hideHookUrls<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return hideHookUrlsIn(value) as T;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => { const h = hideHookUrls(v, depth + 1); changed ||= h !== v; return h; });
    return (changed ? out : value) as T;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value; // Dates and the like
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = hideHookUrlsIn(k);
    const h = hideHookUrls(v, depth + 1);
    changed ||= h !== v || key !== k;
    Object.defineProperty(out, key, { value: h, enumerable: true, writable: true, configurable: true });
  }
  return (changed ? out : value) as T;
}

/** True when the request's principal is a read-only token. */
export const readsOnly = (res: Response): boolean => isReadOnly(principalOf(res.locals));

/** For read-only principals, `res.json` hides webhook URLs in whatever it is given. Mount after authentication. */
export const readerView: RequestHandler = (_req, res, next) => {
  if (!readsOnly(res)) return next();
  const json = res.json.bind(res);
  res.json = (body?: unknown) => json(hideHookUrls(body));
  next();
};
