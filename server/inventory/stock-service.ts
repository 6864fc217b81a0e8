/** Stock as the HTTP API sees it: list, read, set by hand (recorded as a movement without an execution), movements. */
import type { Clock } from '../../nodes/contract.js';
import type { InventoryRepo, MovementRow, Page, StockItemRow } from '../store/sqlite/inventory.js';

export interface StockItemView {
  sku: string;
  name: string;
  quantity: number;
  /** ISO 8601. */
  updatedAt: string;
}

/** A stock movement as the API shows it: the stored row with `createdAt` in ISO 8601. */
export type MovementView = Omit<MovementRow, 'createdAt'> & { createdAt: string };

export interface InventoryService {
  list(q: { search?: string; limit: number; cursor?: string }): Page<StockItemView>;
  get(sku: string): StockItemView | undefined;
  /** Creates the item or sets its quantity (and name, when given), recorded as a movement without an execution. */
  put(sku: string, body: { name?: string; quantity: number }): { item: StockItemView; created: boolean };
  /** Newest first; undefined when the SKU does not exist. */
  movements(sku: string, q: { limit: number; cursor?: string }): Page<MovementView> | undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const itemView = (r: StockItemRow): StockItemView => ({ sku: r.sku, name: r.name, quantity: r.quantity, updatedAt: iso(r.updatedAt) });
const moveView = (m: MovementRow): MovementView => ({ ...m, createdAt: iso(m.createdAt) });

export function createInventoryService(repo: InventoryRepo, clock: Clock): InventoryService {
  const put = (sku: string, body: { name?: string; quantity: number }): { item: StockItemView; created: boolean } => {
    const now = clock.now();
    const before = repo.get(sku);
    if (before) repo.updateItem(sku, body.quantity, body.name, now);
    else repo.insertItem(sku, body.name ?? '', body.quantity, now);
    // Every manual set is in the ledger, also one that changes nothing: it records who set the stock when.
    const from = before?.quantity ?? 0;
    repo.addMovement({ sku, delta: body.quantity - from, before: from, after: body.quantity, executionId: null, nodeId: null, createdAt: now });
    return { item: itemView(repo.get(sku) as StockItemRow), created: !before };
  };
  return {
    list: (q) => {
      const page = repo.list(q);
      return { ...page, items: page.items.map(itemView) };
    },
    get: (sku) => {
      const r = repo.get(sku);
      return r && itemView(r);
    },
    put: (sku, body) => repo.transaction(() => put(sku, body)),
    movements: (sku, q) => {
      if (!repo.get(sku)) return undefined;
      const page = repo.movements(sku, q);
      return { ...page, items: page.items.map(moveView) };
    },
  };
}
