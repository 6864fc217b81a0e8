/** Conformance: accepting (group-committed) with idempotency keys unique per webhook and window, leased accepts, replays. */
import { expect, it } from 'vitest';
import { acceptReq, forEachStore } from './harness.js';

const HOUR = 3_600_000;

forEachStore('accept', (s) => {
  it('stores the event and a queued execution, readable at once', async () => {
    const sub = s();
    const flow = sub.ids.next('flw');
    const req = acceptReq(sub, flow);
    const r = await sub.store.executions.accept(req);
    expect(r).toEqual({ executionId: expect.stringMatching(/^exe_/), duplicate: false });
    const e = await sub.store.executions.get(r.executionId);
    expect(e).toMatchObject({ flowId: flow, flowVersion: 1, status: 'queued', mode: 'async', eventId: req.envelope.eventId, steps: [], attempts: [] });
    expect(e?.trigger).toEqual(req.envelope);
  });

  it('a key seen within its window is a duplicate naming the first execution; other flows and expired keys are new', async () => {
    const sub = s();
    const [f1, f2] = [sub.ids.next('flw'), sub.ids.next('flw')];
    const key = { key: 'delivery-1', windowMs: HOUR };
    const first = await sub.store.executions.accept(acceptReq(sub, f1, { idempotency: key }));
    const again = await sub.store.executions.accept(acceptReq(sub, f1, { idempotency: key }));
    expect(again).toEqual({ executionId: first.executionId, duplicate: true });
    const otherFlow = await sub.store.executions.accept(acceptReq(sub, f2, { idempotency: key }));
    expect(otherFlow.duplicate).toBe(false);
    sub.clock.t += HOUR + 1;
    const later = await sub.store.executions.accept(acceptReq(sub, f1, { idempotency: key }));
    expect(later.duplicate).toBe(false);
    expect(later.executionId).not.toBe(first.executionId);
    const after = await sub.store.executions.accept(acceptReq(sub, f1, { idempotency: key }));
    expect(after).toEqual({ executionId: later.executionId, duplicate: true });
  });

  it('many concurrent accepts with the same key in one batch give exactly one execution', async () => {
    const sub = s();
    const flow = sub.ids.next('flw');
    const results = await Promise.all(Array.from({ length: 20 }, () =>
      sub.store.executions.accept(acceptReq(sub, flow, { idempotency: { key: 'same', windowMs: HOUR } }))));
    const fresh = results.filter((r) => !r.duplicate);
    expect(fresh).toHaveLength(1);
    expect(new Set(results.map((r) => r.executionId))).toEqual(new Set([fresh[0].executionId]));
    expect(await sub.query('SELECT id FROM executions WHERE flow_id = ?', [flow])).toHaveLength(1);
  });

  it('two processes accepting the same key at once give exactly one execution', async () => {
    const sub = s();
    const other = await sub.peer();
    const flow = sub.ids.next('flw');
    const req = () => acceptReq(sub, flow, { idempotency: { key: 'race', windowMs: HOUR } });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? other : sub.store).executions.accept(req())));
    const ids = new Set(results.map((r) => r.executionId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await sub.query('SELECT id FROM executions WHERE flow_id = ?', [flow])).toHaveLength(1);
  });

  it('a batch of different deliveries is stored whole; the queue depth counts them', async () => {
    const sub = s();
    const flow = sub.ids.next('flw');
    const before = sub.store.executions.queueDepth();
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      sub.store.executions.accept(acceptReq(sub, flow, { idempotency: i % 2 ? { key: `k${i}`, windowMs: HOUR } : undefined }))));
    expect(new Set(results.map((r) => r.executionId)).size).toBe(200);
    expect(await sub.query('SELECT id FROM executions WHERE flow_id = ?', [flow])).toHaveLength(200);
    expect(sub.store.executions.queueDepth()).toBe(before + 200);
  });

  it('claimFor inserts the execution already leased (fence 1) with its starting state', async () => {
    const sub = s();
    const flow = sub.ids.next('flw');
    const req = acceptReq(sub, flow, { claimFor: { owner: 'w-direct', leaseMs: 10_000 } });
    const r = await sub.store.executions.accept(req);
    expect(r).toMatchObject({ duplicate: false, fence: 1, state: { execution: { id: r.executionId, status: 'running' }, envelope: req.envelope, steps: [] } });
    const [row] = await sub.query<{ lease_owner: string; lease_until: number; fence: number; status: string }>(
      'SELECT lease_owner, lease_until, fence, status FROM executions WHERE id = ?', [r.executionId]);
    expect(row).toEqual({ lease_owner: 'w-direct', lease_until: sub.clock.now() + 10_000, fence: 1, status: 'running' });
  });

  it('a replay adds an execution on the stored event (existingEvent) without a second event row', async () => {
    const sub = s();
    const flow = sub.ids.next('flw');
    const req = acceptReq(sub, flow);
    const first = await sub.store.executions.accept(req);
    const replay = await sub.store.executions.accept({ ...req, mode: 'replay', replayOf: first.executionId, existingEvent: true });
    expect((await sub.store.executions.get(replay.executionId))).toMatchObject({ mode: 'replay', replayOf: first.executionId, eventId: req.envelope.eventId });
    expect(await sub.query('SELECT id FROM events WHERE id = ?', [req.envelope.eventId])).toHaveLength(1);
  });

  it('a replay of an event that is gone fails alone; the deliveries batched with it are stored', async () => {
    const sub = s();
    const flow = sub.ids.next('flw');
    const ghost = acceptReq(sub, flow, { mode: 'replay', existingEvent: true });
    const [bad, ok] = await Promise.allSettled([sub.store.executions.accept(ghost), sub.store.executions.accept(acceptReq(sub, flow))]);
    expect(bad.status).toBe('rejected');
    expect((bad as PromiseRejectedResult).reason.name).toBe('StoreUnavailable');
    expect(ok.status).toBe('fulfilled');
  });
});
