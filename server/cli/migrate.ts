/** `hookflow migrate`: apply pending migrations (SQLite: and switch to incremental auto-vacuum; PostgreSQL: once, under a lock), then exit. */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Config } from '../config.js';
import { openDb, migrate } from '../store/db.js';
import { createRetentionRepo } from '../store/sqlite/retention.js';
import { createIds } from '../adapters/ids.js';
import { createPostgresStore } from '../store/postgres/index.js';

export async function migrateCommand(cfg: Config, say: (line: string) => void): Promise<number> {
  if (cfg.databaseUrl) {
    const store = await createPostgresStore(createIds(), { url: cfg.databaseUrl, poolSize: 2, listen: false });
    try {
      say(store.migrated.length ? `migrations applied: ${store.migrated.join(', ')}` : 'migrations applied: none pending');
    } finally {
      await store.close();
    }
    return 0;
  }
  mkdirSync(cfg.dataDir, { recursive: true, mode: 0o700 });
  const db = openDb(join(cfg.dataDir, 'hookflow.db'));
  try {
    const applied = migrate(db);
    const switched = createRetentionRepo(db).ensureIncrementalVacuum();
    say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'migrations applied: none pending');
    if (switched) say('database switched to auto_vacuum=INCREMENTAL (one VACUUM)');
  } finally {
    db.close();
  }
  return 0;
}
