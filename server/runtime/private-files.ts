/** Data files are private to the server's user (0600), whatever the umask or the mode of a pre-existing data directory (D-10). */
import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_MODE = 0o600;

/** Every file Hookflow keeps in its data directory: the database and SQLite's companions, the key file, the worker id. */
export const DATA_FILES: readonly string[] = ['hookflow.db', 'hookflow.db-wal', 'hookflow.db-shm', 'hookflow.db-journal', 'secret.key', 'node-id'];

/**
 * Creates `file` empty with mode 0600 when it does not exist yet. SQLite takes an empty file as a new database and
 * gives its `-wal`, `-shm` and `-journal` files the database's own mode, so they are born 0600 too.
 */
export function ensurePrivateFile(file: string): void {
  if (existsSync(file)) return;
  try {
    closeSync(openSync(file, 'wx', PRIVATE_MODE));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  chmodSync(file, PRIVATE_MODE); // open()'s mode passes through the umask; a umask can only narrow 0600, but be exact
}

/** Mode bits (e.g. 0o644) of each data file in `dir` that group or others may access. */
export function looseDataFiles(dir: string): Array<{ name: string; mode: number }> {
  const out: Array<{ name: string; mode: number }> = [];
  for (const name of DATA_FILES) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) out.push({ name, mode });
  }
  return out;
}

/** chmod 0600 every loose data file in `dir` (left by an older version or copied in); returns the names changed. */
export function tightenDataFiles(dir: string): string[] {
  const loose = looseDataFiles(dir);
  for (const f of loose) chmodSync(join(dir, f.name), PRIVATE_MODE);
  return loose.map((f) => f.name);
}
