/** Picks the store from the configuration: PostgreSQL when HOOKFLOW_DATABASE_URL is set, else SQLite in the data directory. */
import { join } from 'node:path';
import type { Ids } from '../adapters/ids.js';
import type { Store } from './types.js';
import { createSqliteStore } from './sqlite/index.js';
import { createPostgresStore } from './postgres/index.js';

export interface OpenStoreOptions {
  dataDir: string;
  databaseUrl?: string;
  databasePool: number;
  log?: { warn(o: object, msg: string): void };
  /** Listen for cluster messages (servers do; one-shot CLI commands need not). @default true */
  listen?: boolean;
}

export async function openStore(o: OpenStoreOptions, ids: Ids): Promise<Store> {
  if (o.databaseUrl) return createPostgresStore(ids, { url: o.databaseUrl, poolSize: o.databasePool, log: o.log, listen: o.listen });
  return createSqliteStore(join(o.dataDir, 'hookflow.db'), ids);
}
