/** Conformance: inventory and its ledger, captures and listen windows, endpoint health, retention, on both stores. */
import { expect, it } from 'vitest';
import type { CaptureRow, EndpointRow } from '../../server/store/types.js';
import { acceptReq, forEachStore } from './harness.js';

forEachStore('inventory and its ledger', (s) => {
  const dec = (executionId: string, items: Array<{ sku: string; qty: number }>, nodeId = 'stock') =>
    ({ operation: 'decrement' as const, allowNegative: false, executionId, nodeId, items });

  it('sets by hand (a movement each time), moves all or nothing, replays a repeat, never oversells', async () => {
    const { store } = s();
    expect(await store.inventory.put('MUG', { name: 'Mug', quantity: 5 }, 10)).toMatchObject({ created: true, item: { sku: 'MUG', name: 'Mug', quantity: 5, updatedAt: 10 } });
    expect(await store.inventory.put('MUG', { quantity: 5 }, 11)).toMatchObject({ created: false, item: { name: 'Mug', quantity: 5 } });
    await store.inventory.put('CAP', { quantity: 1 }, 12);
    expect(await store.inventory.apply(dec('exe_1', [{ sku: 'MUG', qty: 2 }, { sku: 'CAP', qty: 1 }]), 20))
      .toEqual({ ok: true, moves: [{ sku: 'MUG', before: 5, after: 3 }, { sku: 'CAP', before: 1, after: 0 }] });
    expect(await store.inventory.apply(dec('exe_1', [{ sku: 'MUG', qty: 2 }, { sku: 'CAP', qty: 1 }]), 21))
      .toEqual({ ok: true, moves: [{ sku: 'MUG', before: 5, after: 3 }, { sku: 'CAP', before: 1, after: 0 }] });
    expect(await store.inventory.apply(dec('exe_2', [{ sku: 'MUG', qty: 1 }, { sku: 'CAP', qty: 1 }]), 22))
      .toEqual({ ok: false, shortages: [{ sku: 'CAP', requested: 1, available: 0 }] });
    expect(await store.inventory.apply(dec('exe_3', [{ sku: 'NOPE', qty: 1 }]), 22)).toEqual({ ok: false, shortages: [{ sku: 'NOPE', requested: 1, available: null }] });
    expect((await store.inventory.get('MUG'))?.quantity).toBe(3);
    expect(await store.inventory.movementsOf('exe_1', 'stock')).toHaveLength(2);
    const mv = await store.inventory.movements('MUG', { limit: 2 });
    expect(mv.total).toBe(3);
    expect(mv.items.map((m) => [m.delta, m.executionId])).toEqual([[-2, 'exe_1'], [0, null]]);
    expect((await store.inventory.movements('MUG', { limit: 2, cursor: mv.nextCursor ?? undefined })).items.map((m) => m.delta)).toEqual([5]);
  });

  it('100 concurrent orders from two processes for 10 units sell exactly 10', async () => {
    const sub = s();
    const other = await sub.peer();
    await sub.store.inventory.put('LIMITED', { quantity: 10 }, 1);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) =>
      (i % 2 ? other : sub.store).inventory.apply(dec(`exe_o${i}`, [{ sku: 'LIMITED', qty: 1 }]), 2).catch((e: unknown) => ({ error: e }))));
    expect(results.filter((r) => 'ok' in r && r.ok)).toHaveLength(10);
    expect(results.filter((r) => 'error' in r)).toEqual([]);
    expect((await sub.store.inventory.get('LIMITED'))?.quantity).toBe(0);
    expect((await sub.store.inventory.movements('LIMITED', { limit: 200 })).total).toBe(11);
  });

  it('lists by sku with a case-insensitive search and a cursor', async () => {
    const { store } = s();
    for (const [sku, name] of [['qb-1', 'Quince'], ['qb-2', 'quokka food'], ['zz_9', 'Banana'], ['x%y', 'Percent']]) await store.inventory.put(sku, { name, quantity: 1 }, 1);
    expect((await store.inventory.list({ search: 'QU', limit: 10 })).items.map((i) => i.sku)).toEqual(['qb-1', 'qb-2']);
    expect((await store.inventory.list({ search: '%', limit: 10 })).items.map((i) => i.sku)).toEqual(['x%y']);
    expect((await store.inventory.list({ search: '_', limit: 10 })).items.map((i) => i.sku)).toEqual(['zz_9']);
    const p1 = await store.inventory.list({ search: 'q', limit: 1 });
    expect(p1.total).toBe(2);
    expect((await store.inventory.list({ search: 'q', limit: 1, cursor: p1.nextCursor ?? undefined })).items.map((i) => i.sku)).toEqual(['qb-2']);
  });
});

forEachStore('captures and listen windows', (s) => {
  const cap = (id: string, flowId: string): CaptureRow => ({
    id, flowId, receivedAt: 5, method: 'POST', query: 'a=1', headers: { 'x-a': '1' }, body: Buffer.from([0, 1, 2, 255]),
    signature: { ok: false, reason: 'bad', kind: 'hmac', preset: 'github' }, client: '127.0.0.1', live: true,
  });

  it('stores captures (binary bodies intact), keeps the newest per flow, follows the flow on delete', async () => {
    const { store, ids } = s();
    const flow = ids.next('flw');
    await store.flows.create(flow, { name: 'L', nodes: [], edges: [] }, { hash: `h-${flow}`, sealed: 's' });
    for (let i = 1; i <= 5; i++) expect(await store.captures.insert(cap(`cap_${i}`, flow), 3)).toBe(true);
    const page = await store.captures.list(flow, 2);
    expect(page).toMatchObject({ total: 3, nextCursor: 'cap_4' });
    expect(page.items[0]).toEqual(cap('cap_5', flow));
    expect((await store.captures.list(flow, 2, 'cap_4')).items.map((c) => c.id)).toEqual(['cap_3']);
    expect(await store.captures.get(flow, 'cap_1')).toBeUndefined();
    expect(await store.captures.insert(cap('cap_x', 'flw_gone'), 3)).toBe(false);
    expect(await store.captures.setWindow(flow, 1000)).toBe(true);
    expect(await store.captures.setWindow('flw_gone', 1000)).toBe(false);
    expect(await store.captures.openWindows(999)).toContainEqual({ flowId: flow, until: 1000 });
    expect(await store.captures.openWindows(1000)).not.toContainEqual({ flowId: flow, until: 1000 });
    await store.flows.delete(flow);
    expect(await store.captures.openWindows(0)).not.toContainEqual({ flowId: flow, until: 1000 });
    expect((await store.captures.list(flow, 10)).total).toBe(0);
  });
});

forEachStore('endpoint health', (s) => {
  const row = (id: string, origin: string, over: Partial<EndpointRow> = {}): EndpointRow => ({
    id, flowId: 'flw_a', url: `${origin}/orders/{{ input.id }}`, origin, failingSince: null, failures: 0, lastFailureAt: null, lastSuccessAt: null, lastStatus: null, lastError: null,
    disabledAt: null, disabledReason: null, createdAt: 1, updatedAt: 1, ...over,
  });

  it('read-modify-writes under a lock (per flow and URL template): 40 concurrent failures from two processes count 40', async () => {
    const sub = s();
    const other = await sub.peer();
    const origin = 'https://ep.example';
    const key = { flowId: 'flw_a', url: `${origin}/orders/{{ input.id }}` };
    await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? other : sub.store).endpoints.update(key,
      (prev) => ({ ...(prev ?? row('ep_1', origin)), failures: (prev?.failures ?? 0) + 1, failingSince: 7 }))));
    expect(await sub.store.endpoints.find(key)).toMatchObject({ id: 'ep_1', flowId: 'flw_a', url: key.url, failures: 40, failingSince: 7 });
    expect(await sub.store.endpoints.find({ flowId: 'flw_b', url: key.url })).toBeUndefined();
    await sub.store.endpoints.update({ flowId: '', url: origin }, () => row('ep_2', origin, { flowId: null, url: origin }));
    expect((await sub.store.endpoints.find({ flowId: '', url: origin }))?.flowId).toBeNull();
    await sub.store.endpoints.update(key, (prev) => ({ ...(prev as EndpointRow), disabledAt: 9, disabledReason: 'gone' }));
    expect((await sub.store.endpoints.list({ state: 'disabled', limit: 5 })).items.map((r) => r.id)).toEqual(['ep_1']);
    expect(await sub.store.endpoints.enable('ep_1', 10)).toMatchObject({ disabledAt: null, failures: 0, failingSince: null, updatedAt: 10 });
    expect(await sub.store.endpoints.enable('ep_none', 10)).toBeUndefined();
    expect((await sub.store.endpoints.list({ state: 'healthy', limit: 5 })).total).toBe(2);
    expect(await sub.store.endpoints.get('ep_1')).toMatchObject({ origin });
  });
});

forEachStore('retention', (s) => {
  it('prunes old finished executions (and events no execution uses), oldest first, leaving the rest', async () => {
    const sub = s();
    const flow = sub.ids.next('flw');
    const t0 = sub.clock.now();
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await sub.store.executions.accept(acceptReq(sub, flow))).executionId);
    const replayOfFirst = await sub.store.executions.accept({ ...acceptReq(sub, flow), envelope: (await sub.store.executions.get(ids[0]))!.trigger, existingEvent: true });
    const claimed = await sub.store.executions.claimDue('w', sub.clock.now(), 60_000, 10_000);
    for (const c of claimed) {
      if (c.id === ids[5]) continue; // stays running
      await sub.store.executions.finish(c.id, c.fence, 'succeeded');
    }
    sub.clock.t += 10_000;
    expect(await sub.store.retention.pruneOlderThan(t0 + 1, 3)).toBe(3);
    expect(await sub.store.retention.pruneOlderThan(t0 + 1, 10)).toBe(3);
    expect(await sub.store.executions.get(ids[5])).toBeDefined();
    expect(await sub.store.executions.get(ids[0])).toBeUndefined();
    expect(replayOfFirst.executionId).toBeDefined();
    const events = await sub.query<{ id: string }>('SELECT id FROM events WHERE flow_id = ?', [flow]);
    expect(events).toHaveLength(1);
    await sub.store.retention.compact();
  });

  it('prunes beyond a count, oldest finished first', async () => {
    const sub = s();
    const total = Number((await sub.query<{ n: number }>('SELECT count(*) AS n FROM executions'))[0].n);
    const flow = sub.ids.next('flw');
    for (let i = 0; i < 4; i++) await sub.store.executions.accept(acceptReq(sub, flow));
    for (const c of await sub.store.executions.claimDue('w', sub.clock.now(), 60_000, 10_000)) await sub.store.executions.finish(c.id, c.fence, 'failed');
    expect(await sub.store.retention.pruneBeyondCount(total + 1, 100)).toBe(3);
    expect(await sub.store.retention.pruneBeyondCount(total + 1, 100)).toBe(0);
  });
});
