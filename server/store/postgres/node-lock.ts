/**
 * One worker id, one live process: each process holds a session advisory lock on its node id for as long as it
 * runs (on a connection of its own), so a second process started with the same id refuses to start, while a
 * killed one's lock goes with its connection. The cluster_nodes row (role, heartbeat) is for operators.
 */
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { createClient } from './pool.js';

export class NodeIdInUse extends Error {
  constructor(nodeId: string) {
    super(`worker id ${nodeId} is already used by another running Hookflow process on this database: give each process its own `
      + 'data directory or HOOKFLOW_NODE_ID');
    this.name = 'NodeIdInUse';
  }
}

/** A 63-bit lock key from the node id (two ids colliding would only make one of them wait for a restart). */
const keyOf = (nodeId: string): string => (BigInt(`0x${createHash('sha256').update(`hookflow-node:${nodeId}`).digest('hex').slice(0, 15)}`)).toString();

export interface NodeInfo { nodeId: string; role: string; now(): number }

export async function holdNodeLock(url: string, info: NodeInfo, log: { warn(o: object, msg: string): void }): Promise<{ stop(): Promise<void> }> {
  const boot = randomBytes(6).toString('hex');
  let client: pg.Client | undefined;
  let stopped = false;
  let heartbeat: NodeJS.Timeout | undefined;

  const acquire = async (): Promise<void> => {
    const c = createClient(url, 'hookflow-node');
    c.on('error', () => undefined);
    await c.connect();
    const got = (await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [keyOf(info.nodeId)])).rows[0].ok;
    if (!got) {
      await c.end().catch(() => undefined);
      throw new NodeIdInUse(info.nodeId);
    }
    const t = info.now();
    await c.query(`INSERT INTO cluster_nodes (node_id, boot_id, role, started_at, seen_at) VALUES ($1, $2, $3, $4, $4)
      ON CONFLICT (node_id) DO UPDATE SET boot_id = excluded.boot_id, role = excluded.role, started_at = excluded.started_at, seen_at = excluded.seen_at`,
    [info.nodeId, boot, info.role, t]);
    c.on('end', () => {
      if (stopped || client !== c) return;
      client = undefined;
      log.warn({ nodeId: info.nodeId }, 'cluster: lost the connection holding this worker id; taking it again');
      const again = (): void => {
        if (stopped) return;
        acquire().catch((e: unknown) => {
          if (e instanceof NodeIdInUse) log.warn({ nodeId: info.nodeId }, e.message);
          setTimeout(again, 1000).unref();
        });
      };
      again();
    });
    client = c;
  };

  await acquire();
  heartbeat = setInterval(() => {
    client?.query('UPDATE cluster_nodes SET seen_at = $1 WHERE node_id = $2 AND boot_id = $3', [info.now(), info.nodeId, boot]).catch(() => undefined);
  }, 10_000);
  heartbeat.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(heartbeat);
      const c = client;
      client = undefined;
      if (!c) return;
      await c.query('DELETE FROM cluster_nodes WHERE node_id = $1 AND boot_id = $2', [info.nodeId, boot]).catch(() => undefined);
      await c.end().catch(() => undefined);
    },
  };
}
