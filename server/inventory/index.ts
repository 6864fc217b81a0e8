/** Builds the inventory parts over the store: the InventoryPort for nodes and the service for the API. */
import type { Clock, InventoryPort } from '../../nodes/contract.js';
import type { InventoryStore } from '../store/types.js';
import { createInventoryPort } from './stock-port.js';
import { createInventoryService, type InventoryService } from './stock-service.js';

/** A stock move is durable (fsync'd / synchronously committed) before its step is. */
export function createInventory(store: InventoryStore, clock: Clock): { port: InventoryPort; service: InventoryService } {
  return { port: createInventoryPort(store, clock), service: createInventoryService(store, clock) };
}
