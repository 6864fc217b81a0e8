// H-17: a flow that posts to its own URL (through a template the save check cannot see) stops after MAX_HOPS executions;
// H-18: an http node whose saved URL is its own flow's webhook URL is refused at save.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, post } from '../helpers/flows.js';
import { MAX_HOPS } from '../../nodes/hops.js';

const hook = { id: 'hook', type: 'webhook', params: {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('loops between flows (H-17, H-18)', () => {
  const apps: TestApp[] = [];
  afterEach(async () => { for (const a of apps.splice(0)) await a.close(); });
  const app = async () => { const t = await startTestApp({ HOOKFLOW_ALLOWED_HOSTS: '127.0.0.1' }); apps.push(t); return t; };

  const executions = async (t: TestApp, flowId: string) => (await t.api('GET', `/api/executions?flowId=${flowId}&limit=200`)).body;
  /** Waits until the flow's execution count stays put for `quietMs` (or the deadline passes), and returns it. */
  async function settled(t: TestApp, flowId: string, quietMs = 1500, deadlineMs = 15_000) {
    const end = Date.now() + deadlineMs;
    let last = -1;
    let since = Date.now();
    for (;;) {
      const page = await executions(t, flowId);
      const open = page.items.some((e: { status: string }) => !['succeeded', 'failed', 'canceled'].includes(e.status));
      if (page.total !== last || open) { last = page.total; since = Date.now(); }
      if (Date.now() - since >= quietMs || Date.now() > end || page.total > 200) return page;
      await sleep(100);
    }
  }

  it('H-17: a flow posting to its own URL (from its payload) runs MAX_HOPS + 1 times, then the next delivery is refused with 508', async () => {
    const t = await app();
    const f = await activeFlow(t, [hook, { id: 'again', type: 'http', retry: { maxAttempts: 1 }, params: { url: '{{ input.body.next }}', body: '{{ input.body }}' } }],
      [{ from: 'hook', to: 'again' }]);
    expect((await post(f.hook, JSON.stringify({ next: f.hook }))).status).toBe(202);
    const page = await settled(t, f.id);
    expect(page.total).toBe(MAX_HOPS + 1);
    const last = page.items.find((e: { status: string }) => e.status === 'failed');
    const detail = (await t.api('GET', `/api/executions/${last.id}`)).body;
    expect(detail.trigger.headers['hookflow-hop']).toBe(String(MAX_HOPS));
    expect(detail.error).toMatchObject({ code: 'http_status_508', nodeId: 'again' });
    expect(page.items.filter((e: { status: string }) => e.status === 'failed')).toHaveLength(1);
  });

  it('H-17: two flows posting to each other stop too; a hop count sent from outside counts, and cannot be set by params', async () => {
    const t = await app();
    const b = await activeFlow(t, [hook], []);
    const a = await activeFlow(t, [hook, { id: 'toB', type: 'http', retry: { maxAttempts: 1 }, params: { url: b.hook, body: { ping: 1 } } }], [{ from: 'hook', to: 'toB' }]);
    const bLoop = await t.api('PUT', `/api/flows/${b.id}?publish=true`, { name: 'b', active: true, nodes: [hook, { id: 'toA', type: 'http', retry: { maxAttempts: 1 }, params: { url: a.hook } }], edges: [{ from: 'hook', to: 'toA' }] });
    expect(bLoop.status).toBe(200);
    expect((await post(a.hook, '{}')).status).toBe(202);
    const pa = await settled(t, a.id);
    const pb = await settled(t, b.id);
    expect(pa.total + pb.total).toBe(MAX_HOPS + 1);
    // A delivery that says it already passed through MAX_HOPS flows is accepted; one more is a loop.
    expect((await post(b.hook, '{}', { 'content-type': 'application/json', 'hookflow-hop': String(MAX_HOPS) })).status).toBe(202);
    const refused = await post(b.hook, '{}', { 'content-type': 'application/json', 'hookflow-hop': String(MAX_HOPS + 1) });
    expect(refused.status).toBe(508);
    expect((await refused.json()).error.code).toBe('loop_detected');
    const forged = await t.api('POST', '/api/flows', { name: 'x', nodes: [hook, { id: 'h', type: 'http', params: { url: 'https://example.test/', headers: { 'Hookflow-Hop': '0' } } }], edges: [{ from: 'hook', to: 'h' }] });
    expect(forged.status).toBe(400);
    expect(forged.body.error.details).toContainEqual(expect.objectContaining({ nodeId: 'h', field: 'params.headers.Hookflow-Hop' }));
  });

  it('H-18: saving an http node that calls its own flow\'s webhook URL is a 400 naming the node and field; another flow\'s URL is fine', async () => {
    const t = await app();
    const f = await activeFlow(t, [hook], []);
    const other = await activeFlow(t, [hook], []);
    for (const url of [f.hook, `${f.hook}?x={{ input.body.x }}`, `{{ trigger.body.base }}/hooks/${f.token}`]) {
      const r = await t.api('PUT', `/api/flows/${f.id}`, { name: 'self', nodes: [hook, { id: 'me', type: 'http', params: { url } }], edges: [{ from: 'hook', to: 'me' }] });
      expect(r.status, url).toBe(400);
      expect(r.body.error.details).toEqual([expect.objectContaining({ nodeId: 'me', field: 'params.url' })]);
    }
    expect((await t.api('GET', `/api/flows/${f.id}`)).body.version).toBe(1);
    const ok = await t.api('PUT', `/api/flows/${f.id}`, { name: 'calls other', nodes: [hook, { id: 'me', type: 'http', params: { url: other.hook } }], edges: [{ from: 'hook', to: 'me' }] });
    expect(ok.status).toBe(200);
  });
});
