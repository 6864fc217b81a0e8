/**
 * The store conformance harness: every test in this folder runs once against SQLite (a file in a temp directory)
 * and once against PostgreSQL (a database of its own, created and dropped here), through the same Store interface.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIds, type Ids } from '../../server/adapters/ids.js';
import { createSqliteStore } from '../../server/store/sqlite/index.js';
import { createPostgresStore } from '../../server/store/postgres/index.js';
import type { AcceptRequest, Store } from '../../server/store/types.js';
import { createTestDatabase } from '../helpers/pg.js';

export type Kind = 'sqlite' | 'postgres';
export const KINDS: readonly Kind[] = ['sqlite', 'postgres'];

export interface Clock { t: number; now(): number }

export interface Subject {
  kind: Kind;
  store: Store;
  ids: Ids;
  clock: Clock;
  /** A read-only query for assertions; `?` placeholders work on both stores. */
  query<T = Record<string, unknown>>(sql: string, args?: unknown[]): Promise<T[]>;
  /** A second store on the same data (another process's view): for races between processes. */
  peer(): Promise<Store>;
}

export const T0 = 1_750_000_000_000;

/** Opens a store of `kind` over fresh data; `close` removes it. */
export async function openSubject(kind: Kind, clock: Clock = makeClock()): Promise<Subject & { close(): Promise<void> }> {
  const ids = createIds(clock.now);
  const peers: Store[] = [];
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-conf-'));
    const file = join(dir, 'hookflow.db');
    const store = createSqliteStore(file, ids, clock.now);
    return {
      kind, store, ids, clock,
      query: async <T>(sql: string, args: unknown[] = []) => store.raw.fast.prepare(sql).all(...args) as T[],
      async peer() {
        const p = createSqliteStore(file, createIds(clock.now), clock.now);
        peers.push(p);
        return p;
      },
      async close() {
        for (const p of peers) await p.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const db = await createTestDatabase();
  const store = await createPostgresStore(ids, { url: db.url, poolSize: 4, now: clock.now });
  let n = 0;
  const pgSql = (sql: string) => sql.replace(/\?/g, () => `$${++n}`);
  return {
    kind, store, ids, clock,
    async query<T>(sql: string, args: unknown[] = []) {
      n = 0;
      return (await store.raw.pool.query(pgSql(sql), args)).rows as T[];
    },
    async peer() {
      const p = await createPostgresStore(createIds(clock.now), { url: db.url, poolSize: 4, now: clock.now });
      peers.push(p);
      return p;
    },
    async close() {
      for (const p of peers) await p.close();
      await store.close();
      await db.drop();
    },
  };
}

export function makeClock(start = T0): Clock {
  const c = { t: start, now: () => c.t };
  return c;
}

/** `describe(title)` once per store; `s()` is the subject inside tests (opened before, closed after). */
export function forEachStore(title: string, body: (s: () => Subject) => void, kinds: readonly Kind[] = KINDS): void {
  for (const kind of kinds) {
    describe(`${title} [${kind}]`, () => {
      let subject: (Subject & { close(): Promise<void> }) | undefined;
      beforeAll(async () => { subject = await openSubject(kind); }, 60_000);
      afterAll(async () => { await subject?.close(); }, 60_000);
      body(() => {
        if (!subject) throw new Error('store not open');
        return subject;
      });
    });
  }
}

/** A minimal accept request for flow `flowId`. */
export function acceptReq(s: Subject, flowId: string, over: Partial<AcceptRequest> = {}): AcceptRequest {
  return {
    flowId, flowVersion: 1, mode: 'async',
    envelope: { method: 'POST', headers: {}, query: {}, body: { n: 1 }, receivedAt: new Date(s.clock.now()).toISOString(), eventId: s.ids.next('evt') },
    ...over,
  };
}
