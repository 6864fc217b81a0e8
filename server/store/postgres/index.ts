/**
 * The PostgreSQL store (HOOKFLOW_DATABASE_URL): a durable pool (synchronous_commit on) sized by
 * HOOKFLOW_DATABASE_POOL, a small pool with synchronous_commit off for re-derivable writes (runner/ARCHITECTURE.md),
 * one LISTEN connection for the cluster channel, and migrations applied once under an advisory lock.
 */
import type { Ids } from '../../adapters/ids.js';
import type { Store } from '../types.js';
import { createPool, redactUrl, type Pool } from './pool.js';
import { migratePg } from './migrate.js';
import { createPgFlowStore } from './flows.js';
import { createPgExecutionStore } from './executions.js';
import { createPgCredentialStore } from './credentials.js';
import { createPgUserStore } from './users.js';
import { createPgInventory } from './inventory.js';
import { createPgCaptureStore } from './captures.js';
import { createPgEndpointStore } from './endpoints.js';
import { createPgRetention } from './retention.js';
import { createPgLimits } from './limits.js';
import { createPgChannel } from './notify.js';
import { holdNodeLock } from './node-lock.js';
import { createPgSignals } from './signals.js';
import { createPgSchedules } from './schedules.js';

export type PostgresStore = Store & { kind: 'postgres'; raw: { pool: Pool; fast: Pool }; migrated: string[] };

export interface PgStoreOptions {
  url: string;
  /** Connections in the durable pool. @default 10 */
  poolSize?: number;
  now?: () => number;
  log?: { warn(o: object, msg: string): void };
  /** Listen for cluster messages (servers do; one-shot CLI commands need not). @default true */
  listen?: boolean;
}

const silent = { warn: () => undefined };

/** The fast pool: half the durable one, at least three connections (claims, quick commits, renewals, NOTIFYs). */
export const fastPoolSize = (poolSize: number): number => Math.max(3, Math.ceil(poolSize / 2));

export async function createPostgresStore(ids: Ids, o: PgStoreOptions): Promise<PostgresStore> {
  const now = o.now ?? Date.now;
  const size = o.poolSize ?? 10;
  const pool = createPool({ url: o.url, max: size, synchronousCommit: 'on', applicationName: 'hookflow' });
  const fast = createPool({ url: o.url, max: fastPoolSize(size), synchronousCommit: 'off', applicationName: 'hookflow-fast' });
  const shut = async () => { await Promise.all([pool.end(), fast.end()]).catch(() => undefined); };
  let migrated: string[];
  try {
    migrated = await migratePg(pool);
  } catch (e) {
    await shut();
    throw e;
  }
  const channel = o.listen === false ? undefined : createPgChannel({ url: o.url, pool: fast, log: o.log ?? silent });
  try {
    await channel?.start();
  } catch (e) {
    await shut();
    throw e;
  }
  const executions = createPgExecutionStore(pool, fast, ids, now);
  await executions.refreshDepth();
  const limits = createPgLimits(pool, now);
  return {
    kind: 'postgres',
    location: redactUrl(o.url),
    raw: { pool, fast },
    migrated,
    flows: createPgFlowStore(pool, now),
    executions,
    signals: createPgSignals(pool),
    schedules: createPgSchedules(pool),
    credentials: createPgCredentialStore(pool),
    users: createPgUserStore(pool, now),
    inventory: createPgInventory(pool),
    captures: createPgCaptureStore(pool),
    endpoints: createPgEndpointStore(pool, fast),
    retention: createPgRetention(pool),
    limits,
    cluster: channel,
    registerNode: (n) => holdNodeLock(o.url, n, o.log ?? silent),
    async health() {
      try {
        // Reachable, and a primary that takes writes (a standby or a read-only default fails here).
        const r = (await pool.query<{ standby: boolean; ro: string }>(
          `SELECT pg_is_in_recovery() AS standby, current_setting('default_transaction_read_only') AS ro`)).rows[0];
        if (r.standby) return 'store not writable: the database is a standby (read-only replica)';
        if (r.ro === 'on') return 'store not writable: default_transaction_read_only is on';
        return 'ok';
      } catch (e) {
        return `store not writable: ${(e as Error).message}`;
      }
    },
    async close() {
      executions.stop();
      limits.stop();
      await channel?.close();
      await shut();
    },
  };
}
