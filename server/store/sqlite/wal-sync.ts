/**
 * Durable group commit without blocking the event loop. A durable batch is committed with `synchronous=NORMAL`
 * (its frames are written to the WAL, not yet fsync'd), then the WAL file is fdatasync'd on libuv's thread pool;
 * only after that do the batch's callers resolve. One fdatasync covers every commit made before it started, so
 * batches that commit while one is in flight share the next one. Before, the `synchronous=FULL` COMMIT did the
 * same fsync on the main thread, which then served nothing for its 2–5 ms.
 *
 * Why this is as durable as FULL: a WAL transaction is its frames plus the commit frame, appended in order to one
 * file; fdatasync of that file makes all of them durable, and nobody is told "stored" before it returned. A WAL
 * restart (a new header after a full checkpoint) only happens once everything earlier is in the fsync'd database
 * file, and SQLite syncs the header itself at NORMAL. The fd is our own, kept open for the store's life (the WAL is
 * never deleted while connections are open; truncation keeps the inode); Linux fdatasync flushes the inode's
 * pages whoever wrote them. A failed fdatasync leaves the state of the disk unknown ("fsyncgate"), so every later
 * durable write fails too, until a restart: the caller answers 503, never a 2xx it cannot keep.
 */
import { closeSync, fdatasync, openSync } from 'node:fs';

export interface WalSync {
  /** Call right after a commit whose callers must wait for durability; returns its ticket. */
  mark(): number;
  /** Resolves once a fdatasync that started after commit `ticket` returned. */
  until(ticket: number): Promise<void>;
  /** Resolves once every commit made so far is durable (immediately if nothing is pending). */
  barrier(): Promise<void>;
  close(): void;
}

/** `datasync` is fs.fdatasync; tests pass a failing one. */
export function createWalSync(walFile: string, datasync: typeof fdatasync = fdatasync): WalSync {
  const fd = openSync(walFile, 'r');
  let written = 0;
  let synced = 0;
  let running = false;
  let broken: Error | undefined;
  let waiters: Array<{ ticket: number; resolve: () => void; reject: (e: Error) => void }> = [];

  const kick = (): void => {
    if (running || waiters.length === 0) return;
    if (broken) {
      const w = waiters;
      waiters = [];
      for (const x of w) x.reject(broken);
      return;
    }
    running = true;
    const target = written;
    datasync(fd, (err) => {
      running = false;
      if (err) broken = new Error(`fdatasync of the WAL failed: ${err.message}`, { cause: err });
      else synced = target;
      const done = waiters.filter((x) => broken || x.ticket <= synced);
      waiters = waiters.filter((x) => !broken && x.ticket > synced);
      for (const x of done) if (broken) x.reject(broken); else x.resolve();
      kick();
    });
  };

  const until = (ticket: number): Promise<void> => {
    if (broken) return Promise.reject(broken);
    if (ticket <= synced) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      waiters.push({ ticket, resolve, reject });
      kick();
    });
  };

  return {
    mark: () => ++written,
    until,
    barrier: () => until(written),
    close: () => closeSync(fd),
  };
}
