/**
 * D-2 for a cluster: three Hookflow processes on one PostgreSQL database, 3,000 webhooks from 32 clients spread
 * over all three, one process SIGKILLed after at least 1,000 were acknowledged and started again. Every
 * acknowledged delivery ends as exactly one succeeded execution — including those parked in a delay or in a retry
 * (an HTTP call whose first attempt fails) when the process died.
 */
import { describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { api, hookOn, startCluster, until, type Node } from './cluster-helpers.js';

const TOTAL = 3000;
const CLIENTS = 32;
const KILL_AFTER = 1000;

interface Delivery { id: string; acked?: string }

/** Answers 503 to the first call for every 7th delivery (so it parks in a retry), 200 to everything else. */
function receiver(): Promise<{ server: Server; url: string; calls: Map<number, number> }> {
  const calls = new Map<number, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d.toString(); });
    req.on('end', () => {
      const i = (JSON.parse(body || '{}') as { i?: number }).i ?? -1;
      const n = (calls.get(i) ?? 0) + 1;
      calls.set(i, n);
      res.writeHead(i % 7 === 0 && n === 1 ? 503 : 200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const a = server.address();
    resolve({ server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/in`, calls });
  }));
}

async function send(url: string, d: Delivery, i: number): Promise<number | undefined> {
  try {
    const res = await fetch(url, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-delivery': d.id },
      body: JSON.stringify({ i, delay: i % 10 === 0 ? 1500 : 0 }), signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json()) as { executionId?: string };
    if ((res.status === 202 || res.status === 200) && body.executionId) d.acked = body.executionId;
    return res.status;
  } catch {
    return undefined;
  }
}

describe('cluster crash safety', () => {
  it('D-2 three processes, one SIGKILLed mid-stream: every acknowledged delivery is exactly one succeeded execution', async () => {
    const rcv = await receiver();
    const c = await startCluster({ HOOKFLOW_LEASE_MS: '3000', HOOKFLOW_ALLOWED_HOSTS: '127.0.0.1', HOOKFLOW_LOG_LEVEL: 'error' });
    try {
      const nodes: Node[] = await Promise.all([c.start('all'), c.start('all'), c.start('all')]);
      const created = await api(nodes[0].url, 'POST', '/api/flows', {
        name: 'cluster crash', active: true,
        nodes: [
          { id: 'hook', type: 'webhook', params: { idempotencyHeader: 'x-delivery' } },
          { id: 'wait', type: 'delay', params: { ms: '{{ input.body.delay }}' } },
          { id: 'call', type: 'http', params: { method: 'POST', url: rcv.url, body: { i: '{{ trigger.body.i }}' } },
            retry: { maxAttempts: 4, backoff: 'fixed', initialDelayMs: 400, maxDelayMs: 400 } },
          { id: 'calc', type: 'transform', params: { code: 'return { doubled: ctx.trigger.body.i * 2 }' } },
        ],
        edges: [{ from: 'hook', to: 'wait' }, { from: 'wait', to: 'call' }, { from: 'call', to: 'calc' }],
      });
      expect(created.status).toBe(201);
      const flowId = created.body.id as string;
      const hookUrl = created.body.webhook.url as string;
      const deliveries: Delivery[] = Array.from({ length: TOTAL }, (_, i) => ({ id: `d-${i}` }));

      let next = 0;
      let acked = 0;
      let killed = false;
      const victim = nodes[1];
      const client = async (): Promise<void> => {
        for (let i = next++; i < TOTAL; i = next++) {
          // Spread over all three; while the victim is down its share goes to the next process.
          let target = nodes[i % 3];
          if (killed && target === victim) target = nodes[(i + 1) % 3];
          if ((await send(hookOn(target, hookUrl), deliveries[i], i)) && deliveries[i].acked) acked++;
          if (!killed && acked >= KILL_AFTER) {
            killed = true;
            await victim.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, client));
      expect(killed).toBe(true);
      const restarted = await victim.restart();
      nodes[1] = restarted;
      // Re-send what was never acknowledged (lost with the killed process's connections) until it is.
      for (let round = 0; round < 5 && deliveries.some((d) => !d.acked); round++) {
        const missing = deliveries.map((d, i) => ({ d, i })).filter(({ d }) => !d.acked);
        await Promise.all(missing.map(({ d, i }) => send(hookOn(nodes[i % 3], hookUrl), d, i)));
      }
      expect(deliveries.filter((d) => !d.acked)).toEqual([]);

      await until(async () => {
        const open = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM executions WHERE flow_id = $1 AND status NOT IN ('succeeded','failed','canceled')`, [flowId]);
        return open[0].n === 0;
      }, 150_000, 500);
      const rows = await c.query<{ id: string; status: string; d: string }>(
        `SELECT x.id, x.status, (e.envelope::json -> 'headers' ->> 'x-delivery') AS d FROM executions x JOIN events e ON e.id = x.event_id WHERE x.flow_id = $1`, [flowId]);
      const byDelivery = new Map<string, Array<{ id: string; status: string }>>();
      for (const r of rows) byDelivery.set(r.d, [...(byDelivery.get(r.d) ?? []), r]);
      const doubled = [...byDelivery].filter(([, xs]) => xs.length > 1).map(([d]) => d);
      expect(doubled).toEqual([]);
      for (const d of deliveries) {
        const runs = byDelivery.get(d.id) ?? [];
        expect(runs.map((r) => r.id), d.id).toEqual([d.acked]);
      }
      const errs = await c.query<{ e: string; n: number }>(`SELECT error AS e, count(*)::int AS n FROM executions WHERE flow_id = $1 AND status <> 'succeeded' GROUP BY error`, [flowId]);
      expect(errs).toEqual([]);
      const notSucceeded = rows.filter((r) => r.status !== 'succeeded').map((r) => `${r.d}:${r.status}`);
      expect(notSucceeded).toEqual([]);
      expect(rows).toHaveLength(TOTAL);
      // The retried calls really failed once first (so they were parked in a retry).
      expect([...rcv.calls].filter(([i, n]) => i % 7 === 0 && n >= 2).length).toBeGreaterThan(300);
      const owners = await c.query<{ n: number }>(`SELECT count(DISTINCT lease_owner)::int AS n FROM executions WHERE flow_id = $1 AND lease_owner IS NOT NULL`, [flowId]);
      expect(owners[0].n).toBeLessThanOrEqual(3);
    } finally {
      await c.close();
      rcv.server.close();
    }
  }, 400_000);
});
