/** The pure part of a stock operation: given the recorded moves and the locked rows, what to answer and what to write. */
import { permanent, type StockItem, type StockResult } from '../../nodes/contract.js';
import type { MovementRow, StockItemRow } from '../store/records.js';
import type { StockOperation } from './stock-items.js';

export interface StockMove {
  sku: string;
  before: number;
  after: number;
}

/** `writes`: the moves to store (empty for a check, a replay or a shortage). */
export interface StockPlan {
  result: StockResult;
  writes: StockMove[];
}

/** What `op` leaves in stock. */
export function quantityAfter(op: StockOperation, before: number, qty: number): number {
  switch (op) {
    case 'decrement': return before - qty;
    case 'increment': return before + qty;
    case 'set': return qty;
    case 'check': return before;
  }
}

/** Unknown SKUs are always short (never created); a quantity is short only where stock is taken. */
function shortagesOf(op: StockOperation, allowNegative: boolean, items: readonly StockItem[], rows: ReadonlyMap<string, StockItemRow>) {
  const takes = op === 'decrement' || op === 'check';
  return items
    .map((i) => ({ ...i, row: rows.get(i.sku) }))
    .filter((l) => l.row === undefined || (takes && !allowNegative && l.row.quantity < l.qty))
    .map((l) => ({ sku: l.sku, requested: l.qty, available: l.row === undefined ? null : l.row.quantity }));
}

/**
 * Replays the moves this (execution, node) already made, or checks every line and moves all or none.
 * @throws NodeError `invalid_params` when a quantity would leave the safe integer range.
 */
export function planStock(
  op: StockOperation, allowNegative: boolean, items: readonly StockItem[], rows: ReadonlyMap<string, StockItemRow>, recorded: readonly MovementRow[],
): StockPlan {
  if (op !== 'check' && recorded.length > 0) {
    return { result: { ok: true, moves: recorded.map(({ sku, before, after }) => ({ sku, before, after })) }, writes: [] };
  }
  const shortages = shortagesOf(op, allowNegative, items, rows);
  if (shortages.length > 0) return { result: { ok: false, shortages }, writes: [] };
  const moves = items.map((i) => {
    const before = (rows.get(i.sku) as StockItemRow).quantity;
    return { sku: i.sku, before, after: quantityAfter(op, before, i.qty) };
  });
  if (op === 'check') return { result: { ok: true, moves }, writes: [] };
  for (const m of moves) {
    if (!Number.isSafeInteger(m.after)) throw permanent('invalid_params', `the quantity of ${JSON.stringify(m.sku)} would overflow`);
  }
  return { result: { ok: true, moves }, writes: moves };
}
