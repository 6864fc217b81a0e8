/** Whether the SQLite database takes a write right now (for /readyz), without writing anything. */
import type { Db } from '../db.js';

/**
 * Takes the write lock and rewrites the header's user_version with its own value, then rolls back: nothing
 * reaches the disk, but a read-only, locked-out or broken database fails here (the lock alone would not).
 */
export function sqliteWritable(db: Db): string {
  try {
    db.exec('BEGIN IMMEDIATE');
    const v = Number(db.pragma('user_version', { simple: true }));
    db.pragma(`user_version = ${v}`);
    db.exec('ROLLBACK');
    return 'ok';
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    return `store not writable: ${(e as Error).message}`;
  }
}
