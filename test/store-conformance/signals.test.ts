/** Conformance: signals for parked steps — one per step, durable, waking a parked execution, not lost while it runs. */
import { expect, it } from 'vitest';
import { acceptReq, forEachStore, type Subject } from './harness.js';

const LEASE = 10_000;

async function parkedRun(sub: Subject, dueIn: number) {
  const { executionId: id } = await sub.store.executions.accept(acceptReq(sub, sub.ids.next('flw')));
  const c = (await sub.store.executions.claimDue('w1', sub.clock.now(), LEASE, 10_000)).find((x) => x.id === id);
  if (!c) throw new Error('not claimed');
  return { id, fence: c.fence, park: () => sub.store.executions.commit(id, c.fence, {
    steps: [{ nodeId: 'approve', status: 'waiting', attempts: 1, dueAt: sub.clock.now() + dueIn }], attempts: [], durable: false,
    settle: { kind: 'park', dueAt: sub.clock.now() + dueIn } }) };
}

const dueAt = async (sub: Subject, id: string) => Number((await sub.query<{ due_at: number }>('SELECT due_at FROM executions WHERE id = ?', [id]))[0].due_at);

forEachStore('signals', (s) => {
  it('stores one signal per step; a second put is refused and keeps the first', async () => {
    const sub = s();
    const { id, park } = await parkedRun(sub, 60_000);
    await park();
    expect(await sub.store.signals.put({ executionId: id, nodeId: 'approve', payload: { body: { n: 1 } } }, sub.clock.now())).toBe(true);
    expect(await sub.store.signals.put({ executionId: id, nodeId: 'approve', payload: { body: { n: 2 } } }, sub.clock.now())).toBe(false);
    expect(await sub.store.signals.get(id, 'approve')).toEqual({ payload: { body: { n: 1 } }, receivedAt: sub.clock.now() });
    expect(await sub.store.signals.get(id, 'other')).toBeUndefined();
  });

  it('clear forgets a step\'s signal, so the next one can be stored', async () => {
    const sub = s();
    const { id, park } = await parkedRun(sub, 60_000);
    await park();
    await sub.store.signals.put({ executionId: id, nodeId: 'sub', payload: { g: 1 } }, sub.clock.now());
    await sub.store.signals.clear(id, 'sub');
    expect(await sub.store.signals.get(id, 'sub')).toBeUndefined();
    expect(await sub.store.signals.put({ executionId: id, nodeId: 'sub', payload: { g: 2 } }, sub.clock.now())).toBe(true);
    expect((await sub.store.signals.get(id, 'sub'))?.payload).toEqual({ g: 2 });
  });

  it('a put makes a parked execution due now, so any process claims it', async () => {
    const sub = s();
    const { id, park } = await parkedRun(sub, 60_000);
    await park();
    expect(await dueAt(sub, id)).toBe(sub.clock.now() + 60_000);
    const other = await sub.peer();
    expect(await other.signals.put({ executionId: id, nodeId: 'approve', payload: {} }, sub.clock.now())).toBe(true);
    expect(await dueAt(sub, id)).toBe(sub.clock.now());
    const claimed = await sub.store.executions.claimDue('w2', sub.clock.now(), LEASE, 10_000);
    expect(claimed.map((c) => c.id)).toContain(id);
  });

  it('a signal stored while the execution runs is not lost: wakeIfSignalled after parking makes it due', async () => {
    const sub = s();
    const { id, park } = await parkedRun(sub, 60_000);
    // Arrives while running: nothing to wake yet.
    expect(await sub.store.signals.put({ executionId: id, nodeId: 'approve', payload: {} }, sub.clock.now())).toBe(true);
    await park();
    expect(await dueAt(sub, id)).toBe(sub.clock.now() + 60_000);
    expect(await sub.store.signals.wakeIfSignalled(id, ['other'], sub.clock.now())).toBe(false);
    expect(await sub.store.signals.wakeIfSignalled(id, ['approve'], sub.clock.now())).toBe(true);
    expect(await dueAt(sub, id)).toBe(sub.clock.now());
  });

  it('signals go with their execution when retention deletes it', async () => {
    const sub = s();
    const { id, fence } = await parkedRun(sub, 60_000);
    await sub.store.signals.put({ executionId: id, nodeId: 'approve', payload: {} }, sub.clock.now());
    await sub.store.executions.finish(id, fence, 'succeeded');
    sub.clock.t += 1000;
    await sub.store.retention.pruneOlderThan(sub.clock.now(), 10_000);
    expect(await sub.store.signals.get(id, 'approve')).toBeUndefined();
  });
});
