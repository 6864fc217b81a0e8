/**
 * PostgreSQL only (SQLite has no network between ingress and its database): an accept whose connection is lost is
 * retried and never stored twice — neither when the statement never ran, nor when it committed but the answer
 * was lost (the in-doubt case: the batcher looks its rows up before trying again).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIds } from '../../server/adapters/ids.js';
import { createPgAcceptBatcher } from '../../server/store/postgres/accept-batcher.js';
import { createPostgresStore, type PostgresStore } from '../../server/store/postgres/index.js';
import type { Pool } from '../../server/store/postgres/pool.js';
import { createTestDatabase, type TestDatabase } from '../helpers/pg.js';

let db: TestDatabase;
let store: PostgresStore;
beforeAll(async () => {
  db = await createTestDatabase();
  store = await createPostgresStore(createIds(), { url: db.url, poolSize: 2, listen: false });
}, 60_000);
afterAll(async () => {
  await store?.close();
  await db?.drop();
}, 60_000);

const lost = () => new Error('Connection terminated unexpectedly');

/** The real pool, but the accepting statement's connection "drops" once: before it runs, or after it committed. */
function flaky(when: 'before' | 'after'): { pool: Pool; drops: () => number } {
  let drops = 0;
  const real = store.raw.pool;
  const pool = {
    query: async (sql: string, args?: unknown[]) => {
      const accepting = typeof sql === 'string' && sql.includes('INSERT INTO idempotency_keys');
      if (accepting && drops === 0 && when === 'before') { drops++; throw lost(); }
      const r = await real.query(sql, args);
      if (accepting && drops === 0 && when === 'after') { drops++; throw lost(); }
      return r;
    },
  } as unknown as Pool;
  return { pool, drops: () => drops };
}

const env = (i: number) => ({ method: 'POST', headers: {}, query: {}, body: { i }, receivedAt: new Date().toISOString(), eventId: `evt_fault_${i}_${Math.random()}` });

describe('accepts over a lost connection', () => {
  for (const when of ['before', 'after'] as const) {
    it(`the connection lost ${when} the commit: each delivery stored exactly once, the callers answered once`, async () => {
      const f = flaky(when);
      const flowId = `flw_fault_${when}`;
      const batcher = createPgAcceptBatcher(f.pool, createIds(), Date.now, { onAccepted: () => undefined });
      const results = await Promise.all(Array.from({ length: 25 }, (_, i) => batcher.accept({ flowId, flowVersion: 1, mode: 'async', envelope: env(i) })));
      expect(f.drops()).toBe(1);
      expect(results.every((r) => !r.duplicate)).toBe(true);
      const rows = (await store.raw.pool.query<{ id: string }>('SELECT id FROM executions WHERE flow_id = $1', [flowId])).rows.map((r) => r.id);
      expect(rows.sort()).toEqual(results.map((r) => r.executionId).sort());
    });
  }

  it('a database that stays away answers StoreUnavailable (503) after the retry budget, storing nothing', async () => {
    const down = { query: async () => { throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }); } } as unknown as Pool;
    const batcher = createPgAcceptBatcher(down, createIds(), Date.now, { onAccepted: () => undefined, retryForMs: 300 });
    const t0 = Date.now();
    await expect(batcher.accept({ flowId: 'flw_down', flowVersion: 1, mode: 'async', envelope: env(1) })).rejects.toMatchObject({ name: 'StoreUnavailable' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100); // it retried before giving up
  });
});
