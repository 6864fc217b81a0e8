/** PostgreSQL connections: the durable pool (synchronous_commit on), a small fast pool (off), typed rows, transactions, error kinds. */
import pg from 'pg';
import { StoreUnavailable } from '../types.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** int8 (counts, ms timestamps) as JavaScript numbers: every value we store is below 2^53. */
function types(): pg.CustomTypesConfig {
  const t = new pg.TypeOverrides();
  t.setTypeParser(20, (v: string) => Number(v));
  return t;
}

export interface PoolOptions {
  url: string;
  max: number;
  /** `on` for anything a 2xx or a side effect depends on; `off` only for re-derivable writes (runner/ARCHITECTURE.md). */
  synchronousCommit: 'on' | 'off';
  /** Shown in pg_stat_activity. */
  applicationName: string;
}

/** A pool whose every connection has the given synchronous_commit, set at connect (the server default may differ). */
export function createPool(o: PoolOptions): Pool {
  const pool = new pg.Pool({
    connectionString: o.url, max: o.max, types: types(), application_name: o.applicationName,
    options: `-c synchronous_commit=${o.synchronousCommit}`,
    connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000,
  });
  // An idle connection that dies (server restart) emits here; without a listener the process would crash.
  pool.on('error', () => undefined);
  return guarded(pool);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How long a statement waits for the database to take connections again before it fails. */
const CHECKOUT_RETRY_MS = 5_000;

/**
 * Every statement of the store goes through here: a failure to get a connection at all (refused, the pool's wait
 * timing out, a server starting up) is retried for a while, which is safe because nothing was sent; a connection
 * lost while a statement ran becomes StoreUnavailable (its cause kept), so callers never mistake the database's
 * failure for the data's (the runner leaves the execution to its lease instead of failing it).
 */
function guarded(pool: pg.Pool): pg.Pool {
  const rawQuery = pool.query.bind(pool) as (...a: unknown[]) => Promise<unknown>;
  const rawConnect = pool.connect.bind(pool) as (cb?: unknown) => Promise<pg.PoolClient>;
  const withRetry = async <T>(fn: () => Promise<T>): Promise<T> => {
    const until = Date.now() + CHECKOUT_RETRY_MS;
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      try {
        return await fn();
      } catch (e) {
        if (isCheckoutFailure(e) && Date.now() + delay < until) {
          await sleep(delay);
          continue;
        }
        if (isConnectionError(e) && !(e instanceof StoreUnavailable)) throw new StoreUnavailable(`database unavailable: ${(e as Error).message}`, { cause: e });
        throw e;
      }
    }
  };
  (pool as unknown as { query: unknown }).query = (...a: unknown[]) => withRetry(() => rawQuery(...a));
  // pg-pool's own query() calls connect(callback): that form goes straight through.
  (pool as unknown as { connect: unknown }).connect = (cb?: unknown) => (typeof cb === 'function' ? rawConnect(cb) : withRetry(() => rawConnect()));
  return pool;
}

/** No statement was sent: the connection could not be had. */
export function isCheckoutFailure(e: unknown): boolean {
  const code = sqlstate(e);
  if (code !== undefined && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', '57P03', '53300'].includes(code)) return true;
  const msg = e instanceof Error ? e.message : '';
  return /timeout exceeded when trying to connect|Connection terminated due to connection timeout/i.test(msg);
}

export function createClient(url: string, applicationName: string): pg.Client {
  return new pg.Client({ connectionString: url, types: types(), application_name: applicationName, connectionTimeoutMillis: 10_000 });
}

/** Runs `fn` in one transaction on one pooled connection; rolls back on any error. */
export async function inTx<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  let broken = false;
  try {
    await c.query('BEGIN');
    const r = await fn(c);
    await c.query('COMMIT');
    return r;
  } catch (e) {
    broken = isConnectionError(e);
    if (!broken) await c.query('ROLLBACK').catch(() => { broken = true; });
    throw e;
  } finally {
    c.release(broken);
  }
}

const sqlstate = (e: unknown): string | undefined => {
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
};

/**
 * The connection (not the statement) failed: a network error, a server shutting down or restarting, or
 * one that refuses connections for now. Whether a COMMIT sent on it took effect is unknown.
 */
export function isConnectionError(e: unknown): boolean {
  if (e instanceof StoreUnavailable) return e.cause !== undefined && isConnectionError(e.cause);
  const code = sqlstate(e);
  if (code !== undefined && (code.startsWith('08') || code.startsWith('57P') || code === '53300')) return true;
  if (code !== undefined && /^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, EPIPE, ETIMEDOUT, …
  const msg = e instanceof Error ? e.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(msg);
}

/** A transaction another one got in the way of: deadlock or serialization failure. Retrying the whole transaction is safe. */
export const isConflict = (e: unknown): boolean => ['40001', '40P01'].includes(sqlstate(e) ?? '');

/** A unique constraint refused a row. */
export const isUniqueViolation = (e: unknown): boolean => sqlstate(e) === '23505';

/** The URL with its password replaced, for logs and doctor. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
