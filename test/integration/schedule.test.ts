/** The schedule trigger on a real server: durable executions per slot, no inbound URL, params checked at save. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../helpers/app.js';
import { finished, post } from '../helpers/flows.js';

describe('schedule trigger', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  it('runs the flow once per slot as durable executions, and has no inbound URL', async () => {
    const r = await t.api('POST', '/api/flows', {
      name: 'every second', active: true,
      nodes: [{ id: 'tick', type: 'schedule', params: { cron: '* * * * * *', timezone: 'Europe/Berlin' } }, { id: 'say', type: 'transform', params: { code: 'return { at: input.body.slot }' } }],
      edges: [{ from: 'tick', to: 'say' }],
    });
    expect(r.status).toBe(201);
    const items = await eventually(async () => {
      const l = await t.api('GET', `/api/executions?flowId=${r.body.id}`);
      return l.body.total >= 2 ? l.body.items : undefined;
    }, 20_000);
    const e = await finished(t, items[0].id);
    expect(e).toMatchObject({ status: 'succeeded', mode: 'schedule' });
    expect(e.trigger.body).toMatchObject({ late: false, timezone: 'Europe/Berlin', cron: '* * * * * *' });
    expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'say').output).toEqual({ at: e.trigger.body.slot });
    expect(new Set(items.map((i: { id: string }) => i.id)).size).toBe(items.length);
    expect((await post(r.body.webhook.url, '{}')).status).toBe(404);
    await t.api('POST', `/api/flows/${r.body.id}/deactivate`);
  });

  it('refuses a bad cron, a bad time zone and a flow with two triggers, naming the node and field', async () => {
    const bad = await t.api('POST', '/api/flows', { name: 'x', nodes: [{ id: 'tick', type: 'schedule', params: { cron: '99 * * * *' } }], edges: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/node "tick", field "params.cron"/);
    const tz = await t.api('POST', '/api/flows', { name: 'x', nodes: [{ id: 'tick', type: 'schedule', params: { intervalSec: 5, timezone: 'Nowhere/City' } }], edges: [] });
    expect(tz.body.error.message).toMatch(/params.timezone/);
    const two = await t.api('POST', '/api/flows', { name: 'x', nodes: [{ id: 'tick', type: 'schedule', params: { intervalSec: 5 } }, { id: 'hook', type: 'webhook', params: {} }], edges: [] });
    expect(two.status).toBe(400);
    expect(two.body.error.message).toContain('exactly one trigger');
  });
});
