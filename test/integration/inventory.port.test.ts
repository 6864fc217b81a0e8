import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { NodeError, type InventoryPort } from '../../nodes/contract.js';
import { openDb, migrate, type Db } from '../../server/store/db.js';
import { createInventory } from '../../server/inventory/index.js';
import { createSqliteInventory } from '../../server/store/sqlite/inventory-store.js';
import type { InventoryService } from '../../server/inventory/stock-service.js';

let dir: string;
let db: Db;
let port: InventoryPort;
let svc: InventoryService;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hookflow-inv-'));
  db = openDb(join(dir, 'db.sqlite'));
  migrate(db);
  ({ port, service: svc } = createInventory(createSqliteInventory(db), { now: () => 1_700_000_000_000 }));
  await svc.put('A', { name: 'Apple', quantity: 10 });
  await svc.put('B', { name: 'Banana', quantity: 3 });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const qty = async (sku: string) => (await svc.get(sku))?.quantity;
const moves = () => db.prepare('SELECT sku, delta, before, after, execution_id AS e, node_id AS n FROM stock_movements WHERE execution_id IS NOT NULL ORDER BY id').all();
const req = (over: Partial<Parameters<InventoryPort['apply']>[0]> = {}) =>
  ({ operation: 'decrement' as const, items: [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 1 }], allowNegative: false, executionId: 'exe_1', nodeId: 'stock', ...over });

async function rejection(p: Promise<unknown>): Promise<NodeError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(NodeError);
  return e as NodeError;
}

describe('inventory port on a real SQLite file', () => {
  it('decrements every item and records one movement per SKU with the execution and node', async () => {
    expect(await port.apply(req())).toEqual({ ok: true, moves: [{ sku: 'A', before: 10, after: 8 }, { sku: 'B', before: 3, after: 2 }] });
    expect([await qty('A'), await qty('B')]).toEqual([8, 2]);
    expect(moves()).toEqual([
      { sku: 'A', delta: -2, before: 10, after: 8, e: 'exe_1', n: 'stock' },
      { sku: 'B', delta: -1, before: 3, after: 2, e: 'exe_1', n: 'stock' },
    ]);
  });

  it('the same execution and node applied again returns the recorded result and moves nothing', async () => {
    const first = await port.apply(req());
    const again = await port.apply(req());
    const changed = await port.apply(req({ items: [{ sku: 'A', qty: 5 }] }));
    expect(again).toEqual(first);
    expect(changed).toEqual(first);
    expect([await qty('A'), await qty('B')]).toEqual([8, 2]);
    expect(moves()).toHaveLength(2);
    // another node of the same execution is a different step
    await port.apply(req({ nodeId: 'stock2', items: [{ sku: 'A', qty: 1 }] }));
    expect(await qty('A')).toBe(7);
  });

  it('is all or nothing: one short item moves nothing and reports only the shortage', async () => {
    const r = await port.apply(req({ items: [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 4 }] }));
    expect(r).toEqual({ ok: false, shortages: [{ sku: 'B', requested: 4, available: 3 }] });
    expect([await qty('A'), await qty('B')]).toEqual([10, 3]);
    expect(moves()).toHaveLength(0);
    // nothing was recorded, so a later attempt is evaluated afresh
    await svc.put('B', { quantity: 4 });
    expect((await port.apply(req({ items: [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 4 }] }))).ok).toBe(true);
  });

  it('reports unknown SKUs with available null and never creates them, for every operation', async () => {
    for (const operation of ['decrement', 'increment', 'set', 'check'] as const) {
      const r = await port.apply(req({ operation, items: [{ sku: 'A', qty: 1 }, { sku: 'NOPE', qty: 1 }], executionId: `exe_${operation}` }));
      expect(r).toEqual({ ok: false, shortages: [{ sku: 'NOPE', requested: 1, available: null }] });
    }
    expect(await svc.get('NOPE')).toBeUndefined();
    expect(await qty('A')).toBe(10);
  });

  it('sums duplicate SKUs before checking', async () => {
    expect(await port.apply(req({ items: [{ sku: 'B', qty: 2 }, { sku: 'B', qty: 2 }] }))).toEqual({ ok: false, shortages: [{ sku: 'B', requested: 4, available: 3 }] });
    expect(await port.apply(req({ items: [{ sku: 'B', qty: 2 }, { sku: 'A', qty: 1 }, { sku: 'B', qty: 1 }] })))
      .toEqual({ ok: true, moves: [{ sku: 'B', before: 3, after: 0 }, { sku: 'A', before: 10, after: 9 }] });
  });

  it('allowNegative lets a decrement go below zero', async () => {
    expect(await port.apply(req({ items: [{ sku: 'B', qty: 5 }], allowNegative: true }))).toEqual({ ok: true, moves: [{ sku: 'B', before: 3, after: -2 }] });
    expect(await qty('B')).toBe(-2);
  });

  it('increments and sets; a set records a movement even when nothing changed, so a repeat stays a no-op', async () => {
    expect(await port.apply(req({ operation: 'increment', items: [{ sku: 'A', qty: 5 }] }))).toEqual({ ok: true, moves: [{ sku: 'A', before: 10, after: 15 }] });
    expect(await port.apply(req({ operation: 'set', executionId: 'exe_2', items: [{ sku: 'A', qty: 0 }, { sku: 'B', qty: 3 }] })))
      .toEqual({ ok: true, moves: [{ sku: 'A', before: 15, after: 0 }, { sku: 'B', before: 3, after: 3 }] });
    await svc.put('B', { quantity: 9 });
    await port.apply(req({ operation: 'set', executionId: 'exe_2', items: [{ sku: 'A', qty: 0 }, { sku: 'B', qty: 3 }] }));
    expect(await qty('B')).toBe(9);
  });

  it('check moves and records nothing', async () => {
    expect(await port.apply(req({ operation: 'check' }))).toEqual({ ok: true, moves: [{ sku: 'A', before: 10, after: 10 }, { sku: 'B', before: 3, after: 3 }] });
    expect(await port.apply(req({ operation: 'check', items: [{ sku: 'B', qty: 4 }] }))).toEqual({ ok: false, shortages: [{ sku: 'B', requested: 4, available: 3 }] });
    expect(moves()).toHaveLength(0);
  });

  it.each([
    ['items[1].qty', [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 0 }]],
    ['items[0].qty', [{ sku: 'A', qty: 2.5 }]],
    ['items[0].qty', [{ sku: 'A', qty: 2_000_000_000 }]],
    ['items[0].sku', [{ sku: '', qty: 1 }]],
    ['items[0].sku', [{ sku: 'A\nB', qty: 1 }]],
    ['items[0].sku', [{ sku: 'x'.repeat(101), qty: 1 }]],
  ])('a bad item is a permanent invalid_params naming %s, and nothing moves', async (field, items) => {
    const e = await rejection(port.apply(req({ items })));
    expect(e).toMatchObject({ code: 'invalid_params', retryable: false, details: [{ field }] });
    expect([await qty('A'), await qty('B')]).toEqual([10, 3]);
  });

  it('a failure part-way through rolls the whole transaction back', async () => {
    db.prepare('UPDATE stock_items SET quantity = ? WHERE sku = ?').run(Number.MAX_SAFE_INTEGER - 1, 'B');
    const e = await rejection(port.apply(req({ operation: 'increment', items: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 5 }] })));
    expect(e).toMatchObject({ code: 'invalid_params' });
    expect(await qty('A')).toBe(10);
    expect(moves()).toHaveLength(0);
  });

  it('a locked database is a retryable sqlite_busy; nothing moves', async () => {
    db.pragma('busy_timeout = 0');
    const other = new Database(join(dir, 'db.sqlite'));
    other.exec('BEGIN IMMEDIATE');
    try {
      const e = await rejection(port.apply(req()));
      expect(e).toMatchObject({ code: 'sqlite_busy', retryable: true });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await qty('A')).toBe(10);
    expect((await port.apply(req())).ok).toBe(true);
  });

  it('the UNIQUE(execution, node, sku) key refuses a second movement even outside the port', () => {
    const add = db.prepare("INSERT INTO stock_movements (sku, delta, before, after, execution_id, node_id, created_at) VALUES ('A', -1, 10, 9, 'exe_x', 'n', 0)");
    add.run();
    expect(() => add.run()).toThrow(/UNIQUE/);
  });
});
