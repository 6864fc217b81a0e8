/** Token-bucket rate limiter keyed by string (a flow id, an IP), in bounded memory with O(1) work per call. */

/** The limiter's only source of time: `now()` in milliseconds (SystemClock in production, FakeClock in tests). */
export interface RateLimitClock {
  now(): number;
}

export interface RateLimiterOptions {
  clock: RateLimitClock;
  /**
   * Most keys tracked at once. Past it, the keys untouched longest are forgotten early, which hands each a
   * full bucket again: the price of bounded memory when someone sprays keys (e.g. many source IPs).
   * @default 100_000
   */
  maxKeys?: number;
}

export type RateLimitResult = { ok: true } | { ok: false; retryAfterSec: number };

/** What ingress needs of a limiter: this in-memory one, or the cluster's counters in the database (store SharedLimits). */
export interface RateLimitTaker {
  take(key: string, perMinute: number): RateLimitResult | Promise<RateLimitResult>;
}

export interface RateLimiter {
  /**
   * Takes one token from `key`'s bucket: capacity `perMinute` (the allowed burst), refilled continuously at
   * `perMinute / 60` tokens per second. Refused → `retryAfterSec`, whole seconds (≥ 1) until a token is back,
   * ready for a `Retry-After` header. `perMinute` may change between calls (a flow edited); the bucket keeps
   * its level, capped at the new capacity. Throws a RangeError unless `perMinute > 0`.
   */
  take(key: string, perMinute: number): RateLimitResult;
  /** Keys currently tracked (for metrics and tests). */
  size(): number;
}

/** Any bucket is full again after this long untouched, whatever its rate, so forgetting it changes nothing. */
const FULL_REFILL_MS = 60_000;
const OK: RateLimitResult = Object.freeze({ ok: true });

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Creates a limiter. Buckets live in two generations of Maps (the quick-lru scheme): a touched bucket moves
 * to `current`; every 60 s — or once `current` holds `maxKeys / 2` keys — `current` becomes `previous` and
 * the old `previous` is dropped whole. A bucket dropped on the 60 s turn was idle for ≥ 60 s and full anyway,
 * so that eviction is exact; the size turn is the lossy safety valve. No call iterates a Map: O(1) each
 * (iterating a Map from its start after deletions costs O(deleted) in V8, so a plain LRU Map would not be).
 *
 * @example
 * const limiter = createRateLimiter({ clock });
 * const r = limiter.take(`flow:${flow.id}`, params.rateLimitPerMin);
 * if (!r.ok) throw new IngressError(429, 'rate_limited', '…', { headers: { 'retry-after': String(r.retryAfterSec) } });
 */
export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const { clock } = opts;
  const generationCap = Math.max(1, Math.floor((opts.maxKeys ?? 100_000) / 2));
  let current = new Map<string, Bucket>();
  let previous = new Map<string, Bucket>();
  let turnedAt = clock.now();

  const turn = (now: number): void => {
    previous = current;
    current = new Map();
    turnedAt = now;
  };

  const bucketFor = (key: string, perMinute: number, now: number): Bucket => {
    if (now - turnedAt >= FULL_REFILL_MS) turn(now);
    const hit = current.get(key);
    if (hit !== undefined) return hit;
    const old = previous.get(key);
    if (old !== undefined) previous.delete(key);
    if (current.size >= generationCap) turn(now);
    const bucket = old ?? { tokens: perMinute, updatedAt: now };
    current.set(key, bucket);
    return bucket;
  };

  const take = (key: string, perMinute: number): RateLimitResult => {
    if (!(perMinute > 0)) throw new RangeError(`perMinute must be > 0, got ${perMinute}`);
    const now = clock.now();
    return spend(bucketFor(key, perMinute, now), perMinute, now);
  };

  return { take, size: () => current.size + previous.size };
}

/** Refills `bucket` up to `now`, then takes one token or says how long until one is back. */
function spend(bucket: Bucket, perMinute: number, now: number): RateLimitResult {
  const elapsed = Math.max(0, now - bucket.updatedAt); // a clock stepping back refills nothing
  bucket.tokens = Math.min(perMinute, bucket.tokens + (elapsed * perMinute) / FULL_REFILL_MS);
  bucket.updatedAt = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return OK;
  }
  const waitMs = ((1 - bucket.tokens) * FULL_REFILL_MS) / perMinute;
  return { ok: false, retryAfterSec: Math.max(1, Math.ceil(waitMs / 1000)) };
}
