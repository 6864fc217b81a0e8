/**
 * Crash test: ≥ 2,000 webhooks from 32 concurrent clients, SIGKILL mid-stream, restart on the same data
 * directory, re-send what was not acknowledged. Every acknowledged delivery must end as exactly one
 * succeeded execution — including those parked in a `delay` at the kill.
 */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_TOKEN } from '../helpers/app.js';
import { freePort, startChildServer } from '../helpers/child-server.js';

const TOTAL = 2000;
const CLIENTS = 32;
const KILL_AFTER = 700;

interface Delivery { id: string; acked?: string }

async function send(url: string, d: Delivery, i: number): Promise<number | undefined> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-delivery': d.id },
      body: JSON.stringify({ i, delay: i % 10 === 0 ? 1500 : 0 }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { executionId?: string };
    if ((res.status === 202 || res.status === 200) && body.executionId) d.acked = body.executionId;
    return res.status;
  } catch {
    return undefined;
  }
}

describe('crash safety', () => {
  it('D-2 loses no acknowledged webhook and runs each exactly once across a SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-crash-'));
    const port = await freePort();
    let server = await startChildServer(dir, port);
    try {
      const created = await fetch(`${server.url}/api/flows`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'crash', active: true,
          nodes: [
            { id: 'hook', type: 'webhook', params: { idempotencyHeader: 'x-delivery' } },
            { id: 'wait', type: 'delay', params: { ms: '{{ input.body.delay }}' } },
            { id: 'calc', type: 'transform', params: { code: 'return { doubled: input.body.i * 2 }' } },
          ],
          edges: [{ from: 'hook', to: 'wait' }, { from: 'wait', to: 'calc' }],
        }),
      });
      const flow = (await created.json()) as { webhook: { url: string } };
      const hookUrl = flow.webhook.url;
      const deliveries: Delivery[] = Array.from({ length: TOTAL }, (_, i) => ({ id: `d-${i}` }));

      let next = 0;
      let acked = 0;
      let killed: Promise<void> | undefined;
      await Promise.all(Array.from({ length: CLIENTS }, async () => {
        while (next < TOTAL) {
          const i = next++;
          const status = await send(hookUrl, deliveries[i], i);
          if (status === 202 || status === 200) acked++;
          if (acked >= KILL_AFTER && !killed) killed = server.kill('SIGKILL');
          if (status === undefined && killed) break;
        }
      }));
      await killed;
      const ackedBefore = deliveries.filter((d) => d.acked).map((d) => ({ ...d }));
      expect(ackedBefore.length).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(ackedBefore.length).toBeLessThan(TOTAL);

      server = await startChildServer(dir, port);
      const unacked = deliveries.map((d, i) => ({ d, i })).filter(({ d }) => !d.acked);
      let k = 0;
      await Promise.all(Array.from({ length: CLIENTS }, async () => {
        while (k < unacked.length) {
          const { d, i } = unacked[k++];
          expect(await send(hookUrl, d, i)).toBeOneOf([200, 202]);
        }
      }));
      for (const d of ackedBefore) {
        // An acknowledged delivery re-sent after the restart is recognised as the same execution.
        const copy = { id: d.id } as Delivery;
        expect(await send(hookUrl, copy, 0)).toBe(200);
        expect(copy.acked).toBe(d.acked);
      }

      const db = new Database(join(dir, 'hookflow.db'), { readonly: true });
      const deadline = Date.now() + 60_000;
      let pending = Infinity;
      while (pending > 0 && Date.now() < deadline) {
        pending = db.prepare(`SELECT count(*) FROM executions WHERE status NOT IN ('succeeded','failed','canceled')`).pluck().get() as number;
        if (pending > 0) await new Promise((r) => setTimeout(r, 200));
      }
      const byStatus = db.prepare('SELECT status, count(*) AS n FROM executions GROUP BY status').all();
      expect(byStatus).toEqual([{ status: 'succeeded', n: TOTAL }]);
      const keys = db.prepare('SELECT key, execution_id FROM idempotency_keys').all() as Array<{ key: string; execution_id: string }>;
      expect(keys).toHaveLength(TOTAL);
      const byKey = new Map(keys.map((r) => [r.key, r.execution_id]));
      for (const d of ackedBefore) expect(byKey.get(d.id)).toBe(d.acked);
      const stepCount = (node: string) => db.prepare(`SELECT count(*) FROM executions, json_each(executions.steps) AS s
        WHERE json_extract(s.value, '$.nodeId') = ? AND json_extract(s.value, '$.status') = 'succeeded'
          AND json_extract(s.value, '$.attempts') >= 1`).pluck().get(node);
      const doubled = stepCount('calc');
      expect(doubled).toBe(TOTAL);
      const delayed = stepCount('wait');
      expect(delayed).toBe(TOTAL);
      db.close();
    } finally {
      await server.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
