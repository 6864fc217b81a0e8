/** Outgoing-endpoint health rows (per flow and URL template, H-16) on PostgreSQL: read-modify-write under a row lock (twin of sqlite/endpoints.ts). */
import type { EndpointKey, EndpointRow, EndpointStore } from '../types.js';
import { inTx, isUniqueViolation, type Pool } from './pool.js';

interface DbRow {
  id: string; flow_id: string; url: string; origin: string; failing_since: number | null; failures: number; last_failure_at: number | null;
  last_success_at: number | null; last_status: number | null; last_error: string | null; disabled_at: number | null;
  disabled_reason: string | null; created_at: number; updated_at: number;
}

const toRow = (r: DbRow): EndpointRow => ({
  id: r.id, flowId: r.flow_id === '' ? null : r.flow_id, url: r.url, origin: r.origin, failingSince: r.failing_since, failures: r.failures, lastFailureAt: r.last_failure_at,
  lastSuccessAt: r.last_success_at, lastStatus: r.last_status, lastError: r.last_error, disabledAt: r.disabled_at,
  disabledReason: r.disabled_reason === 'gone' || r.disabled_reason === 'failing' ? r.disabled_reason : null,
  createdAt: r.created_at, updatedAt: r.updated_at,
});

const STATE = "CASE WHEN disabled_at IS NOT NULL THEN 'disabled' WHEN failing_since IS NOT NULL THEN 'failing' ELSE 'healthy' END";

const COLS = `id, flow_id, url, origin, failing_since, failures, last_failure_at, last_success_at, last_status,
    last_error, disabled_at, disabled_reason, created_at, updated_at`;
const UPSERT = `INSERT INTO endpoints (${COLS})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
  ON CONFLICT (flow_id, url) DO UPDATE SET origin = excluded.origin, failing_since = excluded.failing_since, failures = excluded.failures,
    last_failure_at = excluded.last_failure_at, last_success_at = excluded.last_success_at, last_status = excluded.last_status,
    last_error = excluded.last_error, disabled_at = excluded.disabled_at, disabled_reason = excluded.disabled_reason,
    updated_at = excluded.updated_at`;

const INSERT_NEW = `INSERT INTO endpoints (${COLS})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT (flow_id, url) DO NOTHING`;

/** `pool` answers reads and the API's enable; `fast` (synchronous_commit off) takes delivery outcomes. */
export function createPgEndpointStore(pool: Pool, fast: Pool): EndpointStore {
  const one = async (p: Pool, sql: string, args: unknown[]): Promise<EndpointRow | undefined> => {
    const r = (await p.query<DbRow>(sql, args)).rows[0];
    return r && toRow(r);
  };
  /** Undefined when the origin had no row and another process inserted one meanwhile: go again (now it is locked). */
  const attempt = (key: EndpointKey, next: (prev: EndpointRow | undefined) => EndpointRow): Promise<EndpointRow | undefined> => inTx(fast, async (c) => {
    const cur = (await c.query<DbRow>('SELECT * FROM endpoints WHERE flow_id = $1 AND url = $2 FOR UPDATE', [key.flowId, key.url])).rows[0];
    const row = { ...next(cur && toRow(cur)), flowId: key.flowId === '' ? null : key.flowId, url: key.url };
    const args = [row.id, key.flowId, key.url, row.origin, row.failingSince, row.failures, row.lastFailureAt, row.lastSuccessAt, row.lastStatus,
      row.lastError, row.disabledAt, row.disabledReason, row.createdAt, row.updatedAt];
    const r = await c.query(cur ? UPSERT : INSERT_NEW, args);
    return cur || (r.rowCount ?? 0) > 0 ? row : undefined;
  });
  const update = async (key: EndpointKey, next: (prev: EndpointRow | undefined) => EndpointRow): Promise<EndpointRow> => {
    for (;;) {
      const row = await attempt(key, next);
      if (row) return row;
    }
  };
  return {
    get: (id) => one(pool, 'SELECT * FROM endpoints WHERE id = $1', [id]),
    find: (key) => one(pool, 'SELECT * FROM endpoints WHERE flow_id = $1 AND url = $2', [key.flowId, key.url]),
    // A first outcome for an origin races another's (any process): the loser reads the winner's row and goes again.
    update: (key, next) => update(key, next).catch((e: unknown) => {
      if (!isUniqueViolation(e)) throw e; // the same id chosen twice cannot happen, but a retry is the right answer
      return update(key, next);
    }),
    enable: (id, now) => one(pool, `UPDATE endpoints SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL, failures = 0,
      updated_at = $1 WHERE id = $2 RETURNING *`, [now, id]),
    async list({ state, limit, cursor }) {
      const [rows, n] = await Promise.all([
        pool.query<DbRow>(`SELECT * FROM endpoints WHERE ($1::text IS NULL OR ${STATE} = $1) AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3`,
          [state ?? null, cursor ?? null, limit + 1]),
        pool.query<{ n: number }>(`SELECT count(*) AS n FROM endpoints WHERE ($1::text IS NULL OR ${STATE} = $1)`, [state ?? null]),
      ]);
      const items = rows.rows.slice(0, limit).map(toRow);
      return { items, total: n.rows[0].n, nextCursor: rows.rows.length > limit ? items[items.length - 1].id : null };
    },
  };
}
