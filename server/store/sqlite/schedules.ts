/** SQLite schedule slots: the slots each flow's schedule has fired or skipped; (flow, slot) is unique. */
import type { Db } from '../db.js';
import type { ScheduleStore } from '../types.js';
import { SLOTS_KEPT } from '../types.js';

export function createSqliteSchedules(db: Db): ScheduleStore {
  const q = {
    last: db.prepare<[string], { s: number | null }>('SELECT max(slot) AS s FROM schedule_slots WHERE flow_id = ?'),
    insert: db.prepare('INSERT INTO schedule_slots (flow_id, slot, execution_id, fired_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    prune: db.prepare(`DELETE FROM schedule_slots WHERE flow_id = ? AND slot < (SELECT slot FROM schedule_slots WHERE flow_id = ? ORDER BY slot DESC LIMIT 1 OFFSET ${SLOTS_KEPT})`),
    list: db.prepare<[string, number], { slot: number; execution_id: string | null; fired_at: number }>(
      'SELECT slot, execution_id, fired_at FROM schedule_slots WHERE flow_id = ? ORDER BY slot DESC LIMIT ?'),
  };
  const record = db.transaction((flowId: string, slot: number, executionId: string | null, now: number): boolean => {
    const added = q.insert.run(flowId, slot, executionId, now).changes > 0;
    if (added) q.prune.run(flowId, flowId);
    return added;
  });
  return {
    async lastSlot(flowId) {
      return q.last.get(flowId)?.s ?? undefined;
    },
    async record(flowId, slot, executionId, now) {
      return record(flowId, slot, executionId, now);
    },
    async recent(flowId, limit) {
      return q.list.all(flowId, limit).map((r) => ({ slot: r.slot, executionId: r.execution_id ?? undefined, firedAt: r.fired_at }));
    },
  };
}
