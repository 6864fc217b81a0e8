import { describe, expect, it } from 'vitest';
import type { Static } from '@sinclair/typebox';
import { NodeError, type InventoryPort, type StockResult } from '../../../nodes/contract.js';
import { inventoryNode, InventoryParams } from '../../../nodes/inventory.js';
import { aTrigger, fakeCtx } from './fake-ctx.js';

type Params = Static<typeof InventoryParams>;
type Apply = Parameters<InventoryPort['apply']>[0];

/** Answers every apply with `result` (or one built from the request) and records the requests. */
function fakePort(result?: (req: Apply) => StockResult) {
  const calls: Apply[] = [];
  const inventory: InventoryPort = {
    async apply(req) {
      calls.push(req);
      return result ? result(req) : { ok: true, moves: req.items.map((i) => ({ sku: i.sku, before: 10, after: 10 - i.qty })) };
    },
  };
  return { calls, inventory };
}

async function rejection(p: Promise<unknown>): Promise<NodeError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(NodeError);
  return e as NodeError;
}

const order = { id: 7, items: [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 1 }] };

describe('inventory node', () => {
  it('applies the operation to input.items once per (execution, node) and emits ok with the moves', async () => {
    const f = fakePort();
    const out = await inventoryNode.execute(fakeCtx({ inventory: f.inventory }), order, { operation: 'decrement' });
    expect(f.calls).toEqual([{ operation: 'decrement', items: [{ sku: 'A', qty: 2 }, { sku: 'B', qty: 1 }], allowNegative: false, executionId: 'exe_1', nodeId: 'n1' }]);
    expect(out).toEqual({ port: 'ok', value: { ...order, inventory: [{ sku: 'A', before: 10, after: 8 }, { sku: 'B', before: 10, after: 9 }] } });
  });

  it('emits insufficient with the shortages', async () => {
    const shortages = [{ sku: 'A', requested: 2, available: 1 }, { sku: 'Z', requested: 1, available: null }];
    const f = fakePort(() => ({ ok: false, shortages }));
    const out = await inventoryNode.execute(fakeCtx({ inventory: f.inventory }), order, { operation: 'decrement' });
    expect(out).toEqual({ port: 'insufficient', value: { ...order, shortages } });
  });

  it('reads items from the trigger or another node, with nested sku and qty fields', async () => {
    const f = fakePort();
    const ctx = fakeCtx({ inventory: f.inventory, trigger: aTrigger({ body: { lines: [{ product: { code: 'X' }, amount: 3 }] } }) });
    await inventoryNode.execute(ctx, null, { operation: 'increment', itemsPath: 'trigger.body.lines', skuField: 'product.code', qtyField: 'amount', allowNegative: true });
    expect(f.calls[0]).toMatchObject({ operation: 'increment', items: [{ sku: 'X', qty: 3 }], allowNegative: true });
    const g = fakePort();
    await inventoryNode.execute(fakeCtx({ inventory: g.inventory, nodes: { calc: { items: [{ sku: 'Y', qty: 4 }] } } }), {}, { operation: 'set', itemsPath: 'nodes.calc.items' });
    expect(g.calls[0].items).toEqual([{ sku: 'Y', qty: 4 }]);
  });

  it('keeps a non-object input under `input`', async () => {
    const f = fakePort();
    const out = await inventoryNode.execute(fakeCtx({ inventory: f.inventory, nodes: { o: { items: [{ sku: 'A', qty: 1 }] } } }), 'text', { operation: 'check', itemsPath: 'nodes.o.items' });
    expect(out).toMatchObject({ port: 'ok', value: { input: 'text', inventory: [{ sku: 'A' }] } });
  });

  it.each([
    ['itemsPath', { total: 3 }, {}],
    ['itemsPath', { items: 'A' }, {}],
    ['itemsPath', order, { itemsPath: 'input..items' }],
    ['items[1]', { items: [{ sku: 'A', qty: 1 }, 'B'] }, {}],
    ['items[0].sku', { items: [{ qty: 1 }] }, {}],
    ['items[0].sku', { items: [{ sku: 12, qty: 1 }] }, {}],
    ['items[0].qty', { items: [{ sku: 'A', qty: 1.5 }] }, {}],
    ['items[0].qty', { items: [{ sku: 'A', qty: '2' }] }, {}],
    ['items[1].qty', { items: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 0 }] }, {}],
    ['items[0].qty', { items: [{ sku: 'A', qty: -1 }] }, {}],
    ['items[0].amount', { items: [{ sku: 'A' }] }, { qtyField: 'amount' }],
  ])('bad data is a permanent invalid_params naming %s, and nothing is applied', async (field, input, extra) => {
    const f = fakePort();
    const e = await rejection(inventoryNode.execute(fakeCtx({ inventory: f.inventory }), input, { operation: 'decrement', ...(extra as Partial<Params>) }));
    expect(e).toMatchObject({ code: 'invalid_params', retryable: false, details: [expect.objectContaining({ field })] });
    expect(f.calls).toHaveLength(0);
  });

  it('allows qty 0 for set', async () => {
    const f = fakePort();
    await inventoryNode.execute(fakeCtx({ inventory: f.inventory }), { items: [{ sku: 'A', qty: 0 }] }, { operation: 'set' });
    expect(f.calls[0].items).toEqual([{ sku: 'A', qty: 0 }]);
  });

  it('refuses more than 1000 items', async () => {
    const f = fakePort();
    const items = Array.from({ length: 1001 }, (_, i) => ({ sku: `S${i}`, qty: 1 }));
    expect(await rejection(inventoryNode.execute(fakeCtx({ inventory: f.inventory }), { items }, { operation: 'decrement' }))).toMatchObject({ details: [{ field: 'itemsPath' }] });
  });

  describe('dry run', () => {
    /** Like the real port: one move per distinct SKU. */
    const before = (req: Apply): StockResult => ({ ok: true, moves: [...new Set(req.items.map((i) => i.sku))].map((sku) => ({ sku, before: 5, after: 5 })) });

    it('asks the port to check, and reports what a decrement would leave (duplicates summed)', async () => {
      const f = fakePort(before);
      const out = await inventoryNode.execute(fakeCtx({ inventory: f.inventory, dryRun: true }), { items: [{ sku: 'A', qty: 2 }, { sku: 'A', qty: 1 }] }, { operation: 'decrement' });
      expect(f.calls.map((c) => [c.operation, c.allowNegative])).toEqual([['check', false]]);
      expect(out).toMatchObject({ port: 'ok', value: { inventory: [{ sku: 'A', before: 5, after: 2 }] } });
    });

    it.each([
      ['increment', 8],
      ['set', 3],
    ] as const)('%s checks only that the SKUs exist and reports the would-be quantity', async (operation, after) => {
      const f = fakePort((req) => ({ ok: true, moves: [{ sku: req.items[0].sku, before: 5, after: 5 }] }));
      const out = await inventoryNode.execute(fakeCtx({ inventory: f.inventory, dryRun: true }), { items: [{ sku: 'A', qty: 3 }] }, { operation });
      expect(f.calls[0]).toMatchObject({ operation: 'check', allowNegative: true });
      expect(out).toMatchObject({ port: 'ok', value: { inventory: [{ sku: 'A', before: 5, after }] } });
    });

    it('passes shortages through', async () => {
      const f = fakePort(() => ({ ok: false, shortages: [{ sku: 'A', requested: 9, available: 5 }] }));
      const out = await inventoryNode.execute(fakeCtx({ inventory: f.inventory, dryRun: true }), { items: [{ sku: 'A', qty: 9 }] }, { operation: 'decrement' });
      expect(out).toMatchObject({ port: 'insufficient', value: { shortages: [{ sku: 'A', requested: 9, available: 5 }] } });
    });
  });

  it('fails permanently with capability_missing when the server has no inventory', async () => {
    expect(await rejection(inventoryNode.execute(fakeCtx(), order, { operation: 'decrement' }))).toMatchObject({ code: 'capability_missing', retryable: false });
  });

  it('reports malformed paths at save time', () => {
    expect(inventoryNode.check?.({ operation: 'check', itemsPath: 'input.[x', skuField: 'a..b' })).toEqual([
      expect.objectContaining({ field: 'itemsPath' }), expect.objectContaining({ field: 'skuField' }),
    ]);
    expect(inventoryNode.check?.({ operation: 'check' })).toEqual([]);
  });

  it('has the documented retry defaults: only a busy database is retried', () => {
    expect(inventoryNode.retry).toEqual({ maxAttempts: 3, backoff: 'fixed', initialDelayMs: 100, maxDelayMs: 100, jitter: 0, retryOn: ['sqlite_busy'] });
    expect(inventoryNode.effect).toBe('side-effect');
    expect(inventoryNode.ports).toEqual(['ok', 'insufficient']);
  });
});
