/** Builds the inventory parts over one connection: the InventoryPort for nodes and the service for the API. */
import type { Clock, InventoryPort } from '../../nodes/contract.js';
import type { Db } from '../store/db.js';
import { createInventoryRepo } from '../store/sqlite/inventory.js';
import { createInventoryPort } from './stock-port.js';
import { createInventoryService, type InventoryService } from './stock-service.js';

/** `db` must be the FULL-synchronous connection: a stock move is durable before its step is. */
export function createInventory(db: Db, clock: Clock): { port: InventoryPort; service: InventoryService } {
  const repo = createInventoryRepo(db);
  return { port: createInventoryPort(repo, clock), service: createInventoryService(repo, clock) };
}
