// Runner tests for switch, set, merge and split/aggregate on a real server (SQLite file, loopback receiver).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, post, finished } from '../helpers/flows.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';

const hook = { id: 'hook', type: 'webhook', params: {} };
type Step = { nodeId: string; status: string; port?: string; ports?: string[]; output?: any; joined?: any; attempts: number };

describe('flow nodes in the runner', () => {
  let t: TestApp;
  let rx: Receiver;
  let broken = true;
  beforeAll(async () => {
    t = await startTestApp({ HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' });
    rx = await startReceiver((r, res) => {
      const body = JSON.parse(r.body) as { fail?: boolean; failWhileBroken?: boolean };
      res.statusCode = body.fail || (body.failWhileBroken && broken) ? 422 : 200;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ got: body }));
    });
  });
  afterAll(async () => { await t.close(); await rx.close(); });

  const fire = async (f: { hook: string }, body: unknown = {}, headers: Record<string, string> = {}) =>
    (await (await post(f.hook, JSON.stringify(body), { 'content-type': 'application/json', ...headers })).json()).executionId as string;
  const step = (e: { steps: Step[] }, id: string) => e.steps.find((s) => s.nodeId === id) as Step;

  it('switch routes to the port of its case, every matching case in "all" mode, default otherwise', async () => {
    const sw = { id: 'sw', type: 'switch', params: { match: 'all', cases: [
      { id: 'big', rules: [{ path: 'input.body.total', op: 'gte', value: 100 }] },
      { id: 'de', rules: [{ path: 'input.body.country', op: 'eq', value: 'DE' }] }] } };
    const mark = (id: string) => ({ id, type: 'set', params: { keep: 'none', assignments: [{ path: 'branch', value: id }] } });
    const f = await activeFlow(t, [hook, sw, mark('onBig'), mark('onDe'), mark('onDefault')], [
      { from: 'hook', to: 'sw' }, { from: 'sw', fromPort: 'big', to: 'onBig' }, { from: 'sw', fromPort: 'de', to: 'onDe' }, { from: 'sw', fromPort: 'default', to: 'onDefault' }]);
    const both = await finished(t, await fire(f, { total: 150, country: 'DE' }));
    expect(step(both, 'sw')).toMatchObject({ port: 'big', ports: ['big', 'de'] });
    expect(['onBig', 'onDe', 'onDefault'].map((id) => step(both, id).status)).toEqual(['succeeded', 'succeeded', 'skipped']);
    const none = await finished(t, await fire(f, { total: 1, country: 'US' }));
    expect(['onBig', 'onDe', 'onDefault'].map((id) => step(none, id).status)).toEqual(['skipped', 'skipped', 'succeeded']);
    expect(step(none, 'onDefault').output).toEqual({ branch: 'onDefault' });
  });

  it('refuses at save an edge from a port the switch does not have', async () => {
    const res = await t.api('POST', '/api/flows', { name: 'bad', nodes: [hook, { id: 'sw', type: 'switch', params: { cases: [{ id: 'a', rules: [{ path: 'input.x', op: 'exists' }] }] } },
      { id: 'x', type: 'respond', params: {} }], edges: [{ from: 'hook', to: 'sw' }, { from: 'sw', fromPort: 'b', to: 'x' }] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('node \\"sw\\" has no port \\"b\\" (ports: a, default, error)');
  });

  it('refuses nested splits at save with a clear error', async () => {
    const res = await t.api('POST', '/api/flows', { name: 'nested', nodes: [hook,
      { id: 'orders', type: 'split', params: { path: 'input.body.orders' } },
      { id: 'lines', type: 'split', params: { path: 'input.lines' } },
      { id: 'x', type: 'set', params: { assignments: [{ path: 'a', value: 1 }] } }],
    edges: [{ from: 'hook', to: 'orders' }, { from: 'orders', to: 'lines' }, { from: 'lines', to: 'x' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ nodeId: 'lines', message: 'splits cannot be nested: "lines" runs once per item of "orders"; aggregate first' }));
  });

  it('set renders templates and types, then merge joins a skipped branch and a taken one', async () => {
    const f = await activeFlow(t, [hook,
      { id: 'shape', type: 'set', params: { keep: 'none', assignments: [
        { path: 'order.id', value: '{{ input.body.id }}', type: 'string' }, { path: 'order.total', value: '{{ input.body.total }}', type: 'number' },
        { path: 'order.rush', value: '{{ input.headers.x-rush }}', type: 'boolean' }] } },
      { id: 'cond', type: 'condition', params: { rules: [{ path: 'input.order.rush', op: 'eq', value: true }] } },
      { id: 'fast', type: 'set', params: { assignments: [{ path: 'lane', value: 'fast' }] } },
      { id: 'slow', type: 'set', params: { assignments: [{ path: 'lane', value: 'slow' }] } },
      { id: 'side', type: 'set', params: { keep: 'none', assignments: [{ path: 'note', value: 'side' }] } },
      { id: 'join', type: 'merge', params: { mode: 'all', combine: 'object' } }],
    [{ from: 'hook', to: 'shape' }, { from: 'shape', to: 'cond' }, { from: 'cond', fromPort: 'true', to: 'fast' }, { from: 'cond', fromPort: 'false', to: 'slow' },
      { from: 'shape', to: 'side' }, { from: 'fast', to: 'join' }, { from: 'slow', to: 'join' }, { from: 'side', to: 'join' }]);
    const e = await finished(t, await fire(f, { id: 42, total: '19.5' }, { 'x-rush': 'yes' }));
    expect(e.status).toBe('succeeded');
    expect(step(e, 'shape').output).toEqual({ order: { id: '42', total: 19.5, rush: true } });
    expect(step(e, 'join')).toMatchObject({ status: 'succeeded', output: { fast: { order: { id: '42', total: 19.5, rush: true }, lane: 'fast' }, side: { note: 'side' } },
      joined: { arrived: ['fast', 'side'], skipped: ['slow'] } });
  });

  it('merge "first" goes on with the first input and records the later ones as ignored', async () => {
    const f = await activeFlow(t, [hook,
      { id: 'quick', type: 'set', params: { keep: 'none', assignments: [{ path: 'who', value: 'quick' }] } },
      { id: 'wait', type: 'delay', params: { ms: 150 } },
      { id: 'join', type: 'merge', params: { mode: 'first' } }],
    [{ from: 'hook', to: 'quick' }, { from: 'hook', to: 'wait' }, { from: 'quick', to: 'join' }, { from: 'wait', to: 'join' }]);
    const e = await finished(t, await fire(f));
    expect(e.status).toBe('succeeded');
    expect(step(e, 'join')).toMatchObject({ output: { who: 'quick' }, joined: { arrived: ['quick'], skipped: [], ignored: ['wait'] } });
  });

  it('split runs the http node once per item with its own idempotency key, and aggregate lists the failed ones', async () => {
    const before = rx.requests.length;
    const f = await activeFlow(t, [hook,
      { id: 'items', type: 'split', params: { path: 'input.body.lines', concurrency: 3 } },
      { id: 'send', type: 'http', params: { method: 'POST', url: `${rx.url}/line`, body: '{{ input }}' }, retry: { maxAttempts: 1 } },
      { id: 'all', type: 'aggregate', params: { onItemFailure: 'list' } }],
    [{ from: 'hook', to: 'items' }, { from: 'items', to: 'send' }, { from: 'send', to: 'all' }]);
    const lines = Array.from({ length: 7 }, (_, i) => ({ n: i, fail: i === 4 }));
    const e = await finished(t, await fire(f, { lines }));
    expect(e.status).toBe('succeeded');
    const got = rx.requests.slice(before);
    expect(got.map((r) => r.headers['idempotency-key']).sort()).toEqual(lines.map((_, i) => `${e.id}:send:${i}`).sort());
    const agg = step(e, 'all').output;
    expect(agg.counts).toEqual({ total: 7, succeeded: 6, failed: 1, skipped: 0 });
    expect(agg.failed).toEqual([{ index: 4, error: expect.objectContaining({ nodeId: 'send' }) }]);
    expect(agg.items).toHaveLength(6);
    expect(e.steps.filter((s: Step) => s.nodeId.startsWith('send@')).map((s: Step) => s.status).filter((s: string) => s === 'succeeded')).toHaveLength(6);
    // Item steps count as their node's type in the metrics (never "unknown", never a look-up per item).
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toMatch(/hookflow_node_attempts_total\{node_type="http"\} \d+/);
    expect(metrics).not.toContain('node_type="unknown"');
    // The trace lists each item's delivery under the key the receiver saw.
    const tr = await t.api('GET', `/api/executions/${e.id}/trace`);
    const delivered = tr.body.deliveries.filter((d: { nodeId: string }) => d.nodeId.startsWith('send@'));
    expect(delivered.map((d: { nodeType: string; idempotencyKey: string }) => [d.nodeType, d.idempotencyKey]).sort())
      .toEqual(lines.map((_, i) => ['http', `${e.id}:send:${i}`]).sort());
  });

  it('a shadow replay of a split stubs every item\'s side effect with its recorded result and sends nothing', async () => {
    const f = await activeFlow(t, [hook,
      { id: 'items', type: 'split', params: { path: 'input.body.lines', concurrency: 2 } },
      { id: 'send', type: 'http', params: { method: 'POST', url: `${rx.url}/line`, body: '{{ input }}' } },
      { id: 'all', type: 'aggregate', params: {} }],
    [{ from: 'hook', to: 'items' }, { from: 'items', to: 'send' }, { from: 'send', to: 'all' }]);
    const original = await finished(t, await fire(f, { lines: [{ n: 0 }, { n: 1 }, { n: 2 }] }));
    expect(original.status).toBe('succeeded');
    const sent = rx.requests.length;
    const shadow = await t.api('POST', `/api/executions/${original.id}/replay`, { mode: 'shadow' });
    expect(shadow.status).toBe(200);
    expect(shadow.body.status).toBe('succeeded');
    const byNode = Object.fromEntries(shadow.body.nodes.map((n: { nodeId: string }) => [n.nodeId, n]));
    for (const i of [0, 1, 2]) expect(byNode[`send@${i}`]).toMatchObject({ stubbed: true, same: true });
    expect(byNode.all.same).toBe(true);
    expect(rx.requests.length).toBe(sent);
  });

  it('a failed item fails the execution when the aggregate says so', async () => {
    const f = await activeFlow(t, [hook,
      { id: 'items', type: 'split', params: { path: 'input.body.lines' } },
      { id: 'send', type: 'http', params: { method: 'POST', url: `${rx.url}/line`, body: '{{ input }}' }, retry: { maxAttempts: 1 } },
      { id: 'all', type: 'aggregate', params: {} }],
    [{ from: 'hook', to: 'items' }, { from: 'items', to: 'send' }, { from: 'send', to: 'all' }]);
    const e = await finished(t, await fire(f, { lines: [{ n: 0 }, { n: 1, fail: true }, { n: 2 }] }));
    expect(e.status).toBe('failed');
    expect(e.error).toMatchObject({ nodeId: 'send@1' });
  });

  it('inventory per item moves each item once, keyed by item, and resume never repeats a succeeded item', async () => {
    await t.api('PUT', '/api/inventory/SPLIT-A', { quantity: 10 });
    await t.api('PUT', '/api/inventory/SPLIT-B', { quantity: 1 });
    const f = await activeFlow(t, [hook,
      { id: 'lines', type: 'split', params: { path: 'input.body.line_items', concurrency: 2 } },
      { id: 'stock', type: 'inventory', params: { operation: 'decrement', itemsPath: 'input' } },
      { id: 'gate', type: 'condition', params: { rules: [{ path: 'input.inventory', op: 'exists' }] } },
      { id: 'all', type: 'aggregate', params: {} }],
    [{ from: 'hook', to: 'lines' }, { from: 'lines', to: 'stock' }, { from: 'stock', fromPort: 'ok', to: 'gate' }, { from: 'gate', fromPort: 'true', to: 'all' }]);
    const e = await finished(t, await fire(f, { line_items: [{ sku: 'SPLIT-A', qty: 2 }, { sku: 'SPLIT-B', qty: 3 }, { sku: 'SPLIT-A', qty: 1 }] }));
    expect(e.status).toBe('succeeded');
    expect(step(e, 'all').output.counts).toEqual({ total: 3, succeeded: 2, failed: 0, skipped: 1 });
    expect((await t.api('GET', '/api/inventory/SPLIT-A')).body.quantity).toBe(7);
    const moves = (await t.api('GET', '/api/inventory/SPLIT-A/movements')).body.items.filter((m: { executionId: string }) => m.executionId === e.id);
    expect(moves.map((m: { nodeId: string }) => m.nodeId).sort()).toEqual(['stock:0', 'stock:2']);
  });

  it('resume after a failed item re-runs only that item; the succeeded items are not sent again', async () => {
    const before = rx.requests.length;
    const f = await activeFlow(t, [hook,
      { id: 'items', type: 'split', params: { path: 'input.body.lines', concurrency: 1 } },
      { id: 'send', type: 'http', params: { method: 'POST', url: `${rx.url}/line`, body: '{{ input }}' }, retry: { maxAttempts: 1 } },
      { id: 'all', type: 'aggregate', params: {} }],
    [{ from: 'hook', to: 'items' }, { from: 'items', to: 'send' }, { from: 'send', to: 'all' }]);
    broken = true;
    const failed = await finished(t, await fire(f, { lines: [{ n: 0 }, { n: 1, failWhileBroken: true }, { n: 2 }] }));
    expect(failed.status).toBe('failed');
    broken = false;
    expect((await t.api('POST', `/api/executions/${failed.id}/replay`, { mode: 'resume' })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 50));
    const e = await finished(t, failed.id);
    expect(e.status).toBe('succeeded');
    const keys = rx.requests.slice(before).map((r) => r.headers['idempotency-key']);
    const count = (i: number) => keys.filter((k) => k === `${e.id}:send:${i}`).length;
    expect([count(0), count(1), count(2)]).toEqual([1, 2, 1]);
    expect(step(e, 'all').output.counts).toEqual({ total: 3, succeeded: 3, failed: 0, skipped: 0 });
  });

  it('resume runs what follows the failed item in its chain too (skipped only because it failed)', async () => {
    const f = await activeFlow(t, [hook,
      { id: 'items', type: 'split', params: { path: 'input.body.lines' } },
      { id: 'send', type: 'http', params: { method: 'POST', url: `${rx.url}/line`, body: '{{ input }}' }, retry: { maxAttempts: 1 } },
      { id: 'mark', type: 'set', params: { keep: 'none', assignments: [{ path: 'done', value: '{{ input.body.got.n }}' }] } },
      { id: 'all', type: 'aggregate', params: {} }],
    [{ from: 'hook', to: 'items' }, { from: 'items', to: 'send' }, { from: 'send', to: 'mark' }, { from: 'mark', to: 'all' }]);
    broken = true;
    const failed = await finished(t, await fire(f, { lines: [{ n: 0 }, { n: 1, failWhileBroken: true }] }));
    expect(failed.status).toBe('failed');
    broken = false;
    expect((await t.api('POST', `/api/executions/${failed.id}/replay`, { mode: 'resume' })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 50));
    const e = await finished(t, failed.id);
    expect(e.status).toBe('succeeded');
    expect(step(e, 'mark@1')).toMatchObject({ status: 'succeeded', output: { done: 1 } });
    expect(step(e, 'all').output.items).toEqual([{ done: 0 }, { done: 1 }]);
  });

  it('resume runs what follows a failed node (it was skipped only because the node failed)', async () => {
    const f = await activeFlow(t, [hook,
      { id: 'send', type: 'http', params: { method: 'POST', url: `${rx.url}/one`, body: '{{ input.body }}' }, retry: { maxAttempts: 1 } },
      { id: 'mark', type: 'set', params: { keep: 'none', assignments: [{ path: 'done', value: true }] } }],
    [{ from: 'hook', to: 'send' }, { from: 'send', to: 'mark' }]);
    broken = true;
    const failed = await finished(t, await fire(f, { failWhileBroken: true }));
    expect(failed.status).toBe('failed');
    broken = false;
    expect((await t.api('POST', `/api/executions/${failed.id}/replay`, { mode: 'resume' })).status).toBe(202);
    await new Promise((r) => setTimeout(r, 50));
    const e = await finished(t, failed.id);
    expect(e.status).toBe('succeeded');
    expect(step(e, 'mark')).toMatchObject({ status: 'succeeded', output: { done: true } });
  });
});

describe('the server cap on split items (HOOKFLOW_MAX_SPLIT_ITEMS)', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ HOOKFLOW_MAX_SPLIT_ITEMS: '3' }); });
  afterAll(async () => { await t.close(); });
  const flow = (split: Record<string, unknown>) => ({ name: 'cap', nodes: [hook, { id: 'items', type: 'split', params: { path: 'input.body.lines', ...split } },
    { id: 'x', type: 'set', params: { assignments: [{ path: 'seen', value: true }] } }], edges: [{ from: 'hook', to: 'items' }, { from: 'items', to: 'x' }] });

  it('refuses at save a split asking for more, and fails a run over the cap with too_many_items', async () => {
    const refused = await t.api('POST', '/api/flows', flow({ maxItems: 5 }));
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('this server allows at most 3 items per split');
    const f = await activeFlow(t, flow({}).nodes, flow({}).edges);
    const ok = await finished(t, (await (await post(f.hook, JSON.stringify({ lines: [1, 2, 3] }))).json()).executionId);
    expect(ok.status).toBe('succeeded');
    const over = await finished(t, (await (await post(f.hook, JSON.stringify({ lines: [1, 2, 3, 4] }))).json()).executionId);
    expect(over.error).toMatchObject({ code: 'too_many_items', message: 'input.body.lines has 4 items; at most 3 are allowed' });
  });
});

describe('merge across a restart', () => {
  it('a join waiting for a delayed branch completes with both inputs after the server restarts', async () => {
    const t1 = await startTestApp();
    const f = await activeFlow(t1, [hook,
      { id: 'quick', type: 'set', params: { keep: 'none', assignments: [{ path: 'q', value: 1 }] } },
      { id: 'slow', type: 'delay', params: { ms: 700 } },
      { id: 'never', type: 'condition', params: { rules: [{ path: 'input.body.go', op: 'exists' }] } },
      { id: 'gated', type: 'set', params: { assignments: [{ path: 'g', value: 1 }] } },
      { id: 'join', type: 'merge', params: { mode: 'all', combine: 'object' } }],
    [{ from: 'hook', to: 'quick' }, { from: 'hook', to: 'slow' }, { from: 'hook', to: 'never' }, { from: 'never', fromPort: 'true', to: 'gated' },
      { from: 'quick', to: 'join' }, { from: 'slow', to: 'join' }, { from: 'gated', to: 'join' }]);
    const id = (await (await post(f.hook, '{}')).json()).executionId as string;
    for (let i = 0; (await t1.api('GET', `/api/executions/${id}`)).body.status !== 'waiting'; i++) {
      if (i > 200) throw new Error('never parked');
      await new Promise((r) => setTimeout(r, 10));
    }
    await t1.close({ keepData: true });
    const t2 = await startTestApp({}, t1.dataDir);
    try {
      const e = await finished(t2, id);
      expect(e.status).toBe('succeeded');
      const join = e.steps.find((s: Step) => s.nodeId === 'join');
      expect(join).toMatchObject({ status: 'succeeded', joined: { arrived: ['quick', 'slow'], skipped: ['gated'] } });
      expect(Object.keys(join.output)).toEqual(['quick', 'slow']);
      expect(join.output.quick).toEqual({ q: 1 });
    } finally {
      await t2.close();
    }
  });
});

describe('cancel in the middle of a split', () => {
  it('no item starts its side effect after the cancel', async () => {
    const t = await startTestApp({ HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' });
    let executionId = '';
    let canceledAt = -1;
    const rx = await startReceiver(async (_r, res, n) => {
      if (n === 5) {
        canceledAt = n;
        expect((await t.api('POST', `/api/executions/${executionId}/cancel`)).status).toBe(200);
      }
      res.end('{}');
    });
    try {
      const f = await activeFlow(t, [hook,
        { id: 'items', type: 'split', params: { path: 'input.body.lines', concurrency: 1 } },
        { id: 'send', type: 'http', params: { method: 'POST', url: `${rx.url}/line`, body: '{{ input }}' }, retry: { maxAttempts: 1 } },
        { id: 'all', type: 'aggregate', params: {} }],
      [{ from: 'hook', to: 'items' }, { from: 'items', to: 'send' }, { from: 'send', to: 'all' }]);
      executionId = (await (await post(f.hook, JSON.stringify({ lines: Array.from({ length: 40 }, (_, n) => ({ n })) }))).json()).executionId;
      const e = await finished(t, executionId);
      expect(e.status).toBe('canceled');
      await new Promise((r) => setTimeout(r, 300)); // anything still going would arrive now
      expect(canceledAt).toBe(5);
      expect(rx.requests).toHaveLength(5);
    } finally {
      await t.close();
      await rx.close();
    }
  });
});
