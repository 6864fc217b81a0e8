/** `hookflow doctor` on PostgreSQL: the connection, the server version, the migration level and synchronous_commit. */
import pg from 'pg';
import type { Config } from '../config.js';
import { migrationFiles } from '../store/postgres/migrate.js';
import { redactUrl } from '../store/postgres/pool.js';
import type { CheckResult } from './doctor-checks.js';

/** Oldest major version the store is tested against. */
const MIN_MAJOR = 13;

export async function checkPostgres(cfg: Config, url: string): Promise<CheckResult[]> {
  const shown = redactUrl(url);
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000, options: '-c synchronous_commit=on' });
  try {
    await c.connect();
  } catch (e) {
    return [{ name: 'postgres connection', level: 'fail', detail: `${shown}: ${(e as Error).message}` }];
  }
  try {
    const out: CheckResult[] = [{ name: 'postgres connection', level: 'ok', detail: `${shown} (pool ${cfg.databasePool} per process)` }];
    const v = (await c.query<{ v: string; n: string }>(`SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS n`)).rows[0];
    const major = Math.floor(Number(v.n) / 10_000);
    out.push({ name: 'postgres version', level: major >= MIN_MAJOR ? 'ok' : 'fail', detail: `PostgreSQL ${v.v}${major >= MIN_MAJOR ? '' : ` (${MIN_MAJOR} or newer needed)`}` });
    const reg = (await c.query<{ t: string | null }>(`SELECT to_regclass('schema_migrations')::text AS t`)).rows[0].t;
    const done = reg === null ? [] : (await c.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).rows.map((r) => r.name);
    const want = migrationFiles();
    const pending = want.filter((f) => !done.includes(f));
    const unknown = done.filter((f) => !want.includes(f));
    out.push(unknown.length > 0
      ? { name: 'postgres migrations', level: 'fail', detail: `the database has migrations this version does not know (${unknown.join(', ')}): a newer Hookflow migrated it` }
      : pending.length > 0
        ? { name: 'postgres migrations', level: 'warn', detail: `${pending.length} pending (${pending.join(', ')}); hookflow migrate or the next start applies them` }
        : { name: 'postgres migrations', level: 'ok', detail: `${done.length} applied, latest ${done[done.length - 1]}` });
    // The server default is what a connection gets unless it says otherwise; Hookflow's connections say `on` for accepts.
    const sync = (await c.query<{ s: string }>(`SELECT setting AS s FROM pg_settings WHERE name = 'synchronous_commit'`)).rows[0].s;
    const session = (await c.query<{ s: string }>(`SELECT current_setting('synchronous_commit') AS s`)).rows[0].s;
    out.push({
      name: 'postgres synchronous_commit', level: session === 'on' ? (sync === 'off' ? 'warn' : 'ok') : 'fail',
      detail: `on for Hookflow's accepting connections (server default: ${sync}${sync === 'off' ? '; other clients of this database may lose commits on a crash' : ''})`,
    });
    const ro = (await c.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0].r;
    if (ro) out.push({ name: 'postgres primary', level: 'fail', detail: 'the database is a standby (read-only); point HOOKFLOW_DATABASE_URL at the primary' });
    return out;
  } finally {
    await c.end().catch(() => undefined);
  }
}
