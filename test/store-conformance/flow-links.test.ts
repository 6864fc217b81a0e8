/** Conformance: flow settings and notes kept per version; executions linked to the step that started them. */
import { expect, it } from 'vitest';
import { acceptReq, forEachStore } from './harness.js';

const tok = (n: string) => ({ hash: `hash-${n}`, sealed: `sealed-${n}` });
const nodes = [{ id: 'hook', type: 'webhook', params: {} }];

forEachStore('flow settings and execution links', (s) => {
  it('keeps settings and notes with each saved version, and drops them when a version has none', async () => {
    const { store, ids } = s();
    const id = ids.next('flw');
    const notes = [{ id: 'n1', text: 'hi', position: { x: 1, y: 2 } }];
    const created = await store.flows.create(id, { name: 'A', nodes, edges: [], notes, settings: { onError: 'flw_alert' } }, tok(id));
    expect(created).toMatchObject({ settings: { onError: 'flw_alert' }, notes });
    const v2 = await store.flows.update(id, { name: 'A', nodes, edges: [] });
    expect(v2?.settings).toBeUndefined();
    expect(v2?.notes).toBeUndefined();
    expect(await store.flows.getVersion(id, 1)).toMatchObject({ version: 1, settings: { onError: 'flw_alert' }, notes });
    const again = await store.flows.getVersion(id, 2);
    expect(again?.settings).toBeUndefined();
    expect(again?.notes).toBeUndefined();
  });

  it('records the parent step of an execution and lists a parent\'s children, oldest first', async () => {
    const sub = s();
    const { executionId: parent } = await sub.store.executions.accept(acceptReq(sub, sub.ids.next('flw')));
    const child = sub.ids.next('flw');
    const a = await sub.store.executions.accept(acceptReq(sub, child, { mode: 'call', parent: { executionId: parent, nodeId: 'charge' } }));
    sub.clock.t += 1;
    const b = await sub.store.executions.accept(acceptReq(sub, child, { mode: 'error', parent: { executionId: parent, nodeId: 'ship' }, claimFor: { owner: 'w1', leaseMs: 1000 } }));
    expect(b.state?.execution.parent).toEqual({ executionId: parent, nodeId: 'ship' });
    expect((await sub.store.executions.get(a.executionId))?.parent).toEqual({ executionId: parent, nodeId: 'charge' });
    expect((await sub.store.executions.get(parent))?.parent).toBeUndefined();
    const kids = await sub.store.executions.children(parent, 10);
    expect(kids.map((k) => [k.id, k.mode, k.parent?.nodeId])).toEqual([[a.executionId, 'call', 'charge'], [b.executionId, 'error', 'ship']]);
    expect(await sub.store.executions.children(a.executionId, 10)).toEqual([]);
    expect((await sub.store.executions.children(parent, 10, 'ship')).map((k) => k.id)).toEqual([b.executionId]);
    expect(await sub.store.executions.children(parent, 10, 'nope')).toEqual([]);
    expect((await sub.store.executions.loadRun(a.executionId))?.execution.parent).toEqual({ executionId: parent, nodeId: 'charge' });
  });
});
