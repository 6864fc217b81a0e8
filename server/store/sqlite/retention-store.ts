/** The RetentionStore on SQLite: batched deletes, then free pages back to the file system a slice at a time and a WAL checkpoint. */
import type { Db } from '../db.js';
import type { RetentionStore } from '../types.js';
import { createRetentionRepo, type RetentionRepo } from './retention.js';

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Stops when nothing is returned, e.g. on a database not yet switched to auto_vacuum=INCREMENTAL. */
async function shrink(repo: RetentionRepo): Promise<void> {
  for (let free = repo.freePages(); free > 0;) {
    repo.incrementalVacuum(2_000);
    const left = repo.freePages();
    if (left >= free) break;
    free = left;
    await yieldToLoop();
  }
  repo.checkpoint();
}

export function createSqliteRetention(db: Db): RetentionStore {
  return retentionStoreOf(createRetentionRepo(db));
}

export function retentionStoreOf(repo: RetentionRepo): RetentionStore {
  return {
    pruneOlderThan: async (cutoff, limit) => repo.pruneOlderThan(cutoff, limit),
    pruneBeyondCount: async (max, limit) => repo.pruneBeyondCount(max, limit),
    prepare: async () => repo.ensureIncrementalVacuum(),
    compact: () => shrink(repo),
  };
}
