/** Retention against a real SQLite file: finished executions go by age and by count in batches, live ones stay, the file shrinks. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore, type SqliteStore } from '../../server/store/sqlite/index.js';
import { createIds } from '../../server/adapters/ids.js';
import { prepareRetention } from '../../server/retention/index.js';
import type { ExecutionStatus } from '../../server/store/types.js';

const DAY = 86_400_000;
const silent = { info() {}, warn() {}, error() {}, debug() {} };
const big = 'x'.repeat(4000);

describe('retention (SQLite only: the file shrinking and auto_vacuum; pruning itself runs on both stores in test/store-conformance)', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  let now = 100 * DAY;
  const ids = createIds();
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hookflow-retention-'));
    file = join(dir, 'hookflow.db');
    store = createSqliteStore(file, ids, () => now);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Accepts `n` executions at time `at` and drives them to `status` through the store's own claim and commit. */
  async function seed(n: number, at: number, status: ExecutionStatus, opts: { sharedEvent?: string; eventStored?: boolean } = {}): Promise<string[]> {
    now = at;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => store.executions.accept({
      flowId: 'flw_1', flowVersion: 1, mode: 'async', existingEvent: opts.eventStored === true || (opts.sharedEvent !== undefined && i > 0),
      envelope: { method: 'POST', headers: {}, query: {}, body: { big }, receivedAt: new Date(at).toISOString(), eventId: opts.sharedEvent ?? ids.next('evt') },
    })));
    const idList = results.map((r) => r.executionId);
    if (status === 'queued') return idList;
    const claimed = await store.executions.claimDue('w1', at, 60_000, n + 10_000);
    const mine = claimed.filter((c) => idList.includes(c.id));
    await Promise.all(mine.map((c) => store.executions.commit(c.id, c.fence, {
      steps: [], attempts: [], durable: false,
      settle: status === 'running' ? undefined : status === 'waiting' ? { kind: 'park', dueAt: at + 1000 * DAY } : { kind: 'finish', status: status as 'succeeded' },
    })));
    return idList;
  }
  const count = (sql: string) => store.raw.db.prepare(sql).pluck().get() as number;
  const size = () => statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);

  it('prunes old finished executions in batches, keeps new and unfinished ones, and the file shrinks', async () => {
    const old = await seed(1200, 10 * DAY, 'succeeded');
    await seed(100, 10 * DAY, 'failed');
    const waiting = await seed(5, 10 * DAY, 'waiting');
    const running = await seed(5, 10 * DAY, 'running');
    const queued = await seed(5, 10 * DAY, 'queued');
    const recent = await seed(50, 95 * DAY, 'succeeded');
    now = 100 * DAY;
    const pruner = await prepareRetention(store, silent, { now: () => now }, { days: 14, maxExecutions: 0, batchSize: 500 });
    store.raw.db.pragma('wal_checkpoint(TRUNCATE)');
    const before = size();
    const report = await pruner.runOnce();
    expect(report.byAge).toBe(1300);
    expect(report.batches).toBe(3); // 500 + 500 + 300
    expect(count('SELECT count(*) FROM executions')).toBe(15 + 50);
    for (const id of [...waiting, ...running, ...queued, ...recent])
      expect(await store.executions.get(id), id).toBeDefined();
    expect(await store.executions.get(old[0])).toBeUndefined();
    expect(count('SELECT count(*) FROM events')).toBe(15 + 50);
    const after = size();
    expect(after).toBeLessThan(before / 2);
    expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0);
  });

  it('prunes by count, oldest finished first, never unfinished ones', async () => {
    const oldest = await seed(30, 50 * DAY, 'succeeded');
    const queued = await seed(10, 51 * DAY, 'queued');
    const newer = await seed(20, 90 * DAY, 'failed');
    const pruner = await prepareRetention(store, silent, { now: () => 100 * DAY }, { days: 0, maxExecutions: 25, batchSize: 7 });
    const report = await pruner.runOnce();
    expect(report.byCount).toBe(35);
    expect(report.byAge).toBe(0);
    expect(count('SELECT count(*) FROM executions')).toBe(25);
    // 60 stored, 25 kept: the 30 oldest finished and 5 of the newer ones go; the 10 queued ones stay although older.
    for (const id of queued) expect(await store.executions.get(id)).toBeDefined();
    for (const id of oldest) expect(await store.executions.get(id)).toBeUndefined();
    const keptNewer = await Promise.all(newer.map((id) => store.executions.get(id)));
    expect(keptNewer.filter((e) => e !== undefined)).toHaveLength(15);
  });

  it('days = 0 and maxExecutions = 0 keep everything', async () => {
    await seed(20, 1 * DAY, 'succeeded');
    const report = await (await prepareRetention(store, silent, { now: () => 1000 * DAY }, { days: 0, maxExecutions: 0 })).runOnce();
    expect(report.byAge + report.byCount).toBe(0);
    expect(count('SELECT count(*) FROM executions')).toBe(20);
  });

  it('keeps an event shared by a replay until its last execution goes', async () => {
    const ev = ids.next('evt');
    await seed(1, 10 * DAY, 'succeeded', { sharedEvent: ev });
    await seed(1, 99 * DAY, 'succeeded', { sharedEvent: ev, eventStored: true });
    now = 100 * DAY;
    await (await prepareRetention(store, silent, { now: () => now }, { days: 14, maxExecutions: 0 })).runOnce();
    expect(count('SELECT count(*) FROM executions')).toBe(1);
    expect(count('SELECT count(*) FROM events')).toBe(1);
  });

  it('switches the database to incremental auto-vacuum once', async () => {
    const first = store.raw.db.pragma('auto_vacuum', { simple: true });
    await prepareRetention(store, silent, { now: () => now }, { days: 14, maxExecutions: 0 });
    expect(first).toBe(0);
    expect(store.raw.db.pragma('auto_vacuum', { simple: true })).toBe(2);
  });

  it('prunes expired idempotency keys by their own expiry', async () => {
    now = 10 * DAY;
    await store.executions.accept({ flowId: 'f', flowVersion: 1, mode: 'async', idempotency: { key: 'k1', windowMs: 1000 },
      envelope: { method: 'POST', headers: {}, query: {}, body: {}, receivedAt: '', eventId: ids.next('evt') } });
    await store.executions.accept({ flowId: 'f', flowVersion: 1, mode: 'async', idempotency: { key: 'k2', windowMs: 100 * DAY },
      envelope: { method: 'POST', headers: {}, query: {}, body: {}, receivedAt: '', eventId: ids.next('evt') } });
    const report = await (await prepareRetention(store, silent, { now: () => 11 * DAY }, { days: 0, maxExecutions: 0 })).runOnce();
    expect(report.idempotencyKeys).toBe(1);
    expect(count('SELECT count(*) FROM idempotency_keys')).toBe(1);
  });
});
