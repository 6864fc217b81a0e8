/** Group commit for many small writes: one transaction per tick, each write in its own savepoint so one failure spares the rest. */
import type { Db } from '../db.js';

interface Pending<A> {
  arg: A;
  resolve: () => void;
  reject: (e: unknown) => void;
}

const MAX_BATCH = 512;


/**
 * `apply` runs inside the batch transaction; if it throws, only its savepoint is rolled back and only its
 * caller is rejected. If the commit itself fails (disk full, I/O), every caller in the batch is rejected.
 */
export function createWriteBatcher<A>(db: Db, apply: (arg: A) => void, opts: { lingerMs?: number } = {}): (arg: A) => Promise<void> {
  const linger = opts.lingerMs ?? 0;
  let queue: Array<Pending<A>> = [];
  let scheduled = false;
  const one = db.transaction(apply);
  const all = db.transaction((batch: Array<Pending<A>>) =>
    batch.map((p): unknown => {
      try {
        one(p.arg);
        return undefined;
      } catch (e) {
        return e ?? new Error('write failed');
      }
    }));

  const flush = (): void => {
    scheduled = false;
    const batch = queue.length > MAX_BATCH ? queue.splice(0, MAX_BATCH) : queue;
    if (batch === queue) queue = [];
    if (queue.length > 0) schedule();
    let errors: unknown[];
    try {
      errors = all(batch);
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    batch.forEach((p, i) => (errors[i] === undefined ? p.resolve() : p.reject(errors[i])));
  };
  // With `lingerMs`, writes that arrive one per event-loop turn (each after its own I/O) still share a
  // transaction: a commit costs far more than a row, and these writes are not what a 2xx waits on.
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    if (linger > 0 && queue.length < MAX_BATCH / 8) setTimeout(flush, linger);
    else setImmediate(flush);
  };
  return (arg) => new Promise<void>((resolve, reject) => {
    queue.push({ arg, resolve, reject });
    schedule();
  });
}
