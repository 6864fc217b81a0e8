/** The SQLite store: two connections to one WAL file (FULL for what a 2xx depends on, NORMAL for re-derivable writes). */
import { openDb, migrate, type Db } from '../db.js';
import type { Store } from '../types.js';
import type { Ids } from '../../adapters/ids.js';
import { createFlowStore } from './flows.js';
import { createExecutionStore } from './executions.js';
import { createCredentialStore } from './credentials.js';
import { createUserStore } from './users.js';
import { createCaptureRepo } from './captures.js';
import { createEndpointRepo } from './endpoints.js';
import { createSqliteInventory } from './inventory-store.js';
import { createSqliteRetention } from './retention-store.js';
import { sqliteWritable } from './health.js';
import { asyncRepo } from './async-repo.js';
import { createWalSync, type WalSync } from './wal-sync.js';
import { createSqliteSignals } from './signals.js';
import { createSqliteSchedules } from './schedules.js';

/** `raw` exposes the two connections for diagnostics (doctor) and fault-injection tests. */
export type SqliteStore = Store & { kind: 'sqlite'; file: string; raw: { db: Db; fast: Db } };

export function createSqliteStore(file: string, ids: Ids, now: () => number = Date.now): SqliteStore {
  const db = openDb(file, { synchronous: 'FULL' });
  migrate(db);
  const fast = openDb(file, { synchronous: 'NORMAL' });
  const walSync = openWalSync(file);
  // Delivery outcomes go on the NORMAL connection: the http step's own FULL commit, which follows, fsyncs them too.
  const endpoints = { ...asyncRepo(createEndpointRepo(db)), update: asyncRepo(createEndpointRepo(fast)).update };
  return {
    kind: 'sqlite',
    location: file,
    file,
    raw: { db, fast },
    flows: createFlowStore(db, now),
    executions: createExecutionStore(db, fast, ids, now, walSync),
    signals: createSqliteSignals(db),
    schedules: createSqliteSchedules(db),
    credentials: createCredentialStore(db),
    users: asyncRepo(createUserStore(db, now)),
    inventory: createSqliteInventory(db),
    captures: asyncRepo(createCaptureRepo(db)),
    endpoints,
    retention: createSqliteRetention(db),
    health: async () => sqliteWritable(db),
    async close() {
      await walSync?.barrier().catch(() => undefined);
      fast.close();
      db.close();
      walSync?.close();
    },
  };
}

/** The WAL's own fd for fdatasync off the event loop; without it (in-memory, no WAL file) durable batches commit FULL inline. */
function openWalSync(file: string): WalSync | undefined {
  if (file === ':memory:') return undefined;
  try {
    return createWalSync(`${file}-wal`);
  } catch {
    return undefined;
  }
}
