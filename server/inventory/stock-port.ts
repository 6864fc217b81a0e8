/** The InventoryPort: applies a stock operation in one transaction, at most once per (execution, node). */
import { permanent, retryable, type Clock, type InventoryPort, type StockItem, type StockResult } from '../../nodes/contract.js';
import type { InventoryRepo, StockItemRow } from '../store/sqlite/inventory.js';
import { normaliseItems, OPERATIONS, type StockOperation } from './stock-items.js';

type ApplyRequest = Parameters<InventoryPort['apply']>[0];

interface Line extends StockItem {
  row: StockItemRow | undefined;
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
function shortagesOf(op: StockOperation, allowNegative: boolean, lines: readonly Line[]): Extract<StockResult, { ok: false }>['shortages'] {
  const takes = op === 'decrement' || op === 'check';
  return lines
    .filter((l) => l.row === undefined || (takes && !allowNegative && l.row.quantity < l.qty))
    .map((l) => ({ sku: l.sku, requested: l.qty, available: l.row === undefined ? null : l.row.quantity }));
}

/** Runs inside the transaction: replays a recorded result, or checks and moves every line, or nothing. */
function applyInTx(repo: InventoryRepo, req: ApplyRequest, items: StockItem[], now: number): StockResult {
  const op = req.operation;
  if (op !== 'check') {
    const recorded = repo.movementsOf(req.executionId, req.nodeId);
    if (recorded.length > 0) return { ok: true, moves: recorded.map(({ sku, before, after }) => ({ sku, before, after })) };
  }
  const lines: Line[] = items.map((i) => ({ ...i, row: repo.get(i.sku) }));
  const shortages = shortagesOf(op, req.allowNegative, lines);
  if (shortages.length > 0) return { ok: false, shortages };
  const moves = lines.map((l) => {
    const before = (l.row as StockItemRow).quantity;
    return { sku: l.sku, before, after: quantityAfter(op, before, l.qty) };
  });
  if (op === 'check') return { ok: true, moves };
  for (const m of moves) {
    if (!Number.isSafeInteger(m.after)) throw permanent('invalid_params', `the quantity of ${JSON.stringify(m.sku)} would overflow`);
    repo.updateItem(m.sku, m.after, undefined, now);
    repo.addMovement({ ...m, delta: m.after - m.before, executionId: req.executionId, nodeId: req.nodeId, createdAt: now });
  }
  return { ok: true, moves };
}

function checkRequest(req: ApplyRequest): void {
  if (!OPERATIONS.includes(req.operation)) throw permanent('invalid_params', `operation must be one of ${OPERATIONS.join(', ')}`);
  if (typeof req.allowNegative !== 'boolean') throw permanent('invalid_params', 'allowNegative must be a boolean');
  if (typeof req.executionId !== 'string' || req.executionId === '' || typeof req.nodeId !== 'string' || req.nodeId === '')
    throw permanent('invalid_params', 'executionId and nodeId must be non-empty strings');
}

/** A locked database is the one failure a retry can fix; better-sqlite3 reports it as SQLITE_BUSY(_*). */
function busyToRetryable(e: unknown): unknown {
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && code.startsWith('SQLITE_BUSY'))
    return retryable('sqlite_busy', 'the stock table is locked by another writer', { details: { sqlite: code } });
  return e;
}

export function createInventoryPort(repo: InventoryRepo, clock: Clock): InventoryPort {
  return {
    async apply(req) {
      checkRequest(req);
      const items = normaliseItems(req.operation, req.items);
      try {
        return repo.transaction(() => applyInTx(repo, req, items, clock.now()));
      } catch (e) {
        throw busyToRetryable(e);
      }
    },
  };
}
