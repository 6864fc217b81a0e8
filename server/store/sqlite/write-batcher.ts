/** Group commit for many small writes: one transaction per tick, each write in its own savepoint so one failure spares the rest. */
import type { Db } from '../db.js';
import type { WalSync } from './wal-sync.js';

interface Pending<A, R> {
  arg: A;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

const MAX_BATCH = 512;

export interface BatchOptions<R = unknown> {
  /** Wait this long for more writes before committing (0: commit on the next turn of the event loop). */
  lingerMs?: number;
  /** Maps a failed commit (disk full, I/O error) to the error every caller in the batch receives. */
  onCommitError?: (e: unknown) => unknown;
  /** Called with the results that were committed, after the commit. */
  afterCommit?: (results: R[]) => void;
  /**
   * Durable without blocking the event loop (wal-sync.ts): the batch commits at `synchronous=NORMAL` on this
   * (FULL) connection, and its callers resolve only after the WAL's fdatasync. Without it the FULL commit fsyncs inline.
   */
  walSync?: WalSync;
}


/**
 * `apply` runs inside the batch transaction; if it throws, only its savepoint is rolled back and only its
 * caller is rejected. If the commit itself fails (disk full, I/O), every caller in the batch is rejected.
 */
export function createWriteBatcher<A, R = void>(db: Db, apply: (arg: A) => R, opts: BatchOptions<R> = {}): (arg: A) => Promise<R> {
  const linger = opts.lingerMs ?? 0;
  const onCommitError = opts.onCommitError ?? ((e: unknown) => e);
  let queue: Array<Pending<A, R>> = [];
  let scheduled = false;
  const one = db.transaction(apply);
  const relax = opts.walSync && db.prepare('PRAGMA synchronous = NORMAL');
  const strict = opts.walSync && db.prepare('PRAGMA synchronous = FULL');
  const all = db.transaction((batch: Array<Pending<A, R>>) =>
    batch.map((p): { ok: true; value: R } | { ok: false; error: unknown } => {
      try {
        return { ok: true, value: one(p.arg) };
      } catch (error) {
        return { ok: false, error };
      }
    }));

  const flush = (): void => {
    scheduled = false;
    const batch = queue.length > MAX_BATCH ? queue.splice(0, MAX_BATCH) : queue;
    if (batch === queue) queue = [];
    if (queue.length > 0) schedule();
    let results: ReturnType<typeof all>;
    try {
      relax?.run();
      results = all(batch);
    } catch (e) {
      const err = onCommitError(e);
      for (const p of batch) p.reject(err);
      return;
    } finally {
      strict?.run();
    }
    const settle = (): void => {
      batch.forEach((p, i) => {
        const r = results[i];
        if (r.ok) p.resolve(r.value);
        else p.reject(r.error);
      });
      opts.afterCommit?.(results.filter((r) => r.ok).map((r) => (r as { value: R }).value));
    };
    if (!opts.walSync) return settle();
    opts.walSync.until(opts.walSync.mark()).then(settle, (e: unknown) => {
      const err = onCommitError(e);
      for (const p of batch) p.reject(err);
    });
  };
  // With `lingerMs`, writes that arrive one per event-loop turn (each after its own I/O) still share a
  // transaction: a commit costs far more than a row, and these writes are not what a 2xx waits on.
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    if (linger > 0 && queue.length < MAX_BATCH / 8) setTimeout(flush, linger);
    else setImmediate(flush);
  };
  return (arg) => new Promise<R>((resolve, reject) => {
    queue.push({ arg, resolve, reject });
    schedule();
  });
}
