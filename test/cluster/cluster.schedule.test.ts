/** Two Hookflow processes on one PostgreSQL database run the same schedule: every slot fires exactly once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startCluster, until, type Cluster, type Node } from './cluster-helpers.js';

let c: Cluster;
let a: Node;
let b: Node;

beforeAll(async () => {
  c = await startCluster({ HOOKFLOW_LOG_LEVEL: 'warn' });
  [a, b] = await Promise.all([c.start('all'), c.start('all')]);
}, 400_000);
afterAll(async () => { await c?.close(); }, 60_000);

describe('a schedule on a cluster of two processes', { timeout: 120_000 }, () => {
  it('fires each one-second slot once, whichever process sees it first', async () => {
    const r = await api(a.url, 'POST', '/api/flows', {
      name: 'every second', active: true,
      nodes: [{ id: 'tick', type: 'schedule', params: { cron: '* * * * * *' } }, { id: 'note', type: 'transform', params: { code: 'return input.body.slot' } }],
      edges: [{ from: 'tick', to: 'note' }],
    });
    expect(r.status).toBe(201);
    const flowId = (r.body as { id: string }).id;
    // One statement, so runs, slots and recorded slots are counted at the same moment.
    const counts = async () => (await c.query<{ runs: number; slots: number; recorded: number; modes: number }>(
      `SELECT count(*)::int AS runs, count(DISTINCT v.envelope::json -> 'body' ->> 'slot')::int AS slots,
              count(*) FILTER (WHERE x.mode = 'schedule')::int AS modes,
              (SELECT count(*)::int FROM schedule_slots s WHERE s.flow_id = $1 AND s.execution_id IS NOT NULL) AS recorded
         FROM executions x JOIN events v ON v.id = x.event_id WHERE x.flow_id = $1`, [flowId]))[0];
    await until(async () => (await counts()).runs >= 6, 60_000);
    await api(b.url, 'POST', `/api/flows/${flowId}/deactivate`);
    const got = await counts();
    expect(got.slots).toBe(got.runs);
    expect(got.modes).toBe(got.runs);
    // A slot's execution is stored before its slot row: the rows lag by at most the slots being fired right now.
    expect(got.recorded).toBeLessThanOrEqual(got.runs);
    expect(got.recorded).toBeGreaterThanOrEqual(got.runs - 2);
  });
});
