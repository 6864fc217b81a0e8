// W-27: a large webhook body is stored once (its event); the steps that pass it on refer to it, and the API answers as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { flakyNode } from '../helpers/flaky-node.js';

const body = { id: 'ord_9', items: Array.from({ length: 2000 }, (_, i) => ({ sku: `SKU-${i}`, qty: (i % 5) + 1, note: 'n'.repeat(60) })) };
const text = JSON.stringify(body);

describe('the trigger body is stored once (W-27)', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({}, undefined, { extraNodes: [flakyNode()] }); });
  afterAll(async () => { await t.close(); });

  it('W-27: a 4-node flow writes the body into its execution row no more (it was there once per node that passed it on)', async () => {
    const f = await activeFlow(t, [
      { id: 'hook', type: 'webhook', params: {} },
      { id: 'check', type: 'validate', params: { schema: { type: 'object', required: ['id', 'items'] } } },
      { id: 'calc', type: 'transform', params: { code: 'return { ...input.body, total: input.body.items.length }' } },
      { id: 'answer', type: 'respond', params: { status: 200, body: { total: '{{ input.total }}' } } },
    ], [{ from: 'hook', to: 'check' }, { from: 'check', fromPort: 'valid', to: 'calc' }, { from: 'calc', to: 'answer' }]);
    const res = await post(f.hook, text);
    expect(res.status).toBe(202);
    const e = await finished(t, (await res.json()).executionId);
    expect(e.status).toBe('succeeded');
    const row = t.app.store.raw.db.prepare('SELECT length(steps) + length(attempts) AS n FROM executions WHERE id = ?').get(e.id) as { n: number };
    const event = t.app.store.raw.db.prepare('SELECT length(envelope) AS n FROM events WHERE id = ?').get(e.eventId) as { n: number };
    console.log(`W-27: body ${text.length} B; event row ${event.n} B; steps + attempts ${row.n} B (${(row.n / text.length).toFixed(3)}× the body)`);
    expect(event.n).toBeGreaterThan(text.length);
    expect(row.n).toBeLessThan(text.length / 10);
    // The API answers the same shape and values as if every output were stored in full.
    const out = Object.fromEntries(e.steps.map((s: { nodeId: string; output: unknown }) => [s.nodeId, s.output]));
    expect(out.hook).toEqual(e.trigger);
    expect(out.hook.body).toEqual(body);
    expect(out.check).toEqual(e.trigger);
    expect(out.calc).toEqual({ ...body, total: 2000 });
    expect(Object.keys(out.calc)).toEqual(['id', 'items', 'total']);
    expect(out.answer).toEqual({ status: 200, headers: {}, body: { total: 2000 } });
    expect(JSON.stringify(e.steps)).not.toContain('"refs"');
  });

  it('W-27: an execution parked for a retry is read back from references and finishes with the same outputs', async () => {
    const f = await activeFlow(t, [
      { id: 'hook', type: 'webhook', params: {} },
      { id: 'calc', type: 'transform', params: { code: 'return { ...input.body, total: 1 }' } },
      { id: 'flaky', type: 'flaky', params: { failUntilAttempt: 2 } },
    ], [{ from: 'hook', to: 'calc' }, { from: 'calc', to: 'flaky' }]);
    const res = await post(f.hook, text);
    const e = await finished(t, (await res.json()).executionId);
    expect(e.status).toBe('succeeded');
    const out = Object.fromEntries(e.steps.map((s: { nodeId: string; output: unknown }) => [s.nodeId, s.output]));
    expect(out.hook.body).toEqual(body);
    expect(out.flaky).toEqual({ input: { ...body, total: 1 }, attempt: 2 });
    const row = t.app.store.raw.db.prepare('SELECT length(steps) AS n FROM executions WHERE id = ?').get(e.id) as { n: number };
    expect(row.n).toBeLessThan(text.length / 10);
  });
});
