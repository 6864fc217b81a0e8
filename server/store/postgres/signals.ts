/** PostgreSQL signals: what reached a parked step from outside (a resume request, a child's result), one per step. */
import type { SignalStore } from '../types.js';
import { inTx, type Pool } from './pool.js';
import { retrying } from './retry.js';

export function createPgSignals(pool: Pool): SignalStore {
  return {
    put: (s, now) => retrying('put signal', () => inTx(pool, async (c) => {
      const ins = await c.query(
        'INSERT INTO signals (execution_id, node_id, payload, received_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [s.executionId, s.nodeId, JSON.stringify(s.payload ?? null), now]);
      if (ins.rowCount === 0) return false;
      await c.query(`UPDATE executions SET due_at = LEAST(due_at, $1) WHERE id = $2 AND status = 'waiting'`, [now, s.executionId]);
      return true;
    })),
    async get(executionId, nodeId) {
      const r = await retrying('get signal', () => pool.query<{ payload: string; received_at: string }>(
        'SELECT payload, received_at FROM signals WHERE execution_id = $1 AND node_id = $2', [executionId, nodeId]));
      const row = r.rows[0];
      return row ? { payload: JSON.parse(row.payload) as unknown, receivedAt: Number(row.received_at) } : undefined;
    },
    async clear(executionId, nodeId) {
      await retrying('clear signal', () => pool.query('DELETE FROM signals WHERE execution_id = $1 AND node_id = $2', [executionId, nodeId]));
    },
    async wakeIfSignalled(executionId, nodeIds, now) {
      if (nodeIds.length === 0) return false;
      const r = await retrying('wake signalled', () => pool.query(
        `UPDATE executions SET due_at = LEAST(due_at, $1) WHERE id = $2 AND status = 'waiting'
           AND EXISTS (SELECT 1 FROM signals WHERE execution_id = $2 AND node_id = ANY($3::text[]))`, [now, executionId, [...nodeIds]]));
      return (r.rowCount ?? 0) > 0;
    },
  };
}
