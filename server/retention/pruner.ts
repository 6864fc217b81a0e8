/** Retention: prunes finished executions by age and count in small batches on a timer, then shrinks the database file. */
import type { Logger } from '../../nodes/contract.js';
import type { RetentionStore } from '../store/types.js';

export interface RetentionOptions {
  /** Finished executions older than this many days go; 0 keeps them forever. @default 14 */
  days: number;
  /** At most this many executions are kept (finished ones beyond it go, oldest first); 0 = no limit. @default 1_000_000 */
  maxExecutions: number;
  /** Rows per transaction. @default 500 */
  batchSize?: number;
  /** Time between runs. @default 600_000 (10 minutes) */
  intervalMs?: number;
}

export interface PruneReport {
  byAge: number;
  byCount: number;
  idempotencyKeys: number;
  batches: number;
}

export interface Pruner {
  /** One full pass: every batch, idempotency keys, then the store's compaction (SQLite: incremental vacuum, WAL checkpoint). */
  runOnce(): Promise<PruneReport>;
  /** Runs a pass now and then every `intervalMs`. */
  start(): void;
  /** Stops the timer and waits for a running pass to end. */
  stop(): Promise<void>;
}

export interface PrunerDeps {
  repo: RetentionStore;
  pruneIdempotencyKeys(now: number): Promise<number>;
  clock: { now(): number };
  log: Logger;
}

const DAY_MS = 86_400_000;
/** Between batches the event loop runs, so ingress never waits behind a long delete. */
const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

async function drain(batch: () => Promise<number>, onBatch: () => void, halted: () => boolean): Promise<number> {
  let total = 0;
  while (!halted()) {
    const n = await batch();
    if (n === 0) return total;
    total += n;
    onBatch();
    await yieldToLoop();
  }
  return total;
}

/** `halted` is polled between batches so a shutdown does not wait for a long pass. */
async function prunePass(d: PrunerDeps, o: RetentionOptions, halted: () => boolean): Promise<PruneReport> {
  const size = o.batchSize ?? 500;
  const report: PruneReport = { byAge: 0, byCount: 0, idempotencyKeys: 0, batches: 0 };
  const counted = () => { report.batches++; };
  const now = d.clock.now();
  if (o.days > 0) report.byAge = await drain(() => d.repo.pruneOlderThan(now - o.days * DAY_MS, size), counted, halted);
  if (o.maxExecutions > 0) report.byCount = await drain(() => d.repo.pruneBeyondCount(o.maxExecutions, size), counted, halted);
  report.idempotencyKeys = await d.pruneIdempotencyKeys(now);
  await d.repo.compact();
  if (report.byAge + report.byCount + report.idempotencyKeys > 0) d.log.info({ ...report }, 'retention pass pruned old executions');
  return report;
}

export function createPruner(d: PrunerDeps, o: RetentionOptions): Pruner {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<PruneReport> | undefined;
  let stopped = false;
  const runOnce = (): Promise<PruneReport> => {
    running ??= prunePass(d, o, () => stopped).finally(() => { running = undefined; });
    return running;
  };
  const tick = (): void => {
    runOnce().catch((e: unknown) => d.log.error({ err: (e as Error).message }, 'retention pass failed'));
  };
  return {
    runOnce,
    start() {
      if (timer) return;
      tick();
      timer = setInterval(tick, o.intervalMs ?? 600_000);
      timer.unref();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      // Waits only for the end: a failed pass was already logged by tick, or reported to its runOnce caller.
      await running?.then(() => undefined, () => undefined);
    },
  };
}
