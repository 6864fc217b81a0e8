/** Stock items and their movements ledger: prepared statements over one (FULL-synchronous) connection. */
import type { Db } from '../db.js';
import type { MovementRow, NewMovement, Page, StockItemRow } from '../types.js';

export type { MovementRow, NewMovement, Page, StockItemRow };

export interface InventoryRepo {
  /** Runs `fn` in one IMMEDIATE transaction (all or nothing). `fn` must not await. */
  transaction<T>(fn: () => T): T;
  get(sku: string): StockItemRow | undefined;
  /** The movements an execution's node already made, in the order it made them. */
  movementsOf(executionId: string, nodeId: string): MovementRow[];
  insertItem(sku: string, name: string, quantity: number, now: number): void;
  /** Sets the quantity (and the name when given). */
  updateItem(sku: string, quantity: number, name: string | undefined, now: number): void;
  addMovement(m: NewMovement): void;
  /** Items ordered by sku; `search` matches a substring of sku or name (ASCII case-insensitive); cursor = the last sku seen. */
  list(q: { search?: string; limit: number; cursor?: string }): Page<StockItemRow>;
  /** One sku's movements, newest first; cursor = the last id seen. */
  movements(sku: string, q: { limit: number; cursor?: string }): Page<MovementRow>;
}

interface ItemDbRow { sku: string; name: string; quantity: number; updated_at: number }
interface MoveDbRow {
  id: number; sku: string; delta: number; before: number; after: number;
  execution_id: string | null; node_id: string | null; created_at: number;
}

const toItem = (r: ItemDbRow): StockItemRow => ({ sku: r.sku, name: r.name, quantity: r.quantity, updatedAt: r.updated_at });
const toMove = (r: MoveDbRow): MovementRow => ({
  id: r.id, sku: r.sku, delta: r.delta, before: r.before, after: r.after,
  executionId: r.execution_id, nodeId: r.node_id, createdAt: r.created_at,
});

/** `%`, `_` and `\` match themselves in a LIKE pattern only when escaped. */
const likePattern = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Every statement, prepared once. */
function statements(db: Db) {
  const filter = "(? IS NULL OR sku LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')";
  return {
    getItem: db.prepare<[string], ItemDbRow>('SELECT sku, name, quantity, updated_at FROM stock_items WHERE sku = ?'),
    movesOf: db.prepare<[string, string], MoveDbRow>('SELECT * FROM stock_movements WHERE execution_id = ? AND node_id = ? ORDER BY id'),
    insert: db.prepare('INSERT INTO stock_items (sku, name, quantity, updated_at) VALUES (?, ?, ?, ?)'),
    update: db.prepare('UPDATE stock_items SET quantity = ?, name = coalesce(?, name), updated_at = ? WHERE sku = ?'),
    addMove: db.prepare(`INSERT INTO stock_movements (sku, delta, before, after, execution_id, node_id, created_at)
      VALUES (@sku, @delta, @before, @after, @executionId, @nodeId, @createdAt)`),
    listPage: db.prepare<[string | null, string, string, string | null, string | null, number], ItemDbRow>(
      `SELECT sku, name, quantity, updated_at FROM stock_items WHERE ${filter} AND (? IS NULL OR sku > ?) ORDER BY sku LIMIT ?`),
    listTotal: db.prepare<[string | null, string, string], { n: number }>(`SELECT count(*) AS n FROM stock_items WHERE ${filter}`),
    movePage: db.prepare<[string, number, number], MoveDbRow>('SELECT * FROM stock_movements WHERE sku = ? AND id < ? ORDER BY id DESC LIMIT ?'),
    moveTotal: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM stock_movements WHERE sku = ?'),
  };
}

export function createInventoryRepo(db: Db): InventoryRepo {
  const { getItem, movesOf, insert, update, addMove, listPage, listTotal, movePage, moveTotal } = statements(db);
  return {
    transaction: (fn) => db.transaction(fn).immediate(),
    get: (sku) => {
      const r = getItem.get(sku);
      return r && toItem(r);
    },
    movementsOf: (executionId, nodeId) => movesOf.all(executionId, nodeId).map(toMove),
    insertItem: (sku, name, quantity, now) => void insert.run(sku, name, quantity, now),
    updateItem: (sku, quantity, name, now) => void update.run(quantity, name ?? null, now, sku),
    addMovement: (m) => void addMove.run(m),
    list({ search, limit, cursor }) {
      const s = search ? search : null;
      const pattern = likePattern(search ?? '');
      const rows = listPage.all(s, pattern, pattern, cursor ?? null, cursor ?? null, limit + 1);
      const items = rows.slice(0, limit).map(toItem);
      const total = (listTotal.get(s, pattern, pattern) as { n: number }).n;
      return { items, total, nextCursor: rows.length > limit ? items[items.length - 1].sku : null };
    },
    movements(sku, { limit, cursor }) {
      const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(cursor);
      const rows = movePage.all(sku, before, limit + 1);
      const items = rows.slice(0, limit).map(toMove);
      const total = (moveTotal.get(sku) as { n: number }).n;
      return { items, total, nextCursor: rows.length > limit ? String(items[items.length - 1].id) : null };
    },
  };
}
