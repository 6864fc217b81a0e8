/** SQLite retention queries: delete finished executions (and events no execution still uses) in small batches; vacuum and checkpoint. */
import type { Db } from '../db.js';

const FINAL = `('succeeded','failed','canceled','rejected')`;

export interface RetentionRepo {
  /** Deletes up to `limit` finished executions created before `cutoff`, oldest first, in one transaction. */
  pruneOlderThan(cutoff: number, limit: number): number;
  /** Deletes up to `limit` of the oldest finished executions while more than `max` executions are stored. */
  pruneBeyondCount(max: number, limit: number): number;
  /** Switches a database to auto_vacuum=INCREMENTAL (one VACUUM); returns true when it switched. */
  ensureIncrementalVacuum(): boolean;
  /** Returns up to `pages` free pages to the file system. */
  incrementalVacuum(pages: number): void;
  /** Copies the WAL into the database and truncates it to zero bytes. */
  checkpoint(): void;
  freePages(): number;
}

export function createRetentionRepo(db: Db): RetentionRepo {
  const oldest = db.prepare<[number, number], { id: string; event_id: string }>(
    `SELECT id, event_id FROM executions WHERE created_at < ? AND status IN ${FINAL} ORDER BY created_at LIMIT ?`);
  const oldestAny = db.prepare<[number], { id: string; event_id: string }>(
    `SELECT id, event_id FROM executions WHERE status IN ${FINAL} ORDER BY created_at LIMIT ?`);
  const count = db.prepare('SELECT count(*) FROM executions').pluck();
  const delExec = db.prepare(`DELETE FROM executions WHERE id = ? AND status IN ${FINAL}`);
  // Replays share their original's event: an event goes only with the last execution that refers to it.
  const delEvent = db.prepare('DELETE FROM events WHERE id = ? AND NOT EXISTS (SELECT 1 FROM executions WHERE event_id = ?)');
  const remove = db.transaction((rows: Array<{ id: string; event_id: string }>): number => {
    let n = 0;
    for (const r of rows) n += delExec.run(r.id).changes;
    for (const e of new Set(rows.map((r) => r.event_id))) delEvent.run(e, e);
    return n;
  });
  return {
    pruneOlderThan: (cutoff, limit) => remove(oldest.all(cutoff, limit)),
    pruneBeyondCount(max, limit) {
      const excess = (count.get() as number) - max;
      return excess > 0 ? remove(oldestAny.all(Math.min(excess, limit))) : 0;
    },
    ensureIncrementalVacuum() {
      if (db.pragma('auto_vacuum', { simple: true }) === 2) return false;
      db.pragma('auto_vacuum = INCREMENTAL');
      db.exec('VACUUM');
      return true;
    },
    incrementalVacuum: (pages) => { db.pragma(`incremental_vacuum(${Math.max(0, Math.floor(pages))})`); },
    checkpoint: () => { db.pragma('wal_checkpoint(TRUNCATE)'); },
    freePages: () => db.pragma('freelist_count', { simple: true }) as number,
  };
}
