import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore, type SqliteStore } from '../../server/store/sqlite/index.js';
import { migrate } from '../../server/store/db.js';
import { createIds } from '../../server/adapters/ids.js';
import { LeaseLost, type AcceptRequest } from '../../server/store/types.js';

const envelope = (eventId: string) => ({ method: 'POST', headers: {}, query: {}, body: { n: 1 }, receivedAt: new Date(0).toISOString(), eventId });

describe('SQLite store (SQLite only: its pragmas, file and disk-full handling; the shared behaviour runs on both stores in test/store-conformance)', () => {
  let dir: string;
  let store: SqliteStore;
  let now = 1_000_000;
  const ids = createIds();
  const req = (over: Partial<AcceptRequest> = {}): AcceptRequest => ({ flowId: 'flw_1', flowVersion: 1, mode: 'async', envelope: envelope(ids.next('evt')), ...over });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hookflow-store-'));
    store = createSqliteStore(join(dir, 'db.sqlite'), ids, () => now);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs WAL with synchronous=FULL on the connection that accepts events (D-1)', () => {
    expect(store.raw.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.raw.db.pragma('synchronous', { simple: true })).toBe(2);
    // Negative control: better-sqlite3's own default in WAL would be NORMAL (1).
    const plain = new Database(join(dir, 'db.sqlite'));
    expect(plain.pragma('synchronous', { simple: true })).not.toBe(2);
    plain.close();
  });

  it('applies migrations once and records them', () => {
    expect(migrate(store.raw.db)).toEqual([]);
    const names = store.raw.db.prepare('SELECT name FROM schema_migrations').pluck().all();
    expect(names).toContain('001-initial.sql');
  });

  it('group-commits concurrent accepts and deduplicates keys inside one batch', async () => {
    const results = await Promise.all([
      ...Array.from({ length: 50 }, () => store.executions.accept(req())),
      store.executions.accept(req({ idempotency: { key: 'k', windowMs: 1000 } })),
      store.executions.accept(req({ idempotency: { key: 'k', windowMs: 1000 } })),
    ]);
    expect(results.filter((r) => r.duplicate)).toHaveLength(1);
    expect(results[51].executionId).toBe(results[50].executionId);
    expect(store.raw.db.prepare('SELECT count(*) FROM executions').pluck().get()).toBe(51);
    expect(store.executions.queueDepth()).toBe(51);
  });

  it('lets a dedup key expire after its window', async () => {
    const a = await store.executions.accept(req({ idempotency: { key: 'k', windowMs: 1000 } }));
    now += 1001;
    const b = await store.executions.accept(req({ idempotency: { key: 'k', windowMs: 1000 } }));
    expect(b.duplicate).toBe(false);
    expect(b.executionId).not.toBe(a.executionId);
  });

  it('leases due work once, re-leases it after the lease expires, and fences the late worker (D-5)', async () => {
    const { executionId } = await store.executions.accept(req());
    const [first] = await store.executions.claimDue('w1', now, 1000, 10);
    expect(first.id).toBe(executionId);
    expect(await store.executions.claimDue('w2', now, 1000, 10)).toEqual([]);
    now += 1001;
    const [second] = await store.executions.claimDue('w2', now, 1000, 10);
    expect(second.fence).toBeGreaterThan(first.fence);
    const step = { nodeId: 'hook', status: 'succeeded' as const, port: 'out', output: {}, attempts: 1 };
    await expect(store.executions.commit(executionId, first.fence, { steps: [step], attempts: [], durable: false })).rejects.toBeInstanceOf(LeaseLost);
    await expect(store.executions.finish(executionId, first.fence, 'succeeded')).rejects.toBeInstanceOf(LeaseLost);
    await store.executions.commit(executionId, second.fence, { steps: [step], attempts: [], durable: true });
    await store.executions.finish(executionId, second.fence, 'succeeded');
    const done = await store.executions.get(executionId);
    expect(done?.status).toBe('succeeded');
    expect(done?.steps).toEqual([step]);
  });

  it('commits a batch of writes where a stale fence fails only its own write', async () => {
    const a = await store.executions.accept(req({ claimFor: { owner: 'w', leaseMs: 1000 } }));
    const b = await store.executions.accept(req({ claimFor: { owner: 'w', leaseMs: 1000 } }));
    const step = { nodeId: 'hook', status: 'succeeded' as const, port: 'out', output: { ok: 1 }, attempts: 1 };
    const results = await Promise.allSettled([
      store.executions.commit(a.executionId, a.fence as number, { steps: [step], attempts: [], durable: false }),
      store.executions.commit(b.executionId, 99, { steps: [step], attempts: [], durable: false }),
    ]);
    expect(results[0].status).toBe('fulfilled');
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.any(LeaseLost) });
    expect((await store.executions.get(a.executionId))?.steps).toEqual([step]);
    expect((await store.executions.get(b.executionId))?.steps).toEqual([]);
  });

  it('parks an execution until its due time and releases the lease', async () => {
    const { executionId } = await store.executions.accept(req());
    const [c] = await store.executions.claimDue('w1', now, 1000, 10);
    await store.executions.commit(executionId, c.fence, { steps: [], attempts: [], durable: false, settle: { kind: 'park', dueAt: now + 500 } });
    expect(await store.executions.nextDueAt()).toBe(now + 500);
    expect(await store.executions.claimDue('w1', now + 499, 1000, 10)).toEqual([]);
    expect(await store.executions.claimDue('w1', now + 500, 1000, 10)).toHaveLength(1);
  });

  it('answers StoreUnavailable and writes nothing when the disk is full (W-23)', async () => {
    const pages = store.raw.db.pragma('page_count', { simple: true }) as number;
    store.raw.db.pragma(`max_page_count = ${pages}`);
    const big = req({ envelope: { ...envelope('evt_big'), body: 'x'.repeat(100_000) } });
    await expect(store.executions.accept(big)).rejects.toMatchObject({ name: 'StoreUnavailable' });
    expect(store.raw.db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
  });
});
