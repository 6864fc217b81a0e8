import { describe, expect, it } from 'vitest';
import { createPruner } from '../../../server/retention/pruner.js';
import type { RetentionRepo } from '../../../server/store/sqlite/retention.js';
import { retentionStoreOf } from '../../../server/store/sqlite/retention-store.js';

const silent = { info() {}, warn() {}, error() {}, debug() {} };

/** A fake repo with `rows` prunable rows; records the order of calls. */
function fakeRepo(rows: number, log: string[]): RetentionRepo {
  let left = rows;
  let free = 0;
  const take = (limit: number) => { const n = Math.min(left, limit); left -= n; free += n; log.push(`batch ${n}`); return n; };
  return {
    pruneOlderThan: (cutoff, limit) => { log.push(`cutoff ${cutoff}`); return take(limit); },
    pruneBeyondCount: (_max, limit) => take(limit),
    ensureIncrementalVacuum: () => false,
    incrementalVacuum: (pages) => { free = Math.max(0, free - pages); log.push('vacuum'); },
    checkpoint: () => { log.push('checkpoint'); },
    freePages: () => free,
  };
}

describe('pruner', () => {
  it('deletes in batches and lets the event loop run between them', async () => {
    const log: string[] = [];
    const p = createPruner({ repo: retentionStoreOf(fakeRepo(1200, log)), pruneIdempotencyKeys: async () => 0, clock: { now: () => 30 * 86_400_000 }, log: silent },
      { days: 14, maxExecutions: 0, batchSize: 500 });
    const ticks = () => { log.push('tick'); setImmediate(ticks); };
    setImmediate(ticks);
    const report = await p.runOnce();
    const order = log.filter((l) => l.startsWith('batch') || l === 'tick');
    const firstBatch = order.indexOf('batch 500');
    expect(order[firstBatch + 1]).toBe('tick');
    expect(report).toMatchObject({ byAge: 1200, batches: 3 });
    expect(log).toContain(`cutoff ${16 * 86_400_000}`);
    expect(log.indexOf('vacuum')).toBeLessThan(log.indexOf('checkpoint'));
  });

  it('days = 0 never prunes by age; count pruning still runs', async () => {
    const log: string[] = [];
    const p = createPruner({ repo: retentionStoreOf(fakeRepo(10, log)), pruneIdempotencyKeys: async () => 3, clock: { now: () => 0 }, log: silent },
      { days: 0, maxExecutions: 5, batchSize: 4 });
    const report = await p.runOnce();
    expect(log.some((l) => l.startsWith('cutoff'))).toBe(false);
    expect(report).toMatchObject({ byAge: 0, byCount: 10, idempotencyKeys: 3 });
  });

  it('concurrent runOnce calls share one pass', async () => {
    const log: string[] = [];
    const p = createPruner({ repo: retentionStoreOf(fakeRepo(3, log)), pruneIdempotencyKeys: async () => 0, clock: { now: () => 99 * 86_400_000 }, log: silent },
      { days: 1, maxExecutions: 0 });
    const [a, b] = await Promise.all([p.runOnce(), p.runOnce()]);
    expect(a).toBe(b);
    expect(log.filter((l) => l === 'checkpoint')).toHaveLength(1);
  });

  it('stop() ends a running pass at the next batch boundary', async () => {
    const log: string[] = [];
    const p = createPruner({ repo: retentionStoreOf(fakeRepo(10_000, log)), pruneIdempotencyKeys: async () => 0, clock: { now: () => 99 * 86_400_000 }, log: silent },
      { days: 1, maxExecutions: 0, batchSize: 100 });
    const pass = p.runOnce();
    await p.stop();
    expect((await pass).byAge).toBe(100);
    expect(log.filter((l) => l.startsWith('batch'))).toHaveLength(1);
  });
});
