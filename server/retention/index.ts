/** Builds retention for main.ts: switches the database to incremental auto-vacuum once, then prunes at start and on a timer. */
import type { Logger } from '../../nodes/contract.js';
import type { SqliteStore } from '../store/sqlite/index.js';
import { createRetentionRepo } from '../store/sqlite/retention.js';
import { createPruner, type Pruner, type RetentionOptions } from './pruner.js';

export type { Pruner, PruneReport, RetentionOptions } from './pruner.js';

/**
 * auto_vacuum only takes effect on an empty database or after a VACUUM, so the first start on an older
 * database runs one VACUUM (logged); later starts find it already INCREMENTAL and skip it.
 */
export function prepareRetention(store: SqliteStore, log: Logger, clock: { now(): number }, o: RetentionOptions): Pruner {
  const repo = createRetentionRepo(store.raw.db);
  const started = Date.now();
  if (repo.ensureIncrementalVacuum()) log.info({ ms: Date.now() - started }, 'database switched to auto_vacuum=INCREMENTAL');
  return createPruner({ repo, pruneIdempotencyKeys: (t) => store.executions.pruneIdempotencyKeys(t), clock, log }, o);
}
