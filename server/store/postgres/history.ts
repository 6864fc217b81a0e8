/** Execution history on PostgreSQL: filters, keyset pagination by id, and a total (twin of sqlite/history.ts). */
import type { ExecutionFilter, ExecutionRecord, ListPage } from '../types.js';
import { toExecution, type ExecutionRow } from '../sqlite/rows.js';
import type { Pool } from './pool.js';

export function createPgHistory(pool: Pool) {
  return {
    async list(f: ExecutionFilter): Promise<ListPage<ExecutionRecord>> {
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
      const sql = `SELECT id, flow_id, flow_version, event_id, mode, status, due_at, replay_of, created_at, started_at,
        finished_at, error, response, fence, '' AS steps, '' AS attempts FROM executions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY id DESC LIMIT $${args.length}`;
      const [rows, n] = await Promise.all([pool.query<ExecutionRow>(sql, args), total]);
      const items = rows.rows.slice(0, f.limit).map(toExecution);
      return { items, total: n.rows[0].n, nextCursor: rows.rows.length > f.limit ? items[items.length - 1].id : null };
    },
  };
}
