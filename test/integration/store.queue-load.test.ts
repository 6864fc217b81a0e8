// W-26: the in-memory per-flow counts of runnable and parked executions follow every transition and match the table.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore, type SqliteStore } from '../../server/store/sqlite/index.js';
import { createIds } from '../../server/adapters/ids.js';
import type { AcceptRequest } from '../../server/store/types.js';

const envelope = (eventId: string) => ({ method: 'POST', headers: {}, query: {}, body: {}, receivedAt: new Date(0).toISOString(), eventId });

describe('queue load counts (W-26)', () => {
  let dir: string;
  let store: SqliteStore;
  let now = 1_000_000;
  const ids = createIds();
  const req = (flowId: string): AcceptRequest => ({ flowId, flowVersion: 1, mode: 'async', envelope: envelope(ids.next('evt')) });
  const file = () => join(dir, 'db.sqlite');
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hookflow-load-'));
    store = createSqliteStore(file(), ids, () => now);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** What the table says, per flow, for comparison with the counters. */
  const truth = (flowId: string) => {
    const n = (where: string) => store.raw.db.prepare(`SELECT count(*) FROM executions WHERE flow_id = ? AND ${where}`).pluck().get(flowId) as number;
    return { queued: n(`status IN ('queued','running')`), waiting: n(`status = 'waiting'`) };
  };

  it('W-26: accept, claim, park, due-claim, finish, cancel and resume move the counts; a restart reloads them', async () => {
    const a = await Promise.all([1, 2, 3, 4].map(() => store.executions.accept(req('flw_a'))));
    await store.executions.accept(req('flw_b'));
    expect(store.executions.flowLoad('flw_a')).toEqual({ queued: 4, waiting: 0 });
    expect(store.executions.queueDepth()).toBe(5);
    const claimed = await store.executions.claimDue('w1', now, 10_000, 10);
    expect(claimed).toHaveLength(5);
    const fence = (id: string) => claimed.find((c) => c.id === id)!.fence;
    // Two of flow A park (a delay), one finishes.
    for (const r of a.slice(0, 2)) await store.executions.commit(r.executionId, fence(r.executionId), { steps: [], attempts: [], durable: false, settle: { kind: 'park', dueAt: now + 5000 } });
    await store.executions.commit(a[2].executionId, fence(a[2].executionId), { steps: [], attempts: [], durable: false, settle: { kind: 'finish', status: 'succeeded' } });
    expect(store.executions.flowLoad('flw_a')).toEqual({ queued: 1, waiting: 2 });
    expect(store.executions.flowLoad('flw_a')).toEqual(truth('flw_a'));
    expect(store.executions.queueDepth()).toBe(2);
    expect(store.executions.parkedDepth()).toBe(2);
    // Cancel one parked execution; the other comes due and is claimed back to runnable.
    await store.executions.cancel(a[0].executionId, now);
    expect(store.executions.flowLoad('flw_a')).toEqual({ queued: 1, waiting: 1 });
    now += 5000;
    const due = await store.executions.claimDue('w1', now, 10_000, 10);
    expect(due.map((d) => d.id)).toEqual([a[1].executionId]);
    expect(store.executions.flowLoad('flw_a')).toEqual({ queued: 2, waiting: 0 });
    expect(store.executions.flowLoad('flw_a')).toEqual(truth('flw_a'));
    // Resume the canceled one.
    expect(await store.executions.resume(a[0].executionId, now)).toBe('resumed');
    expect(store.executions.flowLoad('flw_a')).toEqual(truth('flw_a'));
    // A duplicate accept changes nothing.
    const k = { ...req('flw_b'), idempotency: { key: 'k', windowMs: 60_000 } };
    await store.executions.accept(k);
    await store.executions.accept({ ...k, envelope: envelope(ids.next('evt')) });
    expect(store.executions.flowLoad('flw_b')).toEqual(truth('flw_b'));
    const before = { a: store.executions.flowLoad('flw_a'), b: store.executions.flowLoad('flw_b'), total: store.executions.queueDepth() };
    store.close();
    store = createSqliteStore(file(), ids, () => now);
    expect({ a: store.executions.flowLoad('flw_a'), b: store.executions.flowLoad('flw_b'), total: store.executions.queueDepth() }).toEqual(before);
    expect(store.executions.flowLoad('flw_unknown')).toEqual({ queued: 0, waiting: 0 });
  });
});
