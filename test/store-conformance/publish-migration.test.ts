/** Migration 010-publish on both stores: flows saved before it keep running what they ran (current version published). */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { MIGRATIONS_DIR, migrate } from '../../server/store/db.js';
import { migratePg, PG_MIGRATIONS_DIR } from '../../server/store/postgres/migrate.js';
import { createTestDatabase } from '../helpers/pg.js';

const BEFORE = (f: string) => /^\d{3}-.+\.sql$/.test(f) && f < '010-publish.sql';
const insertFlow = `INSERT INTO flows (id, name, active, version, doc, token_hash, token_enc, created_at, updated_at)
  VALUES ('flw_old', 'old', 1, 3, '{"nodes":[],"edges":[]}', 'h', 'e', 1, 1)`;

describe('migration 010-publish [sqlite, postgres]', () => {
  it('sqlite: publishes the current version of every existing flow', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-mig-'));
    const db = new Database(join(dir, 'db.sqlite'));
    try {
      db.exec('CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
      for (const f of readdirSync(MIGRATIONS_DIR).filter(BEFORE).sort()) {
        db.exec(readFileSync(join(MIGRATIONS_DIR, f), 'utf8'));
        db.prepare('INSERT INTO schema_migrations VALUES (?, 0)').run(f);
      }
      db.exec(insertFlow);
      expect(migrate(db)).toContain('010-publish.sql');
      expect(db.prepare('SELECT version, published_version FROM flows').get()).toEqual({ version: 3, published_version: 3 });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('postgres: publishes the current version of every existing flow', async () => {
    const tdb = await createTestDatabase();
    const early = mkdtempSync(join(tmpdir(), 'hookflow-pgmig-'));
    for (const f of readdirSync(PG_MIGRATIONS_DIR).filter(BEFORE)) copyFileSync(join(PG_MIGRATIONS_DIR, f), join(early, f));
    const pool = new pg.Pool({ connectionString: tdb.url, max: 2 });
    try {
      await migratePg(pool, early);
      await pool.query(insertFlow);
      expect(await migratePg(pool)).toContain('010-publish.sql');
      const r = await pool.query('SELECT version, published_version FROM flows');
      expect(r.rows).toEqual([{ version: 3, published_version: 3 }]);
    } finally {
      await pool.end();
      await tdb.drop();
      rmSync(early, { recursive: true, force: true });
    }
  });
});
