/**
 * Conformance: every migration, table, column and index exists on both stores, numbered and named the same.
 * A migration added for SQLite alone (server/store/migrations/NNN-*.sql) fails here until its PostgreSQL twin
 * (server/store/migrations/postgres/NNN-*.sql) is written.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrationFiles } from '../../server/store/postgres/migrate.js';
import { openSubject } from './harness.js';
import { createIds } from '../../server/adapters/ids.js';
import { createPostgresStore } from '../../server/store/postgres/index.js';
import { createTestDatabase } from '../helpers/pg.js';

const SQLITE_DIR = fileURLToPath(new URL('../../server/store/migrations/', import.meta.url));
/** Indexes spelled differently on purpose: SQLite's `email UNIQUE COLLATE NOCASE` is a unique index on lower(email). */
const PG_ONLY_INDEXES = new Set(['users_email']);

type Shape = Record<string, string[]>;

describe('schema parity [sqlite, postgres]', () => {
  it('has the same migration files, numbered the same', () => {
    const sqlite = readdirSync(SQLITE_DIR).filter((f) => /^\d{3}-.+\.sql$/.test(f)).sort();
    expect(migrationFiles()).toEqual(sqlite);
  });

  it('has the same tables with the same columns, and the same named indexes, after migrating', async () => {
    const lite = await openSubject('sqlite');
    const pg = await openSubject('postgres');
    try {
      const liteTables = (await lite.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)).map((r) => r.name);
      const liteShape: Shape = {};
      for (const t of liteTables) liteShape[t] = (await lite.query<{ name: string }>(`SELECT name FROM pragma_table_info(?)`, [t])).map((r) => r.name).sort();
      const pgCols = await pg.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`);
      const pgShape: Shape = {};
      for (const c of pgCols) (pgShape[c.table_name] ??= []).push(c.column_name);
      for (const t of Object.keys(pgShape)) pgShape[t].sort();
      expect(pgShape).toEqual(liteShape);

      const liteIdx = (await lite.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`)).map((r) => r.name).sort();
      const pgIdx = (await pg.query<{ indexname: string }>(
        `SELECT i.indexname FROM pg_indexes i WHERE i.schemaname = current_schema()
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`)).map((r) => r.indexname).filter((n) => !PG_ONLY_INDEXES.has(n)).sort();
      expect(pgIdx).toEqual(liteIdx);
      const applied = (await pg.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name);
      expect(applied).toEqual(migrationFiles());
    } finally {
      await lite.close();
      await pg.close();
    }
  }, 60_000);

  it('PostgreSQL only (SQLite has one writer per file): five processes starting at once migrate once', async () => {
    const db = await createTestDatabase();
    try {
      const stores = await Promise.all(Array.from({ length: 5 }, () => createPostgresStore(createIds(), { url: db.url, poolSize: 2, listen: false })));
      const applied = stores.map((st) => st.migrated.length).sort((a, b) => a - b);
      expect(applied).toEqual([0, 0, 0, 0, migrationFiles().length]);
      const rows = (await stores[0].raw.pool.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name);
      expect(rows.sort()).toEqual(migrationFiles());
      await Promise.all(stores.map((st) => st.close()));
    } finally {
      await db.drop();
    }
  }, 60_000);
});
