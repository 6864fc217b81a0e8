/** Honest outcomes: a delivery `validate` turns away ends `rejected`; nodes that did not run say why (issue 11, part 3). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, post, finished } from '../helpers/flows.js';

const schema = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } };

describe('rejected executions', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  const flowWith = (mode: 'sync' | 'async') => activeFlow(t, [
    { id: 'hook', type: 'webhook', params: { response: { mode } } },
    { id: 'check', type: 'validate', params: { schema } },
    { id: 'calc', type: 'transform', params: { code: 'return { ok: true }' } },
    { id: 'reply', type: 'respond', params: { status: 201 } },
  ], [{ from: 'hook', to: 'check' }, { from: 'check', fromPort: 'valid', to: 'calc' }, { from: 'calc', to: 'reply' }]);

  it('answers a sync caller 400 and records the execution as rejected with the validation errors', async () => {
    const f = await flowWith('sync');
    const res = await post(f.hook, JSON.stringify({ nope: 1 }));
    expect(res.status).toBe(400);
    const answer = await res.json();
    expect(answer.error.code).toBe('validation_failed');
    const list = await t.api('GET', `/api/executions?flowId=${f.id}`);
    const e = await finished(t, list.body.items[0].id);
    expect(e.status).toBe('rejected');
    expect(e.error).toMatchObject({ code: 'validation_failed', nodeId: 'check' });
    expect(e.error.message).toMatch(/id/);
    expect(e.error.details[0]).toMatchObject({ message: expect.stringContaining('id') });
    const steps = new Map(e.steps.map((s: { nodeId: string }) => [s.nodeId, s]));
    expect(steps.get('check')).toMatchObject({ status: 'succeeded', port: 'invalid' });
    expect(steps.get('calc')).toMatchObject({ status: 'skipped', reason: 'not reached: check took `invalid`' });
    expect(steps.get('reply')).toMatchObject({ status: 'skipped', reason: 'not reached: check took `invalid`' });
  });

  it('keeps a valid delivery succeeded, and lists, filters and counts rejected ones apart', async () => {
    const f = await flowWith('async');
    const good = (await (await post(f.hook, JSON.stringify({ id: 'a' }))).json()).executionId as string;
    const bad = (await (await post(f.hook, JSON.stringify({}))).json()).executionId as string;
    expect((await finished(t, good)).status).toBe('succeeded');
    expect((await finished(t, bad)).status).toBe('rejected');
    const rejected = await t.api('GET', `/api/executions?flowId=${f.id}&status=rejected`);
    expect(rejected.body.items.map((x: { id: string }) => x.id)).toEqual([bad]);
    const succeeded = await t.api('GET', `/api/executions?flowId=${f.id}&status=succeeded`);
    expect(succeeded.body.items.map((x: { id: string }) => x.id)).toEqual([good]);
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/hookflow_executions_finished_total\{status="rejected"\} [1-9]/);
  });

  it('a connected invalid port is an ordinary route, not a rejection', async () => {
    const f = await activeFlow(t, [
      { id: 'hook', type: 'webhook', params: {} },
      { id: 'check', type: 'validate', params: { schema } },
      { id: 'bad', type: 'transform', params: { code: 'return input.errors.length' } },
    ], [{ from: 'hook', to: 'check' }, { from: 'check', fromPort: 'invalid', to: 'bad' }]);
    const id = (await (await post(f.hook, JSON.stringify({}))).json()).executionId as string;
    expect((await finished(t, id)).status).toBe('succeeded');
  });

  it('ends a canceled execution\'s parked step as canceled, with no due time left', async () => {
    const f = await activeFlow(t, [{ id: 'hook', type: 'webhook', params: {} }, { id: 'wait', type: 'delay', params: { ms: 60_000 } }], [{ from: 'hook', to: 'wait' }]);
    const id = (await (await post(f.hook, '{}')).json()).executionId as string;
    for (let i = 0; i < 100 && (await t.api('GET', `/api/executions/${id}`)).body.status !== 'waiting'; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await t.api('POST', `/api/executions/${id}/cancel`)).body.status).toBe('canceled');
    const e = (await t.api('GET', `/api/executions/${id}`)).body;
    const wait = e.steps.find((s: { nodeId: string }) => s.nodeId === 'wait');
    expect(wait).toMatchObject({ status: 'canceled', reason: 'canceled: the execution was canceled' });
    expect(wait.dueAt).toBeUndefined();
  });
});
