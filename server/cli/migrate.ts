/** `hookflow migrate`: apply pending migrations and switch the database to incremental auto-vacuum, then exit. */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Config } from '../config.js';
import { openDb, migrate } from '../store/db.js';
import { createRetentionRepo } from '../store/sqlite/retention.js';

export function migrateCommand(cfg: Config, say: (line: string) => void): number {
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
