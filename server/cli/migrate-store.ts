/**
 * `hookflow migrate-store --to postgres://… [--history]`: copies this data directory's SQLite database into an empty
 * PostgreSQL database in one transaction. Flows (every version, same webhook URLs), credentials (still sealed: the
 * cluster needs this directory's secret key), accounts and API tokens, stock and its ledger, endpoint health, live
 * idempotency keys, and every execution not yet finished (an accepted webhook is never left behind) always go;
 * finished executions and captured deliveries go with --history. Stop Hookflow first.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from '../config.js';
import { createIds } from '../adapters/ids.js';
import { createCredentialStore } from '../store/sqlite/credentials.js';
import { migrate } from '../store/db.js';
import { loadVerifiedMasterKey } from '../credentials/key-check.js';
import { createPostgresStore } from '../store/postgres/index.js';
import { inTx, redactUrl, type PoolClient } from '../store/postgres/pool.js';
import { sqliteBinding } from '../runtime/native.js';
import { CommandFailed, parseArgs, single, UsageError } from './args.js';

export const MIGRATE_STORE_USAGE = 'hookflow migrate-store --to postgres://user:password@host:5432/db [--history]   (stop Hookflow first; the target must be empty)';

const FINAL = `('succeeded','failed','canceled','rejected')`;
const BATCH = 500;

/** Tables in foreign-key order, with the rows to copy (`history`: everything, else only what is still live). */
function plan(history: boolean, now: number): Array<{ table: string; where?: string; args?: unknown[] }> {
  const live = history ? undefined : `status NOT IN ${FINAL}`;
  return [
    { table: 'flows' }, { table: 'flow_versions' }, { table: 'credentials' }, { table: 'secret_key_check' },
    { table: 'users' }, { table: 'login_addresses' }, { table: 'sessions' }, { table: 'api_tokens' }, { table: 'stock_items' }, { table: 'stock_movements' },
    { table: 'endpoints' },
    ...(history ? [{ table: 'captures' }] : []),
    { table: 'events', where: live && `id IN (SELECT event_id FROM executions WHERE ${live})` },
    { table: 'executions', where: live },
    { table: 'idempotency_keys', where: 'expires_at > ?', args: [now] },
    { table: 'signals', where: live && `execution_id IN (SELECT id FROM executions WHERE ${live})` },
    { table: 'schedule_slots' },
  ];
}

/** SQLite values as PostgreSQL's JSON record input reads them (a BLOB as bytea hex). */
const jsonValue = (v: unknown): unknown => (Buffer.isBuffer(v) ? `\\x${v.toString('hex')}` : v);

async function copyTable(db: Database.Database, c: PoolClient, t: { table: string; where?: string; args?: unknown[] }): Promise<number> {
  const rows = db.prepare(`SELECT * FROM ${t.table}${t.where ? ` WHERE ${t.where}` : ''}`).iterate(...(t.args ?? [])) as IterableIterator<Record<string, unknown>>;
  let n = 0;
  let batch: Array<Record<string, unknown>> = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const json = JSON.stringify(batch.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, jsonValue(v)]))));
    await c.query(`INSERT INTO ${t.table} SELECT * FROM json_populate_recordset(NULL::${t.table}, $1::json)`, [json]);
    n += batch.length;
    batch = [];
  };
  for (const r of rows) {
    batch.push(r);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return n;
}

export interface MigrateStoreResult {
  counts: Record<string, number>;
  target: string;
}

export async function migrateStore(cfg: Config, to: string, history: boolean): Promise<MigrateStoreResult> {
  const file = join(cfg.dataDir, 'hookflow.db');
  if (!existsSync(file)) throw new CommandFailed(`no SQLite database at ${file} (set HOOKFLOW_DATA_DIR to the data directory to move)`);
  const db = new Database(file, { fileMustExist: true, ...sqliteBinding() });
  try {
    migrate(db); // the source at this version's schema, so its columns match the target's
    // The key must open this directory's sealed data: a copy nobody can decrypt is refused here, not discovered later.
    await loadVerifiedMasterKey(createCredentialStore(db), cfg.secretKey, join(cfg.dataDir, 'secret.key'), Date.now());
    const store = await createPostgresStore(createIds(), { url: to, poolSize: 2, listen: false });
    try {
      const counts: Record<string, number> = {};
      await inTx(store.raw.pool, async (c) => {
        const busy = (await c.query<{ n: number }>('SELECT (SELECT count(*) FROM flows) + (SELECT count(*) FROM executions) + (SELECT count(*) FROM secret_key_check) AS n')).rows[0].n;
        if (busy > 0) throw new CommandFailed(`${redactUrl(to)} already holds Hookflow data; migrate into an empty database`);
        db.exec('BEGIN'); // one consistent snapshot of the source for the whole copy
        try {
          for (const t of plan(history, Date.now())) counts[t.table] = await copyTable(db, c, t);
        } finally {
          db.exec('COMMIT');
        }
        await c.query(`SELECT setval(pg_get_serial_sequence('stock_movements', 'id'), coalesce((SELECT max(id) FROM stock_movements), 0) + 1, false)`);
      });
      return { counts, target: redactUrl(to) };
    } finally {
      await store.close();
    }
  } finally {
    db.close();
  }
}

export async function migrateStoreCommand(cfg: Config, argv: readonly string[], say: (line: string) => void): Promise<number> {
  const args = parseArgs(argv, { valued: ['to'], flags: ['history'] });
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const to = single(args, 'to');
  if (to === undefined) throw new UsageError('--to postgres://… is required');
  if (!/^postgres(ql)?:\/\//.test(to)) throw new UsageError('--to must be a postgres:// URL');
  const r = await migrateStore(cfg, to, args.flags.has('history'));
  say(`copied into ${r.target}: ${Object.entries(r.counts).map(([t, n]) => `${t} ${n}`).join(', ')}`);
  if (!args.flags.has('history')) say('finished executions and captures stayed behind (add --history to copy them)');
  say(cfg.secretKey !== undefined
    ? 'start every Hookflow process on the new database with the same HOOKFLOW_SECRET_KEY'
    : `start every Hookflow process on the new database with HOOKFLOW_SECRET_KEY set to the contents of ${join(cfg.dataDir, 'secret.key')}`);
  return 0;
}
