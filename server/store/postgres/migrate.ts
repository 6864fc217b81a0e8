/**
 * PostgreSQL migrations: every `NNN-*.sql` of migrations/postgres (named like SQLite's, numbered the same), each
 * in its own transaction, under one advisory lock, so processes starting together migrate once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS_DIR } from '../db.js';
import type { Pool } from './pool.js';

/** Beside SQLite's migrations (in the source tree, in dist/ and in the single binary alike). */
export const PG_MIGRATIONS_DIR = join(MIGRATIONS_DIR, 'postgres');
/** pg_advisory_lock key: "hookflow" as a number, held only while migrating. */
const LOCK = 0x686f6f6b666c6f77n;

export const migrationFiles = (dir = PG_MIGRATIONS_DIR): string[] =>
  readdirSync(dir).filter((f) => /^\d{3}-.+\.sql$/.test(f)).sort();

/** Applies what is pending; returns the names applied (empty when another process got there first). */
export async function migratePg(pool: Pool, dir = PG_MIGRATIONS_DIR): Promise<string[]> {
  const c = await pool.connect();
  try {
    await c.query('SELECT pg_advisory_lock($1)', [LOCK.toString()]);
    try {
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)');
      const done = new Set((await c.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name));
      const applied: string[] = [];
      for (const f of migrationFiles(dir)) {
        if (done.has(f)) continue;
        const sql = readFileSync(join(dir, f), 'utf8');
        await c.query('BEGIN');
        try {
          await c.query(sql);
          await c.query('INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)', [f, Date.now()]);
          await c.query('COMMIT');
        } catch (e) {
          await c.query('ROLLBACK').catch(() => undefined);
          throw new Error(`migration ${f} failed: ${(e as Error).message}`, { cause: e });
        }
        applied.push(f);
      }
      return applied;
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [LOCK.toString()]).catch(() => undefined);
    }
  } finally {
    c.release();
  }
}

/** Names recorded in schema_migrations (for doctor and tests); empty when the table does not exist yet. */
export async function appliedMigrations(pool: Pool): Promise<string[]> {
  const t = await pool.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`);
  if (t.rows[0]?.t === null) return [];
  return (await pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name);
}
