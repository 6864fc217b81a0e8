/** Retention on PostgreSQL: batched deletes of finished executions (and events no execution uses); autovacuum reclaims the space. */
import type { RetentionStore } from '../types.js';
import type { Pool } from './pool.js';

const FINAL = `('succeeded','failed','canceled','rejected')`;

export function createPgRetention(pool: Pool): RetentionStore {
  // Replays share their original's event: an event goes only with the last execution that refers to it.
  const remove = async (pick: string, args: unknown[]): Promise<number> => {
    const r = await pool.query<{ n: number }>(
      `WITH pick AS MATERIALIZED (${pick}),
            gone AS (DELETE FROM executions WHERE id IN (SELECT id FROM pick) RETURNING event_id),
            ev AS (DELETE FROM events e WHERE e.id IN (SELECT event_id FROM gone)
                     AND NOT EXISTS (SELECT 1 FROM executions x WHERE x.event_id = e.id AND x.id NOT IN (SELECT id FROM pick)))
       SELECT count(*) AS n FROM gone`, args);
    return r.rows[0].n;
  };
  return {
    pruneOlderThan: (cutoff, limit) => remove(
      `SELECT id FROM executions WHERE created_at < $1 AND status IN ${FINAL} ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED`, [cutoff, limit]),
    async pruneBeyondCount(max, limit) {
      const excess = (await pool.query<{ n: number }>('SELECT count(*) AS n FROM executions')).rows[0].n - max;
      if (excess <= 0) return 0;
      return remove(`SELECT id FROM executions WHERE status IN ${FINAL} ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`, [Math.min(excess, limit)]);
    },
    prepare: async () => false,
    compact: async () => undefined,
  };
}
