/** Login sessions: random ids handed out once as a cookie value, stored as HMAC digests with idle and absolute expiry. */
import { createHmac, randomBytes } from 'node:crypto';
import type { UserStore } from '../store/types.js';

const DAY = 24 * 60 * 60 * 1000;
const ID_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export interface SessionsOptions {
  store: UserStore;
  /** The session-signing key: derived for this purpose only, never the credential-encryption key. */
  key: Buffer;
  clock: { now(): number };
  /** A session unused this long ends. @default 7 days */
  idleMs?: number;
  /** A session ends this long after login, used or not. @default 30 days */
  absoluteMs?: number;
  /** `last_seen_at` is written at most this often per session, not on every request. @default 60 s */
  touchEveryMs?: number;
}

export interface SessionStart {
  /** The cookie value; only its HMAC is stored. */
  value: string;
  maxAgeSec: number;
}

export interface Sessions {
  /** A new session with a fresh random id (ids are never reused or carried over: no fixation). */
  start(userId: string): Promise<SessionStart>;
  /** The user of a live session, or undefined (unknown, malformed, idle too long or past its absolute expiry). */
  resolve(value: string | undefined): Promise<{ userId: string } | undefined>;
  /** Ends the session; later requests with its cookie answer 401. */
  end(value: string | undefined): Promise<void>;
  /** The stored form of a cookie value (exposed so tests can check which key signs sessions). */
  digest(value: string): string;
}

export function createSessions(opts: SessionsOptions): Sessions {
  const { store, key, clock } = opts;
  const idleMs = opts.idleMs ?? 7 * DAY;
  const absoluteMs = opts.absoluteMs ?? 30 * DAY;
  const touchEveryMs = opts.touchEveryMs ?? 60_000;
  const digest = (value: string): string => createHmac('sha256', key).update(value).digest('hex');

  return {
    digest,
    async start(userId) {
      const now = clock.now();
      await store.sessions.purge(now - idleMs);
      const value = randomBytes(32).toString('base64url');
      await store.sessions.insert(digest(value), userId, now + absoluteMs);
      return { value, maxAgeSec: Math.floor(absoluteMs / 1000) };
    },
    async resolve(value) {
      if (value === undefined || !ID_FORMAT.test(value)) return undefined;
      const idHash = digest(value);
      const s = await store.sessions.find(idHash);
      if (!s) return undefined;
      const now = clock.now();
      if (now >= s.expiresAt || now - s.lastSeenAt >= idleMs) {
        await store.sessions.delete(idHash);
        return undefined;
      }
      if (now - s.lastSeenAt >= touchEveryMs) await store.sessions.touch(idHash);
      return { userId: s.userId };
    },
    async end(value) {
      if (value !== undefined && ID_FORMAT.test(value)) await store.sessions.delete(digest(value));
    },
  };
}
