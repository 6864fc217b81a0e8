/** Open the SQLite database: WAL, synchronous=FULL, foreign keys, busy timeout; apply migrations in order. */
import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { bundledDir, sqliteBinding } from '../runtime/native.js';
import { ensurePrivateFile } from '../runtime/private-files.js';

export type Db = Database.Database;

export const MIGRATIONS_DIR = bundledDir('migrations', fileURLToPath(new URL('./migrations/', import.meta.url)));

export interface OpenOptions {
  /** `FULL` for anything a 2xx depends on; `NORMAL` only for re-derivable writes (see runner/ARCHITECTURE.md). */
  synchronous?: 'FULL' | 'NORMAL';
  readonly?: boolean;
  /**
   * Bytes the WAL file is cut back to once a checkpoint has emptied it (THREATS D-9). While a long-running
   * reader pins an old snapshot, checkpoints cannot reset the WAL and it grows; afterwards SQLite would
   * keep reusing the grown file at its peak size. @default 64 MiB
   */
  journalSizeLimit?: number;
}

export const DEFAULT_JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

export function openDb(file: string, opts: OpenOptions = {}): Db {
  if (!opts.readonly && file !== ':memory:') ensurePrivateFile(file); // 0600 from birth, and so its WAL and SHM (D-10)
  const db = new Database(file, { readonly: opts.readonly ?? false, ...sqliteBinding() });
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma(`journal_size_limit = ${Math.trunc(opts.journalSizeLimit ?? DEFAULT_JOURNAL_SIZE_LIMIT)}`);
  return db;
}

/** Apply every `NNN-*.sql` not yet recorded, each in its own transaction. Returns the names applied. */
export function migrate(db: Db): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const done = new Set(db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[]);
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}-.+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  for (const f of files) {
    if (done.has(f)) continue;
    const sql = readFileSync(join(MIGRATIONS_DIR, f), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(f, Date.now());
    })();
    applied.push(f);
  }
  return applied;
}
