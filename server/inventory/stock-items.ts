/** Checks the items of an inventory request and sums duplicate SKUs; a bad item is a permanent `invalid_params` naming its index. */
import { permanent, type NodeError, type StockItem } from '../../nodes/contract.js';

export type StockOperation = 'decrement' | 'increment' | 'set' | 'check';

export const OPERATIONS: readonly StockOperation[] = ['decrement', 'increment', 'set', 'check'];

/** Largest item list one request may carry. */
export const MAX_ITEMS = 1000;
/** Largest quantity one item may ask for. */
export const MAX_QTY = 1_000_000_000;
/** SKUs: 1–100 characters, no control characters. */
export const MAX_SKU_CHARS = 100;

const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why a SKU is unacceptable, or undefined when it is fine. */
export function skuProblem(sku: unknown): string | undefined {
  if (typeof sku !== 'string' || sku.length === 0) return 'must be a non-empty string';
  if (sku.length > MAX_SKU_CHARS) return `must be at most ${MAX_SKU_CHARS} characters`;
  if (CONTROL.test(sku)) return 'must not contain control characters';
  return undefined;
}

/** `set` and `check` accept 0; `decrement` and `increment` need at least 1. */
export const minQty = (op: StockOperation): number => (op === 'set' || op === 'check' ? 0 : 1);

const invalid = (field: string, message: string): NodeError =>
  permanent('invalid_params', `${field} ${message}`, [{ field, message }]);

/**
 * Validates `items` for `op` and sums duplicate SKUs, keeping the order in which each SKU first appears.
 * @throws NodeError `invalid_params` naming the first bad field, e.g. `items[3].qty`.
 */
export function normaliseItems(op: StockOperation, items: unknown): StockItem[] {
  if (!Array.isArray(items)) throw invalid('items', 'must be an array');
  if (items.length > MAX_ITEMS) throw invalid('items', `must hold at most ${MAX_ITEMS} items (got ${items.length})`);
  const sums = new Map<string, number>();
  items.forEach((it: unknown, i) => {
    if (it === null || typeof it !== 'object') throw invalid(`items[${i}]`, 'must be an object {sku, qty}');
    const { sku, qty } = it as { sku?: unknown; qty?: unknown };
    const bad = skuProblem(sku);
    if (bad) throw invalid(`items[${i}].sku`, bad);
    const min = minQty(op);
    if (typeof qty !== 'number' || !Number.isInteger(qty) || qty < min || qty > MAX_QTY)
      throw invalid(`items[${i}].qty`, `must be a whole number from ${min} to ${MAX_QTY} for ${op}`);
    sums.set(sku as string, (sums.get(sku as string) ?? 0) + qty);
  });
  return [...sums].map(([sku, qty]) => ({ sku, qty }));
}
