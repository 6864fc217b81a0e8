/** /api/setup, /api/auth/* and /api/tokens: owner setup, login/logout/me with a session cookie, API tokens. */
import express, { Router, type Request, type Response, type NextFunction } from 'express';
import { AccountError, type AccountErrorCode } from '../../accounts/account-error.js';
import type { Accounts } from '../../accounts/accounts.js';
import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from '../../accounts/cookies.js';
import type { SessionStart } from '../../accounts/sessions.js';
import { HasherBusyError } from '../../accounts/passwords.js';
import { tokenNameProblem } from '../../accounts/rules.js';
import { principalOf } from '../auth.js';
import { ApiError, notFound } from '../errors.js';
import { clientAddress, crossSiteGuard, isHttps, type SecurityOptions } from '../security.js';

export interface AccountRoutesDeps {
  accounts: Accounts;
  security: SecurityOptions;
}

const STATUS: Record<AccountErrorCode, number> = {
  invalid_request: 400, setup_closed: 403, setup_token_invalid: 403, setup_in_progress: 409, owner_exists: 409,
  invalid_credentials: 401, too_many_attempts: 429, busy: 503, token_not_found: 404,
};

type Handler = (req: Request, res: Response) => Promise<void> | void;

/** Runs `fn`, turning an AccountError into the ApiError of its status (with Retry-After where it has one). */
const guarded = (fn: Handler) => async (req: Request, res: Response, next: NextFunction): Promise<void> => {
  try {
    await fn(req, res);
  } catch (thrown) {
    const e = thrown instanceof HasherBusyError ? new AccountError('busy', 'too many password checks at once; try again', { retryAfterSec: 1 }) : thrown;
    if (!(e instanceof AccountError)) return next(e);
    if (e.info.retryAfterSec !== undefined) res.setHeader('retry-after', String(e.info.retryAfterSec));
    const details = e.info.field === undefined ? undefined : [{ field: e.info.field, message: e.message }];
    next(new ApiError(STATUS[e.code], e.code, e.message, details));
  }
};

// Small bodies only: these routes run before authentication.
const smallJson = express.json({ limit: '16kb', strict: true });

const startSession = async (req: Request, res: Response, d: AccountRoutesDeps, s: SessionStart): Promise<void> => {
  await d.accounts.sessions.end(readCookie(req.headers.cookie, SESSION_COOKIE)); // the old id never survives a login
  res.setHeader('set-cookie', sessionCookie(s.value, { secure: isHttps(req, d.security), maxAgeSec: s.maxAgeSec }));
};

/** Routes reachable without credentials: `POST /setup` (while no owner exists) and `POST /auth/login`. */
export function publicAccountsRouter(d: AccountRoutesDeps): Router {
  const r = Router();
  const noCrossSite = crossSiteGuard(d.security);
  r.post('/setup', noCrossSite, smallJson, guarded(async (req, res) => {
    const user = await d.accounts.setup.complete(req.body);
    await startSession(req, res, d, await d.accounts.sessions.start(user.id));
    res.status(201).json({ id: user.id, email: user.email });
  }));
  r.post('/auth/login', noCrossSite, smallJson, guarded(async (req, res) => {
    const { user, session } = await d.accounts.login(req.body, clientAddress(req, d.security));
    await startSession(req, res, d, session);
    res.json({ id: user.id, email: user.email });
  }));
  return r;
}

/** Routes behind `requireAuth` (and the CSRF check): logout, me, and API tokens. */
export function privateAccountsRouter(d: AccountRoutesDeps): Router {
  const r = Router();
  r.post('/auth/logout', async (req, res) => {
    await d.accounts.sessions.end(readCookie(req.headers.cookie, SESSION_COOKIE));
    res.setHeader('set-cookie', clearedSessionCookie({ secure: isHttps(req, d.security) }));
    res.status(204).end();
  });
  r.get('/auth/me', async (_req, res) => {
    const p = principalOf(res.locals);
    const userId = p?.kind === 'session' || p?.kind === 'api-token' ? p.userId : null;
    const user = userId === null ? undefined : await d.accounts.user(userId);
    res.json({ id: user?.id ?? p?.id ?? null, email: user?.email ?? null, via: p?.kind ?? null });
  });
  r.get('/tokens', async (_req, res) => {
    const items = await d.accounts.tokens.list();
    res.json({ items, total: items.length, nextCursor: null });
  });
  r.post('/tokens', guarded(async (req, res) => {
    const body = req.body as unknown;
    const name = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { name?: unknown }).name : undefined;
    const problem = tokenNameProblem(name);
    if (problem !== undefined || typeof name !== 'string') throw new AccountError('invalid_request', `name ${problem ?? 'is required'}`, { field: 'name' });
    const scope = (body as { scope?: unknown }).scope ?? 'owner';
    if (scope !== 'owner' && scope !== 'read') throw new AccountError('invalid_request', 'scope must be "owner" or "read"', { field: 'scope' });
    const p = principalOf(res.locals);
    const userId = p?.kind === 'session' || p?.kind === 'api-token' ? p.userId : null;
    res.status(201).json(await d.accounts.tokens.create(userId, name.trim(), scope));
  }));
  r.delete('/tokens/:id', async (req, res) => {
    if (!(await d.accounts.tokens.revoke(req.params.id))) throw notFound('token');
    res.status(204).end();
  });
  return r;
}
