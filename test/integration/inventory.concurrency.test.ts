import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { createInventory } from '../../server/inventory/index.js';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(async () => { await t.close(); });

interface Step { nodeId: string; status: string; port?: string; output?: Record<string, unknown> }

describe('inventory under concurrent orders (real server, real HTTP, real SQLite)', () => {
  it('100 concurrent webhooks for 10 units: exactly 10 ok, 90 insufficient, stock 0, 10 movements; a re-apply moves nothing', async () => {
    expect((await t.api('PUT', '/api/inventory/LIMITED', { name: 'Limited edition', quantity: 10 })).status).toBe(201);
    const f = await activeFlow(t, [
      { id: 'hook', type: 'webhook', params: {} },
      { id: 'stock', type: 'inventory', params: { operation: 'decrement', itemsPath: 'input.body.items' } },
    ], [{ from: 'hook', to: 'stock' }]);

    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) =>
      post(f.hook, JSON.stringify({ order: i, items: [{ sku: 'LIMITED', qty: 1 }] })).then(async (r) => ({ status: r.status, body: await r.json() }))));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    const executions = await Promise.all(answers.map((a) => finished(t, a.body.executionId, 60_000)));
    expect(executions.every((e) => e.status === 'succeeded')).toBe(true);

    const stockSteps = executions.map((e) => (e.steps as Step[]).find((s) => s.nodeId === 'stock') as Step);
    const ok = stockSteps.filter((s) => s.port === 'ok');
    const short = stockSteps.filter((s) => s.port === 'insufficient');
    expect(ok).toHaveLength(10);
    expect(short).toHaveLength(90);
    expect(short[0].output).toMatchObject({ shortages: [{ sku: 'LIMITED', requested: 1, available: 0 }] });
    expect(ok.map((s) => (s.output?.inventory as Array<{ after: number }>)[0].after).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    expect((await t.api('GET', '/api/inventory/LIMITED')).body.quantity).toBe(0);
    const mv = await t.api('GET', '/api/inventory/LIMITED/movements?limit=200');
    const byRuns = mv.body.items.filter((m: { executionId: string | null }) => m.executionId !== null);
    expect(byRuns).toHaveLength(10);
    expect(new Set(byRuns.map((m: { executionId: string }) => m.executionId)).size).toBe(10);

    // The same step applied again (a retry, resume or replay of it) returns the recorded result and moves nothing.
    const winner = executions[stockSteps.indexOf(ok[0])];
    const { port } = createInventory(t.app.store.inventory, { now: () => Date.now() });
    const again = await port.apply({ operation: 'decrement', items: [{ sku: 'LIMITED', qty: 1 }], allowNegative: false, executionId: winner.id, nodeId: 'stock' });
    expect(again).toEqual({ ok: true, moves: ok[0].output?.inventory });
    expect((await t.api('GET', '/api/inventory/LIMITED')).body.quantity).toBe(0);
    expect((await t.api('GET', '/api/inventory/LIMITED/movements?limit=200')).body.total).toBe(11);
  }, 90_000);
});
