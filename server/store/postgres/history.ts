/** Execution history on PostgreSQL: filters, keyset pagination by id, a total, and each run's trigger peek (twin of sqlite/history.ts). */
import type { ExecutionFilter, ExecutionSummary, ListPage, TriggerPeek } from '../types.js';
import { toExecution, type ExecutionRow } from '../sqlite/rows.js';
import type { Pool } from './pool.js';

interface PeekRow extends ExecutionRow { t_method: string | null; t_headers: string | null; t_body: string | null }

function peekOf(r: PeekRow): TriggerPeek {
  const peek: TriggerPeek = {};
  if (r.t_method !== null) peek.method = r.t_method;
  if (r.t_headers !== null) peek.headers = JSON.parse(r.t_headers) as Record<string, string>;
  if (r.t_body !== null) peek.bodyPreview = r.t_body;
  return peek;
}

/** The peek is read inside PostgreSQL, so a large body is never parsed in JavaScript; a JSON null body has no preview. */
const PEEK = `e.envelope::json ->> 'method' AS t_method,
  CASE WHEN json_typeof(e.envelope::json -> 'headers') = 'object' THEN (e.envelope::json -> 'headers')::text END AS t_headers,
  left(CASE json_typeof(e.envelope::json -> 'body') WHEN 'string' THEN e.envelope::json ->> 'body' WHEN 'null' THEN NULL
    ELSE (e.envelope::json -> 'body')::text END, 120) AS t_body`;

export function createPgHistory(pool: Pool) {
  return {
    async list(f: ExecutionFilter): Promise<ListPage<ExecutionSummary>> {
      const where: string[] = [];
      const args: Array<string | number> = [];
      const add = (sql: string, v: string | number): void => { args.push(v); where.push(sql.replace('?', `$${args.length}`)); };
      if (f.flowId) add('flow_id = ?', f.flowId);
      if (f.status) add('status = ?', f.status);
      if (f.since !== undefined) add('created_at >= ?', f.since);
      if (f.until !== undefined) add('created_at < ?', f.until);
      const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = pool.query<{ n: number }>(`SELECT count(*) AS n FROM executions ${filter}`, [...args]);
      if (f.cursor) add('id < ?', f.cursor);
      args.push(f.limit + 1);
      const sql = `SELECT x.*, '' AS steps, '' AS attempts, ${PEEK}
        FROM (SELECT id, flow_id, flow_version, event_id, mode, status, due_at, replay_of, created_at, started_at, finished_at,
          error, response, answer, fence FROM executions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${args.length}) x
        LEFT JOIN events e ON e.id = x.event_id ORDER BY x.id DESC`;
      const [rows, n] = await Promise.all([pool.query<PeekRow>(sql, args), total]);
      const items = rows.rows.slice(0, f.limit).map((r): ExecutionSummary => ({ ...toExecution(r), trigger: peekOf(r) }));
      return { items, total: n.rows[0].n, nextCursor: rows.rows.length > f.limit ? items[items.length - 1].id : null };
    },
  };
}
