/** The checks behind `hookflow doctor`: each returns ok, warn or fail with a one-line reason. Nothing here writes user data. */
import { accessSync, constants, existsSync, statSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from '../config.js';
import { createSandbox } from '../sandbox/supervisor.js';
import { openDb } from '../store/db.js';
import { sqliteBinding } from '../runtime/native.js';
import { loadTlsPair } from '../http/tls.js';
import { looseDataFiles } from '../runtime/private-files.js';

export type CheckLevel = 'ok' | 'warn' | 'fail';
export interface CheckResult {
  name: string;
  level: CheckLevel;
  detail: string;
}

const result = (name: string, level: CheckLevel, detail: string): CheckResult => ({ name, level, detail });
const octal = (mode: number): string => (mode & 0o777).toString(8).padStart(3, '0');

export function checkDataDir(cfg: Config): CheckResult {
  const name = 'data directory';
  if (!existsSync(cfg.dataDir)) return result(name, 'fail', `${cfg.dataDir} does not exist (hookflow migrate or start creates it)`);
  const st = statSync(cfg.dataDir);
  if (!st.isDirectory()) return result(name, 'fail', `${cfg.dataDir} is not a directory`);
  try {
    accessSync(cfg.dataDir, constants.W_OK | constants.R_OK | constants.X_OK);
  } catch (e) {
    return result(name, 'fail', `${cfg.dataDir} is not readable and writable by this user (${(e as NodeJS.ErrnoException).code})`);
  }
  if ((st.mode & 0o002) !== 0) return result(name, 'fail', `${cfg.dataDir} is world-writable (mode ${octal(st.mode)}); chmod 700 it`);
  if ((st.mode & 0o077) !== 0) return result(name, 'warn', `${cfg.dataDir} is open to group or others (mode ${octal(st.mode)}); chmod 700 is advised`);
  return result(name, 'ok', `${cfg.dataDir} (mode ${octal(st.mode)})`);
}

export function checkSecretKey(cfg: Config): CheckResult {
  const name = 'secret key';
  if (cfg.secretKey !== undefined) return result(name, 'ok', 'from HOOKFLOW_SECRET_KEY');
  const file = join(cfg.dataDir, 'secret.key');
  if (!existsSync(file)) return result(name, 'warn', `${file} does not exist yet; the first start creates it (back it up)`);
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) return result(name, 'fail', `${file} has mode ${octal(mode)}; it must be 600 (chmod 600 it)`);
  return result(name, 'ok', `${file} (mode ${octal(mode)})`);
}

/** The database, its WAL and SHM, the key file and the worker id must be 0600 (D-10); the server tightens them at start. */
export function checkDataFiles(cfg: Config): CheckResult {
  const name = 'data file modes';
  if (!existsSync(cfg.dataDir)) return result(name, 'warn', `${cfg.dataDir} does not exist yet`);
  const loose = looseDataFiles(cfg.dataDir);
  if (loose.length > 0)
    return result(name, 'fail', `${loose.map((f) => `${f.name} has mode ${octal(f.mode)}`).join(', ')}; they must be 600 (the next start fixes them, or chmod 600)`);
  return result(name, 'ok', 'database, WAL, SHM, key file and node id are 600 where present');
}

/** Opens the database the way the server does and reads back the pragmas it relies on. */
export function checkSqlite(cfg: Config): CheckResult[] {
  const file = join(cfg.dataDir, 'hookflow.db');
  if (!existsSync(file)) return [result('sqlite', 'warn', `${file} does not exist yet (hookflow migrate creates it)`)];
  const db = new Database(file, { fileMustExist: true, ...sqliteBinding() });
  try {
    const journal = String(db.pragma('journal_mode', { simple: true }));
    // synchronous is per connection: read it from a connection opened exactly as the server opens its own.
    const served = openDb(file);
    const sync = Number(served.pragma('synchronous', { simple: true }));
    served.close();
    const vacuum = Number(db.pragma('auto_vacuum', { simple: true }));
    const check = String(db.pragma('quick_check', { simple: true }));
    return [
      result('sqlite journal_mode', journal === 'wal' ? 'ok' : 'fail', `journal_mode=${journal}${journal === 'wal' ? '' : ' (expected wal; start the server once)'}`),
      result('sqlite synchronous', sync === 2 ? 'ok' : 'fail', `synchronous=${sync === 2 ? 'FULL' : sync} on the accepting connection`),
      result('sqlite auto_vacuum', vacuum === 2 ? 'ok' : 'warn', vacuum === 2 ? 'auto_vacuum=INCREMENTAL' : `auto_vacuum=${vacuum}; the next start or hookflow migrate switches it`),
      result('sqlite integrity', check === 'ok' ? 'ok' : 'fail', `quick_check: ${check}`),
    ];
  } finally {
    db.close();
  }
}

/** A real round trip through the sandbox child (isolated-vm in a separate process). */
export async function checkSandbox(timeoutMs = 15_000): Promise<CheckResult> {
  const name = 'sandbox';
  const sandbox = createSandbox({});
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs); });
    const value = await Promise.race([sandbox.run({ cacheKey: 'doctor', kind: 'expression', code: 'input.a + input.b', input: { a: 20, b: 22 }, ctx: {} }), late]);
    if (value !== 42) return result(name, 'fail', `round trip answered ${JSON.stringify(value)}, expected 42`);
    return result(name, 'ok', `child answered in ${Date.now() - started} ms`);
  } catch (e) {
    return result(name, 'fail', `round trip failed: ${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
    await sandbox.close();
  }
}

const GB = 1024 ** 3;

/** Below 100 MiB free writes start failing soon (the store answers 503); below 1 GiB is a warning. */
export function checkDisk(cfg: Config): CheckResult {
  const name = 'free disk';
  const dir = existsSync(cfg.dataDir) ? cfg.dataDir : '.';
  const st = statfsSync(dir);
  const free = st.bavail * st.bsize;
  const text = `${(free / GB).toFixed(2)} GiB free under ${dir}`;
  if (free < 100 * 1024 ** 2) return result(name, 'fail', text);
  if (free < GB) return result(name, 'warn', text);
  return result(name, 'ok', text);
}

const DAY = 86_400_000;

/** HOOKFLOW_TLS_CERT/KEY, when set: the pair loads and matches; expired fails, under 14 days left warns. */
export function checkTls(cfg: Config, now = Date.now()): CheckResult | undefined {
  if (!cfg.tlsCert || !cfg.tlsKey) return undefined;
  const name = 'TLS certificate';
  try {
    const pair = loadTlsPair({ cert: cfg.tlsCert, key: cfg.tlsKey });
    const left = Date.parse(pair.validTo) - now;
    const text = `${pair.subject}, valid to ${pair.validTo}`;
    if (left <= 0) return result(name, 'fail', `expired: ${text}`);
    if (left < 14 * DAY) return result(name, 'warn', `${Math.floor(left / DAY)} day(s) left: ${text}`);
    return result(name, 'ok', text);
  } catch (e) {
    return result(name, 'fail', (e as Error).message);
  }
}
