/**
 * Group commit over a pool: requests that arrive while a batch is in flight wait and go together in the next one,
 * so one commit (and one WAL flush) serves many callers. `run` gets the batch and settles every item itself.
 */

export interface BatchItem<A, R> {
  arg: A;
  resolve(r: R): void;
  reject(e: unknown): void;
}

export interface PgBatcherOptions {
  /** Most items in one batch. @default 500 */
  maxBatch?: number;
  /** Batches in flight at once (each on its own connection). @default 2 */
  maxInFlight?: number;
}

export function createPgBatcher<A, R>(run: (batch: Array<BatchItem<A, R>>) => Promise<void>, o: PgBatcherOptions = {}): (arg: A) => Promise<R> {
  const maxBatch = o.maxBatch ?? 500;
  const maxInFlight = o.maxInFlight ?? 2;
  let queue: Array<BatchItem<A, R>> = [];
  let inFlight = 0;
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    while (queue.length > 0 && inFlight < maxInFlight) {
      const batch = queue.length > maxBatch ? queue.splice(0, maxBatch) : queue;
      if (batch === queue) queue = [];
      inFlight++;
      run(batch)
        .catch((e: unknown) => { for (const p of batch) p.reject(e); })
        .finally(() => {
          inFlight--;
          if (queue.length > 0) schedule();
        });
    }
  };
  // The first request of a quiet period goes on the next turn of the event loop, together with whatever
  // arrived in the same turn; under load the in-flight limit is what makes batches grow.
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  return (arg) => new Promise<R>((resolve, reject) => {
    queue.push({ arg, resolve, reject });
    schedule();
  });
}
