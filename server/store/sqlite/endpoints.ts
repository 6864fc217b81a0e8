/** Outgoing-endpoint health rows (one per flow and URL template, H-16): prepared statements over one connection. */
import type { Db } from '../db.js';
import type { DisabledReason, EndpointKey, EndpointRow, EndpointState, ListPage } from '../types.js';

export type { DisabledReason, EndpointKey, EndpointRow, EndpointState };

export interface EndpointRepo {
  get(id: string): EndpointRow | undefined;
  find(key: EndpointKey): EndpointRow | undefined;
  /**
   * Read-modify-write of one endpoint's row in one IMMEDIATE transaction, so concurrent deliveries (and other
   * processes on the same file) never lose an update. `next` gets the current row (or undefined) and must not await.
   */
  update(key: EndpointKey, next: (prev: EndpointRow | undefined) => EndpointRow): EndpointRow;
  /** Clears the disabled and failing state; undefined for an unknown id. */
  enable(id: string, now: number): EndpointRow | undefined;
  /** Rows ordered by id (creation order); cursor = the last id seen. */
  list(q: { state?: EndpointState; limit: number; cursor?: string }): ListPage<EndpointRow>;
}

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

function statements(db: Db) {
  return {
    get: db.prepare<[string], DbRow>('SELECT * FROM endpoints WHERE id = ?'),
    find: db.prepare<[string, string], DbRow>('SELECT * FROM endpoints WHERE flow_id = ? AND url = ?'),
    upsert: db.prepare(`INSERT INTO endpoints (id, flow_id, url, origin, failing_since, failures, last_failure_at, last_success_at,
        last_status, last_error, disabled_at, disabled_reason, created_at, updated_at)
      VALUES (@id, @flowId, @url, @origin, @failingSince, @failures, @lastFailureAt, @lastSuccessAt, @lastStatus, @lastError,
        @disabledAt, @disabledReason, @createdAt, @updatedAt)
      ON CONFLICT (flow_id, url) DO UPDATE SET origin = excluded.origin, failing_since = excluded.failing_since, failures = excluded.failures,
        last_failure_at = excluded.last_failure_at, last_success_at = excluded.last_success_at, last_status = excluded.last_status,
        last_error = excluded.last_error, disabled_at = excluded.disabled_at, disabled_reason = excluded.disabled_reason,
        updated_at = excluded.updated_at`),
    enable: db.prepare<[number, string]>(
      'UPDATE endpoints SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL, failures = 0, updated_at = ? WHERE id = ?'),
    page: db.prepare<[string | null, string | null, string | null, string | null, number], DbRow>(
      `SELECT * FROM endpoints WHERE (? IS NULL OR ${STATE} = ?) AND (? IS NULL OR id > ?) ORDER BY id LIMIT ?`),
    total: db.prepare<[string | null, string | null], { n: number }>(`SELECT count(*) AS n FROM endpoints WHERE (? IS NULL OR ${STATE} = ?)`),
  };
}

export function createEndpointRepo(db: Db): EndpointRepo {
  const s = statements(db);
  const get = (id: string): EndpointRow | undefined => {
    const r = s.get.get(id);
    return r && toRow(r);
  };
  const find = (key: EndpointKey): EndpointRow | undefined => {
    const r = s.find.get(key.flowId, key.url);
    return r && toRow(r);
  };
  const update = db.transaction((key: EndpointKey, next: (prev: EndpointRow | undefined) => EndpointRow): EndpointRow => {
    const row = { ...next(find(key)), flowId: key.flowId === '' ? null : key.flowId, url: key.url };
    s.upsert.run({ ...row, flowId: key.flowId });
    return row;
  });
  return {
    get,
    find,
    update: (key, next) => update.immediate(key, next),
    enable(id, now) {
      return s.enable.run(now, id).changes === 0 ? undefined : get(id);
    },
    list({ state, limit, cursor }) {
      const st = state ?? null;
      const c = cursor ?? null;
      const rows = s.page.all(st, st, c, c, limit + 1);
      const items = rows.slice(0, limit).map(toRow);
      const total = (s.total.get(st, st) as { n: number }).n;
      return { items, total, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
    },
  };
}
