/** Execution history listing with filters, cursor pagination and a total. */
import type { Db } from '../db.js';
import type { ExecutionFilter, ExecutionSummary, ListPage, TriggerPeek } from '../types.js';
import { toExecution, type ExecutionRow } from './rows.js';

interface PeekRow extends ExecutionRow { t_method: string | null; t_headers: string | null; t_body: string | null }

function peekOf(r: PeekRow): TriggerPeek {
  const peek: TriggerPeek = {};
  if (r.t_method !== null) peek.method = r.t_method;
  if (r.t_headers !== null) peek.headers = JSON.parse(r.t_headers) as Record<string, string>;
  if (r.t_body !== null) peek.bodyPreview = r.t_body;
  return peek;
}

export function createHistoryQueries(db: Db) {
  return {
    list(f: ExecutionFilter): ListPage<ExecutionSummary> {
      const where: string[] = [];
      const args: Array<string | number> = [];
      if (f.flowId) { where.push('flow_id = ?'); args.push(f.flowId); }
      if (f.status) { where.push('status = ?'); args.push(f.status); }
      if (f.since !== undefined) { where.push('created_at >= ?'); args.push(f.since); }
      if (f.until !== undefined) { where.push('created_at < ?'); args.push(f.until); }
      const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const total = db.prepare(`SELECT count(*) FROM executions ${filter}`).pluck().get(...args) as number;
      const page = [...where];
      const pageArgs = [...args];
      if (f.cursor) { page.push('id < ?'); pageArgs.push(f.cursor); }
      // The trigger peek is read inside SQLite (json_extract), so a large body is never parsed in JavaScript.
      const sql = `SELECT x.id, x.flow_id, x.flow_version, x.event_id, x.mode, x.status, x.due_at, x.replay_of, x.created_at, x.started_at,
        x.finished_at, x.error, x.response, x.answer, x.fence, '' AS steps, '' AS attempts,
        json_extract(e.envelope, '$.method') AS t_method, json_extract(e.envelope, '$.headers') AS t_headers,
        substr(CASE json_type(e.envelope, '$.body') WHEN 'text' THEN json_extract(e.envelope, '$.body')
          ELSE json(json_extract(e.envelope, '$.body')) END, 1, 120) AS t_body
        FROM (SELECT id, flow_id, flow_version, event_id, mode, status, due_at, replay_of, created_at, started_at, finished_at,
          error, response, answer, fence FROM executions ${page.length ? `WHERE ${page.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?) x
        LEFT JOIN events e ON e.id = x.event_id ORDER BY x.id DESC`;
      const rows = db.prepare<unknown[], PeekRow>(sql).all(...pageArgs, f.limit + 1);
      const items = rows.slice(0, f.limit).map((r): ExecutionSummary => ({ ...toExecution(r), trigger: peekOf(r) }));
      return { items, total, nextCursor: rows.length > f.limit ? items[items.length - 1].id : null };
    },
  };
}
