/**
 * Two Hookflow processes on one PostgreSQL database: the same schedule fires every slot exactly once, and a callback
 * to a wait step is taken by either process.
 */
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

  it('a callback to a wait step may reach any process: it resumes the execution once', async () => {
    const r = await api(a.url, 'POST', '/api/flows', {
      name: 'wait on the cluster', active: true,
      nodes: [{ id: 'hook', type: 'webhook', params: {} }, { id: 'link', type: 'transform', params: { code: 'return { url: ctx.resumeUrls.approve }' } },
        { id: 'approve', type: 'wait', params: { timeoutMs: 600_000 } }],
      edges: [{ from: 'hook', to: 'link' }, { from: 'link', to: 'approve' }],
    });
    expect(r.status).toBe(201);
    const res = await fetch((r.body as { webhook: { url: string } }).webhook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { executionId } = (await res.json()) as { executionId: string };
    const url = await until(async () => {
      const e = (await api(a.url, 'GET', `/api/executions/${executionId}`)).body as { status: string; steps: Array<{ nodeId: string; output?: { url?: string } }> };
      return e.status === 'waiting' ? e.steps.find((s) => s.nodeId === 'link')?.output?.url : undefined;
    }, 30_000);
    const path = new URL(url).pathname;
    const send = (base: string) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ via: base }) });
    expect((await send(b.url)).status).toBe(202);
    expect((await send(a.url)).status).toBe(409);
    const done = await until(async () => {
      const e = (await api(a.url, 'GET', `/api/executions/${executionId}`)).body as { status: string; steps: Array<{ nodeId: string; output?: { body?: unknown } }> };
      return e.status === 'succeeded' ? e : undefined;
    }, 30_000);
    expect(done.steps.find((s) => s.nodeId === 'approve')?.output?.body).toEqual({ via: b.url });
  });
});
