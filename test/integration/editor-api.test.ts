/** What the editor needs from the API: notes and disabled nodes round-trip, import-and-fix credential flags, run one node, scannable history. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';

const hook = { id: 'hook', type: 'webhook', params: {} };

describe('editor API', () => {
  let t: TestApp;
  const receivers: Receiver[] = [];
  beforeAll(async () => { t = await startTestApp({ HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' }); });
  afterEach(async () => { await Promise.all(receivers.splice(0).map((r) => r.close())); });
  afterAll(async () => { await t.close(); });

  it('round-trips sticky notes, a disabled node and pinned input through save, read and the version', async () => {
    const notes = [{ id: 'note_1', text: 'Orders arrive here', position: { x: 0, y: -120 }, size: { width: 260, height: 100 } }];
    const nodes = [hook, { id: 'calc', type: 'transform', params: { code: 'return 1' }, disabled: true, pinnedInput: { body: { id: 7 } } }];
    const created = await t.api('POST', '/api/flows', { name: 'Notes', nodes, edges: [{ from: 'hook', to: 'calc' }], notes });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const got = await t.api('GET', `/api/flows/${created.body.id}`);
    expect(got.body.notes).toEqual(notes);
    expect(got.body.nodes[1]).toMatchObject({ disabled: true, pinnedInput: { body: { id: 7 } } });
    expect(got.body.flags).toEqual([]);
    expect((await t.api('GET', `/api/flows/${created.body.id}/versions/1`)).body.notes).toEqual(notes);
    const bad = await t.api('PUT', `/api/flows/${created.body.id}`, { name: 'Notes', nodes, edges: [], notes: [{ id: 'n', text: 5, position: { x: 0, y: 0 } }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ field: 'notes[0].text', message: 'must be a string of at most 10000 characters' }]);
  });

  it('a disabled node runs nothing and passes its input on', async () => {
    const f = await activeFlow(t, [hook, { id: 'calc', type: 'transform', params: { code: 'return { changed: true }' }, disabled: true },
      { id: 'reply', type: 'respond', params: {} }], [{ from: 'hook', to: 'calc' }, { from: 'calc', to: 'reply' }]);
    const run = await t.api('POST', `/api/flows/${f.id}/test`, { body: { id: 1 } });
    expect(run.body.status).toBe('succeeded');
    expect(run.body.steps.find((s: { nodeId: string }) => s.nodeId === 'calc').output).toMatchObject({ body: { id: 1 } });
  });

  it('imports a flow naming a missing credential as an inactive flow with flags, and clears them when fixed', async () => {
    const nodes = [{ id: 'hook', type: 'webhook', params: { auth: { kind: 'hmac', preset: 'github', credentialId: 'cred_elsewhere' } } }];
    expect((await t.api('POST', '/api/flows', { name: 'Imported', nodes, edges: [] })).status).toBe(400);
    expect((await t.api('POST', '/api/flows?credentialProblems=flag', { name: 'Imported', active: true, nodes, edges: [] })).status).toBe(400);
    expect((await t.api('POST', '/api/flows?credentialProblems=maybe', { name: 'Imported', nodes, edges: [] })).status).toBe(400);
    const imported = await t.api('POST', '/api/flows?credentialProblems=flag', { name: 'Imported', nodes, edges: [] });
    expect(imported.status).toBe(201);
    expect(imported.body.active).toBe(false);
    expect(imported.body.flags).toEqual([{ nodeId: 'hook', field: 'params.auth.credentialId', message: 'no credential "cred_elsewhere" exists' }]);
    const activate = await t.api('POST', `/api/flows/${imported.body.id}/activate`);
    expect(activate.status).toBe(400);
    expect(activate.body.error.details[0]).toMatchObject({ nodeId: 'hook', field: 'params.auth.credentialId' });
    const cred = await t.api('POST', '/api/credentials', { name: 'GitHub secret', type: 'hmac', data: { secret: 'shh-0123456789' } });
    const fixed = [{ id: 'hook', type: 'webhook', params: { auth: { kind: 'hmac', preset: 'github', credentialId: cred.body.id } } }];
    const saved = await t.api('PUT', `/api/flows/${imported.body.id}?credentialProblems=flag`, { name: 'Imported', nodes: fixed, edges: [] });
    expect(saved.body.flags).toEqual([]);
    expect((await t.api('POST', `/api/flows/${imported.body.id}/activate`)).status).toBe(200);
    // Once active, a save that names a missing credential is refused again: a live flow never loses its credential.
    expect((await t.api('PUT', `/api/flows/${imported.body.id}?credentialProblems=flag`, { name: 'Imported', nodes, edges: [] })).status).toBe(400);
  });

  it('runs one node on a given input: the saved node, or the editor\'s unsaved copy, in the sandbox', async () => {
    const created = await t.api('POST', '/api/flows', { name: 'Run one', nodes: [hook, { id: 'calc', type: 'transform', params: { code: 'return { total: input.a + input.b }' } }], edges: [{ from: 'hook', to: 'calc' }] });
    const url = `/api/flows/${created.body.id}/nodes/calc/run`;
    const saved = await t.api('POST', url, { input: { a: 2, b: 3 } });
    expect(saved.body).toMatchObject({ status: 'succeeded', port: 'out', output: { total: 5 }, dryRun: false, nodeId: 'calc' });
    const draft = await t.api('POST', url, { input: { a: 2 }, node: { type: 'transform', params: { code: 'return { seen: ctx.trigger.body.a, up: ctx.nodes.prev }' } }, nodes: { prev: 'x' } });
    expect(draft.body.output).toEqual({ seen: 2, up: 'x' });
    const thrown = await t.api('POST', url, { input: {}, node: { type: 'transform', params: { code: "throw new Error('nope')" } } });
    expect(thrown.body).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('nope') } });
    const invalid = await t.api('POST', url, { node: { type: 'transform', params: {} } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: 'invalid_params', details: [{ field: 'params.code' }] });
    expect((await t.api('POST', `/api/flows/${created.body.id}/nodes/nope/run`, { input: {} })).status).toBe(404);
    const cond = await t.api('POST', url, { input: { total: 12 }, node: { type: 'condition', params: { rules: [{ path: 'input.total', op: 'gt', value: 10 }] } } });
    expect(cond.body).toMatchObject({ status: 'succeeded', port: 'true' });
    const wait = await t.api('POST', url, { input: { x: 1 }, node: { type: 'delay', params: { ms: 60_000 } } });
    expect(wait.body).toMatchObject({ status: 'waiting', output: { x: 1 } });
    expect(wait.body.waitUntil).toBeGreaterThan(Date.now());
  });

  it('runs a side-effecting node dry unless sideEffects is true', async () => {
    const rx = await startReceiver();
    receivers.push(rx);
    const created = await t.api('POST', '/api/flows', { name: 'Call', nodes: [hook, { id: 'call', type: 'http', params: { url: `${rx.url}/in`, body: '{{ input.order }}' } }], edges: [{ from: 'hook', to: 'call' }] });
    const url = `/api/flows/${created.body.id}/nodes/call/run`;
    const dry = await t.api('POST', url, { input: { order: { id: 1 } } });
    expect(dry.body).toMatchObject({ status: 'succeeded', dryRun: true, output: { dryRun: true } });
    expect(rx.requests).toHaveLength(0);
    const real = await t.api('POST', url, { input: { order: { id: 1 } }, sideEffects: true });
    expect(real.body).toMatchObject({ status: 'succeeded', dryRun: false, output: { status: 200, body: { ok: true } } });
    expect(rx.requests.map((r) => JSON.parse(r.body))).toEqual([{ id: 1 }]);
  });

  it('lists executions with a trigger peek, and records what a sync caller was answered', async () => {
    const sync = await activeFlow(t, [{ id: 'hook', type: 'webhook', params: { response: { mode: 'sync' }, idempotencyHeader: 'x-delivery-id' } },
      { id: 'reply', type: 'respond', params: { status: 201, body: { ok: '{{ input.body.id }}' } } }], [{ from: 'hook', to: 'reply' }], 'Sync');
    const answered = await post(sync.hook, JSON.stringify({ id: 'ord_1', items: [1, 2, 3] }), { 'content-type': 'application/json', 'x-delivery-id': 'd-42' });
    expect(answered.status).toBe(201);
    const slow = await activeFlow(t, [{ id: 'hook', type: 'webhook', params: { response: { mode: 'sync', timeoutMs: 200 } } },
      { id: 'wait', type: 'delay', params: { ms: 1500 } }], [{ from: 'hook', to: 'wait' }], 'Slow');
    const late = await post(slow.hook, '"just text"');
    expect(late.status).toBe(202);
    const list = await t.api('GET', '/api/executions?limit=10');
    const byFlow = (id: string) => list.body.items.find((x: { flowId: string }) => x.flowId === id);
    expect(byFlow(sync.id).trigger).toEqual({ method: 'POST', idempotencyKey: 'd-42', bodyPreview: '{"id":"ord_1","items":[1,2,3]}' });
    expect(byFlow(slow.id).trigger).toEqual({ method: 'POST', bodyPreview: 'just text' });
    const first = await finished(t, byFlow(sync.id).id);
    expect(first.answer).toMatchObject({ status: 201, body: { ok: 'ord_1' } });
    const second = await finished(t, byFlow(slow.id).id);
    expect(second.answer).toMatchObject({ status: 202, body: { executionId: second.id } });
    expect(second.response).toMatchObject({ status: 200 });
    // Its duration counts from the start, not from the end of the delay (it was leased at accept time).
    expect(second.finishedAt - second.startedAt).toBeGreaterThanOrEqual(1400);
  });
});
