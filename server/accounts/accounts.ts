/** The accounts service: owner setup, password login with failure limits, sessions and API tokens, built from one store. */
import { createHmac } from 'node:crypto';
import type { LimitResult, SharedLimits, UserRecord, UserStore } from '../store/types.js';
import { AccountError, invalidField, objectBody } from './account-error.js';
import { createApiTokens, type ApiTokens } from './api-tokens.js';
import { accountKey, addressKey, createLoginLimiter, type LoginLimiterOptions } from './login-limiter.js';
import { createPasswordHasher, HasherBusyError, type PasswordHasher } from './passwords.js';
import { normalizeEmail } from './rules.js';
import { createSessions, type SessionStart, type Sessions, type SessionsOptions } from './sessions.js';
import { createSetup, type Setup } from './setup.js';

export interface AccountsOptions {
  store: UserStore;
  ids: { next(prefix: string): string };
  clock: { now(): number };
  /** The session-signing key (e.g. `deriveKey(master, 'sessions')`), separate from the encryption key. */
  sessionKey: Buffer;
  /** @default createPasswordHasher() (scrypt N=2^15, r=8, p=1) */
  hasher?: PasswordHasher;
  /** Failed logins allowed per account and per client address per minute. @default 10 */
  loginFailuresPerMinute?: number;
  sessions?: Pick<SessionsOptions, 'idleMs' | 'absoluteMs' | 'touchEveryMs'>;
  limiter?: Pick<LoginLimiterOptions, 'maxKeys'>;
  /** Failure counters shared by a cluster (PostgreSQL); without it they are kept in this process's memory. */
  sharedLimits?: SharedLimits;
  /** Whether an owner existed at start-up (closes setup). */
  hasOwner: boolean;
  /**
   * How long a login from a known address waits while the account is walled by failures from elsewhere.
   * @default 2000
   */
  knownAddressDelayMs?: number;
  /** Test seam for that wait. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** An address stays known this long after the last successful login from it. */
const KNOWN_ADDRESS_MS = 90 * 86_400_000;

export interface Accounts {
  setup: Setup;
  sessions: Sessions;
  tokens: ApiTokens;
  /**
   * Checks `{email, password}`. Unknown email and wrong password fail alike (`invalid_credentials`, one scrypt
   * each). Failures are limited per account and per client address (`too_many_attempts` with a retry time).
   */
  login(body: unknown, clientAddress: string): Promise<{ user: UserRecord; session: SessionStart }>;
  user(id: string): Promise<UserRecord | undefined>;
}

/** Longest email or password a login considers; longer is a malformed request, not a guess. */
const LOGIN_FIELD_MAX = 1024;

function loginFields(body: unknown): { email: string; password: string } {
  const b = objectBody(body);
  if (typeof b.email !== 'string' || b.email.length === 0) throw invalidField('email', 'must be a non-empty string');
  if (b.email.length > LOGIN_FIELD_MAX) throw invalidField('email', `must be at most ${LOGIN_FIELD_MAX} characters`);
  if (typeof b.password !== 'string' || b.password.length === 0) throw invalidField('password', 'must be a non-empty string');
  if (b.password.length > LOGIN_FIELD_MAX) throw invalidField('password', `must be at most ${LOGIN_FIELD_MAX} characters`);
  return { email: normalizeEmail(b.email), password: b.password };
}

/** The cluster's shared counters when there are some, else this process's in-memory buckets. */
function loginLimiterOf(o: AccountsOptions): { reserve(keys: string[]): Promise<LimitResult>; release(keys: string[]): Promise<void> } {
  const perMinute = o.loginFailuresPerMinute ?? 10;
  const shared = o.sharedLimits;
  if (shared) return { reserve: (keys) => shared.reserve(keys, perMinute), release: (keys) => shared.release(keys, perMinute) };
  const local = createLoginLimiter({ clock: o.clock, perMinute, ...o.limiter });
  return { reserve: async (keys) => local.reserve(keys), release: async (keys) => local.release(keys) };
}

export function createAccounts(o: AccountsOptions): Accounts {
  const hasher = o.hasher ?? createPasswordHasher();
  const limiter = loginLimiterOf(o);
  const sessions = createSessions({ store: o.store, key: o.sessionKey, clock: o.clock, ...o.sessions });
  const tokens = createApiTokens({ store: o.store, ids: o.ids, clock: o.clock });
  const setup = createSetup({ store: o.store, hasher, ids: o.ids, hasOwner: o.hasOwner });

  const verify = async (password: string, stored: string | undefined, keys: string[]): Promise<boolean> => {
    try {
      return await hasher.verify(password, stored);
    } catch (e) {
      await limiter.release(keys);
      if (e instanceof HasherBusyError) throw new AccountError('busy', 'too many logins at once; try again', { retryAfterSec: 1 });
      throw e;
    }
  };

  const addressTag = (addr: string): string => createHmac('sha256', o.sessionKey).update(`login-address\0${addr}`).digest('base64url');
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const tooMany = (retryAfterSec: number): AccountError =>
    new AccountError('too_many_attempts', 'too many failed logins; try again later', { retryAfterSec });

  /**
   * Failures are limited per account AND address (10 a minute walls that pair), per address across accounts (10 a
   * minute), and per account across addresses (10 a minute). The last one walls only addresses the account never
   * signed in from: a known address waits `knownAddressDelayMs` instead, so guesses from elsewhere cannot lock the
   * owner out. A known address's own failures still count in its pair and address buckets.
   */
  const login: Accounts['login'] = async (body, clientAddress) => {
    const { email, password } = loginFields(body);
    const acct = accountKey(email);
    const addr = addressKey(clientAddress);
    const walls = [`${acct}|${addr}`, addr];
    const r = await limiter.reserve(walls);
    if (!r.ok) throw tooMany(r.retryAfterSec);
    const found = await o.store.findByEmail(email);
    const a = await limiter.reserve([acct]);
    const counted = a.ok ? [...walls, acct] : walls;
    if (!a.ok) {
      const known = found !== undefined && (await o.store.loginAddresses.known(found.id, addressTag(addr), o.clock.now() - KNOWN_ADDRESS_MS));
      if (!known) {
        await limiter.release(walls);
        throw tooMany(a.retryAfterSec);
      }
      await sleep(o.knownAddressDelayMs ?? 2000);
    }
    const ok = await verify(password, found?.passwordHash, counted);
    if (!ok || !found) throw new AccountError('invalid_credentials', 'wrong email or password');
    await limiter.release(counted);
    await o.store.loginAddresses.remember(found.id, addressTag(addr), o.clock.now() - KNOWN_ADDRESS_MS);
    const user: UserRecord = { id: found.id, email: found.email, createdAt: found.createdAt };
    return { user, session: await sessions.start(user.id) };
  };

  return { setup, sessions, tokens, login, user: (id) => o.store.get(id) };
}
