/** `hookflow backup <dir>`: a consistent copy of the database while the server runs (SQLite online backup), plus the key file. */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';
import { openDb } from '../store/db.js';
import { ensurePrivateFile } from '../runtime/private-files.js';
import { CommandFailed, parseArgs, UsageError } from './args.js';

export const BACKUP_USAGE = 'hookflow backup <directory>   (an empty or new directory; safe while the server runs)';

export interface BackupResult {
  database: string;
  keyFile?: string;
  pages: number;
}

/** Copy `hookflow.db` page by page through SQLite's backup API into `<dir>/hookflow.db`, then `secret.key` if the data dir has one. */
export async function backupDataDir(dataDir: string, dir: string): Promise<BackupResult> {
  const source = join(dataDir, 'hookflow.db');
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stray = readdirSync(dir).filter((f) => /^(hookflow\.db|secret\.key)/.test(f));
  if (stray.length) throw new UsageError(`${dir} already holds ${stray.join(', ')}; back up into an empty directory`);
  const target = join(dir, 'hookflow.db');
  const partial = `${target}.partial`;
  ensurePrivateFile(partial); // SQLite writes the copy into this empty 0600 file: never readable by others, even for a moment (D-10)
  const db = openDb(source, { readonly: true });
  let pages = 0;
  try {
    // Small steps keep the server's writers moving; a write during the copy restarts it from a consistent point.
    const done = await db.backup(partial, { progress: ({ totalPages }) => { pages = totalPages; return 256; } });
    pages = done.totalPages;
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  } finally {
    db.close();
  }
  chmodSync(partial, 0o600);
  renameSync(partial, target);
  const key = join(dataDir, 'secret.key');
  if (!existsSync(key)) return { database: target, pages };
  copyFileSync(key, join(dir, 'secret.key'));
  chmodSync(join(dir, 'secret.key'), 0o600);
  return { database: target, keyFile: join(dir, 'secret.key'), pages };
}

/** What `hookflow backup` says on PostgreSQL instead of copying a file (docs/scale-out.md). */
export const PG_BACKUP_ADVICE = 'hookflow backup copies a SQLite data directory; this Hookflow keeps its data in PostgreSQL (HOOKFLOW_DATABASE_URL). '
  + 'Back it up with PostgreSQL\'s tools instead: pg_dump --format=custom --file=hookflow.dump "$HOOKFLOW_DATABASE_URL" '
  + '(consistent while Hookflow runs), or continuous archiving (WAL) for point-in-time recovery; restore with pg_restore. '
  + 'Keep HOOKFLOW_SECRET_KEY with the dump: it decrypts the credentials. See docs/scale-out.md.';

export async function backupCommand(cfg: Config, argv: readonly string[], say: (line: string) => void): Promise<number> {
  const args = parseArgs(argv, { valued: [], flags: [] });
  if (cfg.databaseUrl) throw new CommandFailed(PG_BACKUP_ADVICE);
  const [dir, extra] = args.positionals;
  if (dir === undefined) throw new UsageError('backup needs a target directory');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  const out = resolve(dir);
  if (out === resolve(cfg.dataDir)) throw new UsageError('the target directory must not be the data directory');
  const r = await backupDataDir(cfg.dataDir, out);
  say(`database copied: ${r.database} (${r.pages} pages)`);
  if (r.keyFile) say(`secret key copied: ${r.keyFile} (keep it as safe as the data: it decrypts the credentials)`);
  else say('secret key not copied: it comes from HOOKFLOW_SECRET_KEY; keep that value with the backup');
  writeFileSync(join(out, 'BACKUP.txt'), `Hookflow backup of ${resolve(cfg.dataDir)} taken ${new Date().toISOString()}.\n`
    + 'Restore: stop Hookflow, put hookflow.db (and secret.key if present) into an empty data directory, start Hookflow.\n', { mode: 0o600 });
  return 0;
}
