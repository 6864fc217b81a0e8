/**
 * Token buckets in the database, shared by every process of a cluster: per-flow rate limits and the unknown-token
 * limit (one upsert each), and login failure limits (all keys or none, in one transaction). A bucket holds
 * `perMinute` tokens and refills continuously; one untouched for a minute is full, so such rows are dropped.
 */
import type { LimitResult, SharedLimits } from '../types.js';
import { inTx, type Pool } from './pool.js';

const MINUTE = 60_000;

/** $1 key, $2 capacity per minute, $3 now (ms). `refill` is the bucket's level at $3 before this take. */
const refill = `least($2::float8, limit_buckets.tokens + greatest(0, $3 - limit_buckets.updated_at) * $2::float8 / ${MINUTE})`;
const TAKE_SQL = `
INSERT INTO limit_buckets (key, tokens, ok, updated_at) VALUES ($1, $2::float8 - 1, 1, $3)
ON CONFLICT (key) DO UPDATE SET
  tokens = CASE WHEN ${refill} >= 1 THEN ${refill} - 1 ELSE ${refill} END,
  ok = CASE WHEN ${refill} >= 1 THEN 1 ELSE 0 END,
  updated_at = greatest(limit_buckets.updated_at, $3)
RETURNING tokens, ok`;

const retryAfter = (tokens: number, perMinute: number): number => Math.max(1, Math.ceil(((1 - tokens) * MINUTE) / perMinute / 1000));

export function createPgLimits(pool: Pool, now: () => number = Date.now): SharedLimits & { stop(): void } {
  const sweep = setInterval(() => {
    pool.query('DELETE FROM limit_buckets WHERE updated_at < $1', [now() - MINUTE]).catch(() => undefined);
  }, MINUTE);
  sweep.unref();

  const level = (tokens: number, at: number, t: number, cap: number): number => Math.min(cap, tokens + (Math.max(0, t - at) * cap) / MINUTE);

  return {
    async take(key, perMinute): Promise<LimitResult> {
      if (!(perMinute > 0)) throw new RangeError(`perMinute must be > 0, got ${perMinute}`);
      const r = (await pool.query<{ tokens: number; ok: number }>(TAKE_SQL, [key, perMinute, now()])).rows[0];
      return r.ok === 1 ? { ok: true } : { ok: false, retryAfterSec: retryAfter(r.tokens, perMinute) };
    },
    reserve: (keys, perMinute) => inTx(pool, async (c): Promise<LimitResult> => {
      const t = now();
      const sorted = [...new Set(keys)].sort();
      await c.query(`INSERT INTO limit_buckets (key, tokens, ok, updated_at) SELECT k, $2, 1, $3 FROM unnest($1::text[]) AS k
        ON CONFLICT (key) DO NOTHING`, [sorted, perMinute, t]);
      const rows = (await c.query<{ key: string; tokens: number; updated_at: number }>(
        'SELECT key, tokens, updated_at FROM limit_buckets WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE', [sorted])).rows;
      const levels = rows.map((r) => ({ key: r.key, tokens: level(r.tokens, r.updated_at, t, perMinute) }));
      const short = levels.filter((l) => l.tokens < 1);
      if (short.length > 0) return { ok: false, retryAfterSec: Math.max(...short.map((l) => retryAfter(l.tokens, perMinute))) };
      await c.query(`UPDATE limit_buckets b SET tokens = v.tokens - 1, updated_at = $3 FROM unnest($1::text[], $2::float8[]) AS v(key, tokens)
        WHERE b.key = v.key`, [levels.map((l) => l.key), levels.map((l) => l.tokens), t]);
      return { ok: true };
    }),
    async release(keys, perMinute) {
      await pool.query(`UPDATE limit_buckets SET tokens = least($2::float8, tokens + 1) WHERE key = ANY($1::text[])`, [[...new Set(keys)], perMinute]);
    },
    stop: () => clearInterval(sweep),
  };
}
