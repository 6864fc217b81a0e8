/** `hookflow doctor`: runs every check, prints one line each (ok / warn / fail), exits 1 when any check fails. */
import type { Config } from '../config.js';
import { checkDataDir, checkDataFiles, checkDisk, checkSandbox, checkSecretKey, checkSqlite, checkTls, type CheckResult } from './doctor-checks.js';
import { parseArgs, UsageError } from './args.js';
import { checkPostgres } from './doctor-postgres.js';

export const DOCTOR_USAGE = 'hookflow doctor   (checks the data directory and its file modes, secret key, the store (SQLite, or PostgreSQL: connection, version, migrations, synchronous_commit), the sandbox child, free disk and, when set, the TLS pair)';

export async function doctorCommand(cfg: Config, argv: readonly string[], say: (line: string) => void): Promise<number> {
  const args = parseArgs(argv, { valued: [], flags: [] });
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`);
  const tls = checkTls(cfg);
  const store = cfg.databaseUrl ? await checkPostgres(cfg, cfg.databaseUrl) : checkSqlite(cfg);
  const results: CheckResult[] = [checkDataDir(cfg), checkDataFiles(cfg), checkSecretKey(cfg), ...store, await checkSandbox(), checkDisk(cfg), ...(tls ? [tls] : [])];
  for (const r of results) say(`${r.level.padEnd(4)}  ${r.name}: ${r.detail}`);
  const failed = results.filter((r) => r.level === 'fail').length;
  say(failed ? `${failed} check(s) failed` : 'all checks passed');
  return failed ? 1 : 0;
}
