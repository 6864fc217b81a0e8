/** The InventoryPort: applies a stock operation in one transaction, at most once per (execution, node). */
import { permanent, retryable, type Clock, type InventoryPort } from '../../nodes/contract.js';
import { StoreUnavailable, type InventoryStore } from '../store/types.js';
import { normaliseItems, OPERATIONS } from './stock-items.js';

export { quantityAfter } from './stock-plan.js';

type ApplyRequest = Parameters<InventoryPort['apply']>[0];

function checkRequest(req: ApplyRequest): void {
  if (!OPERATIONS.includes(req.operation)) throw permanent('invalid_params', `operation must be one of ${OPERATIONS.join(', ')}`);
  if (typeof req.allowNegative !== 'boolean') throw permanent('invalid_params', 'allowNegative must be a boolean');
  if (typeof req.executionId !== 'string' || req.executionId === '' || typeof req.nodeId !== 'string' || req.nodeId === '')
    throw permanent('invalid_params', 'executionId and nodeId must be non-empty strings');
}

/**
 * The failures a retry can fix: a locked SQLite database (SQLITE_BUSY*), and on PostgreSQL a serialization
 * failure or deadlock (40001, 40P01), a lost connection or a database that is starting or shutting down (08*, 57P*).
 */
function toRetryable(e: unknown): unknown {
  if (e instanceof StoreUnavailable) return retryable('store_busy', 'the stock change could not be committed; it will be tried again', { details: { reason: e.message.slice(0, 200) } });
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return e;
  if (code.startsWith('SQLITE_BUSY'))
    return retryable('sqlite_busy', 'the stock table is locked by another writer', { details: { sqlite: code } });
  if (code === '40001' || code === '40P01' || code.startsWith('08') || code.startsWith('57P'))
    return retryable('store_busy', 'the stock change could not be committed; it will be tried again', { details: { sqlstate: code } });
  return e;
}

export function createInventoryPort(store: InventoryStore, clock: Clock): InventoryPort {
  return {
    async apply(req) {
      checkRequest(req);
      const items = normaliseItems(req.operation, req.items);
      try {
        return await store.apply({ operation: req.operation, allowNegative: req.allowNegative, executionId: req.executionId, nodeId: req.nodeId, items }, clock.now());
      } catch (e) {
        throw toRetryable(e);
      }
    },
  };
}
