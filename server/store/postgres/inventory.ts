/**
 * Stock on PostgreSQL: an operation locks its items' rows (FOR UPDATE, in SKU order so two orders never deadlock),
 * reads what this (execution, node) already moved, and writes all moves or none in one transaction. Orders spread
 * over any number of processes therefore never oversell.
 */
import type { InventoryStore, MovementRow, StockItemRow } from '../types.js';
import { planStock } from '../../inventory/stock-plan.js';
import { inTx, type Pool, type PoolClient } from './pool.js';
import { retrying } from './retry.js';

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
const ITEM_COLS = 'sku, name, quantity, updated_at';

async function addMovements(c: PoolClient, moves: Array<Omit<MovementRow, 'id'>>): Promise<void> {
  if (moves.length === 0) return;
  await c.query(`INSERT INTO stock_movements (sku, delta, before, after, execution_id, node_id, created_at)
    SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::bigint[])`,
  [moves.map((m) => m.sku), moves.map((m) => m.delta), moves.map((m) => m.before), moves.map((m) => m.after),
    moves.map((m) => m.executionId), moves.map((m) => m.nodeId), moves.map((m) => m.createdAt)]);
}

/**
 * A deadlock or serialization failure rolls the whole transaction back, and a repeat after a lost connection finds
 * the moves it made in the ledger: trying again is safe either way.
 */
const retried = <T>(fn: () => Promise<T>): Promise<T> => retrying('stock', fn);

export function createPgInventory(pool: Pool): InventoryStore {
  const lockItems = async (c: PoolClient, skus: string[]): Promise<Map<string, StockItemRow>> => {
    const r = await c.query<ItemDbRow>(`SELECT ${ITEM_COLS} FROM stock_items WHERE sku = ANY($1::text[]) ORDER BY sku FOR UPDATE`, [skus]);
    return new Map(r.rows.map((x) => [x.sku, toItem(x)]));
  };
  const movementsOf = async (c: Pool | PoolClient, executionId: string, nodeId: string): Promise<MovementRow[]> =>
    (await c.query<MoveDbRow>('SELECT * FROM stock_movements WHERE execution_id = $1 AND node_id = $2 ORDER BY id', [executionId, nodeId])).rows.map(toMove);

  return {
    apply: (req, now) => retried(() => inTx(pool, async (c) => {
      const rows = await lockItems(c, req.items.map((i) => i.sku));
      // Read after the locks: a statement started now sees moves another process committed while we waited.
      const recorded = req.operation === 'check' ? [] : await movementsOf(c, req.executionId, req.nodeId);
      const plan = planStock(req.operation, req.allowNegative, req.items, rows, recorded);
      if (plan.writes.length === 0) return plan.result;
      await c.query(`UPDATE stock_items s SET quantity = v.after, updated_at = $3 FROM unnest($1::text[], $2::bigint[]) AS v(sku, after)
        WHERE s.sku = v.sku`, [plan.writes.map((m) => m.sku), plan.writes.map((m) => m.after), now]);
      await addMovements(c, plan.writes.map((m) => ({ ...m, delta: m.after - m.before, executionId: req.executionId, nodeId: req.nodeId, createdAt: now })));
      return plan.result;
    })),
    put: (sku, body, now) => retried(() => inTx(pool, async (c) => {
      const inserted = await c.query<ItemDbRow>(
        `INSERT INTO stock_items (sku, name, quantity, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sku) DO NOTHING RETURNING ${ITEM_COLS}`,
        [sku, body.name ?? '', body.quantity, now]);
      let before: StockItemRow | undefined;
      if (inserted.rowCount === 0) {
        before = (await lockItems(c, [sku])).get(sku);
        await c.query('UPDATE stock_items SET quantity = $1, name = coalesce($2, name), updated_at = $3 WHERE sku = $4', [body.quantity, body.name ?? null, now, sku]);
      }
      // Every manual set is in the ledger, also one that changes nothing: it records who set the stock when.
      const from = before?.quantity ?? 0;
      await addMovements(c, [{ sku, delta: body.quantity - from, before: from, after: body.quantity, executionId: null, nodeId: null, createdAt: now }]);
      const item = (await c.query<ItemDbRow>(`SELECT ${ITEM_COLS} FROM stock_items WHERE sku = $1`, [sku])).rows[0];
      return { item: toItem(item), created: before === undefined };
    })),
    async get(sku) {
      const r = (await pool.query<ItemDbRow>(`SELECT ${ITEM_COLS} FROM stock_items WHERE sku = $1`, [sku])).rows[0];
      return r && toItem(r);
    },
    async list({ search, limit, cursor }) {
      const s = search ? likePattern(search) : null;
      const filter = `($1::text IS NULL OR sku ILIKE $1 ESCAPE '\\' OR name ILIKE $1 ESCAPE '\\')`;
      const [rows, n] = await Promise.all([
        pool.query<ItemDbRow>(`SELECT ${ITEM_COLS} FROM stock_items WHERE ${filter} AND ($2::text IS NULL OR sku > $2) ORDER BY sku LIMIT $3`, [s, cursor ?? null, limit + 1]),
        pool.query<{ n: number }>(`SELECT count(*) AS n FROM stock_items WHERE ${filter}`, [s]),
      ]);
      const items = rows.rows.slice(0, limit).map(toItem);
      return { items, total: n.rows[0].n, nextCursor: rows.rows.length > limit ? items[items.length - 1].sku : null };
    },
    async movements(sku, { limit, cursor }) {
      const before = cursor === undefined ? Number.MAX_SAFE_INTEGER : Number(cursor);
      const [rows, n] = await Promise.all([
        pool.query<MoveDbRow>('SELECT * FROM stock_movements WHERE sku = $1 AND id < $2 ORDER BY id DESC LIMIT $3', [sku, before, limit + 1]),
        pool.query<{ n: number }>('SELECT count(*) AS n FROM stock_movements WHERE sku = $1', [sku]),
      ]);
      const items = rows.rows.slice(0, limit).map(toMove);
      return { items, total: n.rows[0].n, nextCursor: rows.rows.length > limit ? String(items[items.length - 1].id) : null };
    },
    movementsOf: (executionId, nodeId) => movementsOf(pool, executionId, nodeId),
  };
}
