/** Failed-login limiter: token buckets per account and per client address, reserved before a password is checked. */
import { isIPv6 } from 'node:net';

export interface LimiterClock {
  now(): number;
}

export type LimitResult = { ok: true } | { ok: false; retryAfterSec: number };

export interface LoginLimiter {
  /**
   * Reserves one failure in every key's bucket before the password is checked, so concurrent guesses count
   * too. Refused (and nothing reserved) when any bucket is empty: `retryAfterSec` until all have a token.
   */
  reserve(keys: readonly string[]): LimitResult;
  /** Gives the reserved failures back: the attempt succeeded. */
  release(keys: readonly string[]): void;
  /** Keys currently tracked (for tests and metrics). */
  size(): number;
}

export interface LoginLimiterOptions {
  clock: LimiterClock;
  /** Failures allowed per key per minute (the burst; refilled continuously). @default 10 */
  perMinute?: number;
  /** Keys tracked at once; past it the least recently used generation is forgotten. @default 100_000 */
  maxKeys?: number;
}

interface Bucket { tokens: number; at: number }

const MINUTE = 60_000;

/**
 * Buckets in two generations (as in ingress/rate-limit.ts): a touched bucket moves to `current`; every minute,
 * or when `current` is full, `current` becomes `previous` and the old `previous` is dropped. A bucket idle for a
 * minute is full again, so dropping it is exact; the size turn is the bounded-memory safety valve.
 */
function createBuckets(cap: number, maxKeys: number, start: number) {
  const generationCap = Math.max(1, Math.floor(maxKeys / 2));
  let current = new Map<string, Bucket>();
  let previous = new Map<string, Bucket>();
  let turnedAt = start;
  return {
    /** The key's bucket, refilled up to `now`. */
    get(key: string, now: number): Bucket {
      if (now - turnedAt >= MINUTE || current.size >= generationCap) {
        previous = current;
        current = new Map();
        turnedAt = now;
      }
      const b = current.get(key) ?? previous.get(key) ?? { tokens: cap, at: now };
      previous.delete(key);
      current.set(key, b);
      b.tokens = Math.min(cap, b.tokens + (Math.max(0, now - b.at) * cap) / MINUTE);
      b.at = now;
      return b;
    },
    size: () => current.size + previous.size,
  };
}

export function createLoginLimiter(opts: LoginLimiterOptions): LoginLimiter {
  const cap = opts.perMinute ?? 10;
  const buckets = createBuckets(cap, opts.maxKeys ?? 100_000, opts.clock.now());
  return {
    reserve(keys) {
      const now = opts.clock.now();
      const all = keys.map((k) => buckets.get(k, now));
      const short = all.filter((b) => b.tokens < 1);
      if (short.length > 0) {
        const waitMs = Math.max(...short.map((b) => ((1 - b.tokens) * MINUTE) / cap));
        return { ok: false, retryAfterSec: Math.max(1, Math.ceil(waitMs / 1000)) };
      }
      for (const b of all) b.tokens -= 1;
      return { ok: true };
    },
    release(keys) {
      const now = opts.clock.now();
      for (const k of keys) {
        const b = buckets.get(k, now);
        b.tokens = Math.min(cap, b.tokens + 1);
      }
    },
    size: buckets.size,
  };
}

/** The limiter key of a client address: IPv4 as is, IPv6 by its /64 (one host usually owns a whole /64). */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return `ip:${mapped[1]}`;
  if (!isIPv6(ip)) return `ip:${ip}`;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return `ip6:${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** The limiter key of an account: the normalized email, whether or not such a user exists. */
export const accountKey = (email: string): string => `acct:${email}`;
