/** Builds retention for main.ts: prepares the store once (SQLite: incremental auto-vacuum), then prunes at start and on a timer. */
import type { Logger } from '../../nodes/contract.js';
import type { Store } from '../store/types.js';
import { createPruner, type Pruner, type RetentionOptions } from './pruner.js';

export type { Pruner, PruneReport, RetentionOptions } from './pruner.js';

/**
 * SQLite's auto_vacuum only takes effect on an empty database or after a VACUUM, so the first start on an older
 * database runs one VACUUM (logged); later starts find it already INCREMENTAL and skip it.
 */
export async function prepareRetention(store: Store, log: Logger, clock: { now(): number }, o: RetentionOptions): Promise<Pruner> {
  const started = Date.now();
  if (await store.retention.prepare()) log.info({ ms: Date.now() - started }, 'database switched to auto_vacuum=INCREMENTAL');
  return createPruner({ repo: store.retention, pruneIdempotencyKeys: (t) => store.executions.pruneIdempotencyKeys(t), clock, log }, o);
}
