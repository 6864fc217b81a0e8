/** The InventoryStore on SQLite: each operation in one IMMEDIATE transaction (the write lock keeps every reader of stock out). */
import type { Db } from '../db.js';
import type { InventoryStore, StockItemRow } from '../types.js';
import { planStock } from '../../inventory/stock-plan.js';
import { createInventoryRepo } from './inventory.js';

export function createSqliteInventory(db: Db): InventoryStore {
  const repo = createInventoryRepo(db);
  return {
    async apply(req, now) {
      return repo.transaction(() => {
        const recorded = req.operation === 'check' ? [] : repo.movementsOf(req.executionId, req.nodeId);
        const rows = new Map<string, StockItemRow>();
        for (const i of req.items) {
          const r = repo.get(i.sku);
          if (r) rows.set(i.sku, r);
        }
        const plan = planStock(req.operation, req.allowNegative, req.items, rows, recorded);
        for (const m of plan.writes) {
          repo.updateItem(m.sku, m.after, undefined, now);
          repo.addMovement({ ...m, delta: m.after - m.before, executionId: req.executionId, nodeId: req.nodeId, createdAt: now });
        }
        return plan.result;
      });
    },
    async put(sku, body, now) {
      return repo.transaction(() => {
        const before = repo.get(sku);
        if (before) repo.updateItem(sku, body.quantity, body.name, now);
        else repo.insertItem(sku, body.name ?? '', body.quantity, now);
        // Every manual set is in the ledger, also one that changes nothing: it records who set the stock when.
        const from = before?.quantity ?? 0;
        repo.addMovement({ sku, delta: body.quantity - from, before: from, after: body.quantity, executionId: null, nodeId: null, createdAt: now });
        return { item: repo.get(sku) as StockItemRow, created: !before };
      });
    },
    get: async (sku) => repo.get(sku),
    list: async (q) => repo.list(q),
    movements: async (sku, q) => repo.movements(sku, q),
    movementsOf: async (executionId, nodeId) => repo.movementsOf(executionId, nodeId),
  };
}
