/** Registers this process with the store: on PostgreSQL its worker id is locked for its lifetime (store/postgres/node-lock.ts). */
import type { Store } from '../store/types.js';

export interface NodeRegistration {
  nodeId: string;
  role: string;
  leaseMs: number;
  now(): number;
}

export async function registerNode(store: Store, n: NodeRegistration): Promise<{ stop(): Promise<void> }> {
  if (!store.registerNode) return { stop: async () => undefined };
  return store.registerNode({ nodeId: n.nodeId, role: n.role, now: n.now });
}
