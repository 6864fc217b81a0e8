/** The SQLite store: two connections to one WAL file (FULL for what a 2xx depends on, NORMAL for re-derivable writes). */
import { openDb, migrate, type Db } from '../db.js';
import type { Store } from '../types.js';
import type { Ids } from '../../adapters/ids.js';
import { createFlowStore } from './flows.js';
import { createExecutionStore } from './executions.js';

/** `raw` exposes the two connections for diagnostics (doctor) and fault-injection tests. */
export type SqliteStore = Store & { file: string; raw: { db: Db; fast: Db } };

export function createSqliteStore(file: string, ids: Ids, now: () => number = Date.now): SqliteStore {
  const db = openDb(file, { synchronous: 'FULL' });
  migrate(db);
  const fast = openDb(file, { synchronous: 'NORMAL' });
  return {
    file,
    raw: { db, fast },
    flows: createFlowStore(db, now),
    executions: createExecutionStore(db, fast, ids, now),
    close() {
      fast.close();
      db.close();
    },
  };
}
