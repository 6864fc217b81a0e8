/** Stock as the HTTP API sees it: list, read, set by hand (recorded as a movement without an execution), movements. */
import type { Clock } from '../../nodes/contract.js';
import type { InventoryStore, MovementRow, Page, StockItemRow } from '../store/types.js';

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
  list(q: { search?: string; limit: number; cursor?: string }): Promise<Page<StockItemView>>;
  get(sku: string): Promise<StockItemView | undefined>;
  /** Creates the item or sets its quantity (and name, when given), recorded as a movement without an execution. */
  put(sku: string, body: { name?: string; quantity: number }): Promise<{ item: StockItemView; created: boolean }>;
  /** Newest first; undefined when the SKU does not exist. */
  movements(sku: string, q: { limit: number; cursor?: string }): Promise<Page<MovementView> | undefined>;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const itemView = (r: StockItemRow): StockItemView => ({ sku: r.sku, name: r.name, quantity: r.quantity, updatedAt: iso(r.updatedAt) });
const moveView = (m: MovementRow): MovementView => ({ ...m, createdAt: iso(m.createdAt) });

export function createInventoryService(store: InventoryStore, clock: Clock): InventoryService {
  return {
    async list(q) {
      const page = await store.list(q);
      return { ...page, items: page.items.map(itemView) };
    },
    async get(sku) {
      const r = await store.get(sku);
      return r && itemView(r);
    },
    async put(sku, body) {
      const { item, created } = await store.put(sku, body, clock.now());
      return { item: itemView(item), created };
    },
    async movements(sku, q) {
      if (!(await store.get(sku))) return undefined;
      const page = await store.movements(sku, q);
      return { ...page, items: page.items.map(moveView) };
    },
  };
}
