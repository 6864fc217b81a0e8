/** PostgreSQL schedule slots: the slots each flow's schedule has fired or skipped; (flow, slot) is unique across processes. */
import type { ScheduleStore } from '../types.js';
import { SLOTS_KEPT } from '../types.js';
import { inTx, type Pool } from './pool.js';
import { retrying } from './retry.js';

export function createPgSchedules(pool: Pool): ScheduleStore {
  return {
    async lastSlot(flowId) {
      const r = await retrying('last slot', () => pool.query<{ s: number | null }>('SELECT max(slot) AS s FROM schedule_slots WHERE flow_id = $1', [flowId]));
      return r.rows[0]?.s ?? undefined;
    },
    record: (flowId, slot, executionId, now) => retrying('record slot', () => inTx(pool, async (c) => {
      const ins = await c.query('INSERT INTO schedule_slots (flow_id, slot, execution_id, fired_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [flowId, slot, executionId, now]);
      if (ins.rowCount === 0) return false;
      await c.query(`DELETE FROM schedule_slots WHERE flow_id = $1 AND slot < (SELECT slot FROM schedule_slots WHERE flow_id = $1 ORDER BY slot DESC LIMIT 1 OFFSET ${SLOTS_KEPT})`, [flowId]);
      return true;
    })),
    async recent(flowId, limit) {
      const r = await retrying('recent slots', () => pool.query<{ slot: number; execution_id: string | null; fired_at: number }>(
        'SELECT slot, execution_id, fired_at FROM schedule_slots WHERE flow_id = $1 ORDER BY slot DESC LIMIT $2', [flowId, limit]));
      return r.rows.map((x) => ({ slot: x.slot, executionId: x.execution_id ?? undefined, firedAt: x.fired_at }));
    },
  };
}
