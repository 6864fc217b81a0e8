/** Execution history listing with filters, cursor pagination and a total. */
import type { Db } from '../db.js';
import type { ExecutionFilter, ExecutionRecord, ListPage } from '../types.js';
import { toExecution, type ExecutionRow } from './rows.js';

export function createHistoryQueries(db: Db) {
  return {
    list(f: ExecutionFilter): ListPage<ExecutionRecord> {
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
      const sql = `SELECT id, flow_id, flow_version, event_id, mode, status, due_at, replay_of, created_at, started_at,
        finished_at, error, response, fence, '' AS steps, '' AS attempts FROM executions ${page.length ? `WHERE ${page.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
      const rows = db.prepare<unknown[], ExecutionRow>(sql).all(...pageArgs, f.limit + 1);
      const items = rows.slice(0, f.limit).map(toExecution);
      return { items, total, nextCursor: rows.length > f.limit ? items[items.length - 1].id : null };
    },
  };
}
