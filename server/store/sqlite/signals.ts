/** SQLite signals: what reached a parked step from outside (a resume request, a child's result), one per step. */
import type { Db } from '../db.js';
import type { SignalStore } from '../types.js';

export function createSqliteSignals(db: Db): SignalStore {
  const q = {
    insert: db.prepare('INSERT INTO signals (execution_id, node_id, payload, received_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    wake: db.prepare(`UPDATE executions SET due_at = min(due_at, ?) WHERE id = ? AND status = 'waiting'`),
    get: db.prepare<[string, string], { payload: string; received_at: number }>('SELECT payload, received_at FROM signals WHERE execution_id = ? AND node_id = ?'),
    clear: db.prepare('DELETE FROM signals WHERE execution_id = ? AND node_id = ?'),
  };
  const put = db.transaction((executionId: string, nodeId: string, payload: string, now: number): boolean => {
    if (q.insert.run(executionId, nodeId, payload, now).changes === 0) return false;
    q.wake.run(now, executionId);
    return true;
  });
  return {
    async put(s, now) {
      return put(s.executionId, s.nodeId, JSON.stringify(s.payload ?? null), now);
    },
    async get(executionId, nodeId) {
      const r = q.get.get(executionId, nodeId);
      return r ? { payload: JSON.parse(r.payload) as unknown, receivedAt: r.received_at } : undefined;
    },
    async clear(executionId, nodeId) {
      q.clear.run(executionId, nodeId);
    },
    async wakeIfSignalled(executionId, nodeIds, now) {
      if (nodeIds.length === 0) return false;
      const marks = nodeIds.map(() => '?').join(', ');
      const r = db.prepare(`UPDATE executions SET due_at = min(due_at, ?) WHERE id = ? AND status = 'waiting'
        AND EXISTS (SELECT 1 FROM signals WHERE execution_id = ? AND node_id IN (${marks}))`).run(now, executionId, executionId, ...nodeIds);
      return r.changes > 0;
    },
  };
}
