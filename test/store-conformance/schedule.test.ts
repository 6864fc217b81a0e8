/** Conformance: schedule slots, and the scheduler on two processes sharing one store firing each slot once. */
import { expect, it } from 'vitest';
import { forEachStore, type Subject } from './harness.js';
import { createScheduler } from '../../server/runner/scheduler.js';
import type { Store } from '../../server/store/types.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const tok = (n: string) => ({ hash: `hash-${n}`, sealed: `sealed-${n}` });

async function scheduledFlow(sub: Subject, params: Record<string, unknown>): Promise<string> {
  const id = sub.ids.next('flw');
  await sub.store.flows.create(id, { name: 's', active: true, nodes: [{ id: 'tick', type: 'schedule', params }], edges: [] }, tok(id));
  return id;
}

const schedulerOn = (sub: Subject, store: Store, graceMs = 30_000) =>
  createScheduler({ store, clock: sub.clock, ids: sub.ids, log: silent, wake: () => undefined, refreshMs: 0, graceMs });

const runsOf = async (sub: Subject, flowId: string) =>
  (await sub.query<{ id: string; mode: string; body: string }>(
    `SELECT x.id, x.mode, v.envelope AS body FROM executions x JOIN events v ON v.id = x.event_id WHERE x.flow_id = ? ORDER BY x.created_at`, [flowId]))
    .map((r) => ({ id: r.id, mode: r.mode, body: JSON.parse(r.body).body as { slot: string; late: boolean } }));

forEachStore('schedules', (s) => {
  it('records a slot once per flow and keeps the newest', async () => {
    const { store, clock } = s();
    expect(await store.schedules.lastSlot('flw_a')).toBeUndefined();
    expect(await store.schedules.record('flw_a', 1000, 'exe_1', clock.now())).toBe(true);
    expect(await store.schedules.record('flw_a', 1000, 'exe_2', clock.now())).toBe(false);
    expect(await store.schedules.record('flw_a', 3000, null, clock.now())).toBe(true);
    expect(await store.schedules.record('flw_b', 9000, null, clock.now())).toBe(true);
    expect(await store.schedules.lastSlot('flw_a')).toBe(3000);
    expect(await store.schedules.recent('flw_a', 10)).toEqual([{ slot: 3000, firedAt: clock.now() }, { slot: 1000, executionId: 'exe_1', firedAt: clock.now() }]);
    for (let i = 0; i < 120; i++) await store.schedules.record('flw_c', i, null, clock.now());
    expect((await store.schedules.recent('flw_c', 1000)).length).toBe(101);
  });

  it('two processes on one store fire every slot exactly once', async () => {
    const sub = s();
    const other = await sub.peer();
    const flow = await scheduledFlow(sub, { intervalSec: 10 });
    const a = schedulerOn(sub, sub.store);
    const b = schedulerOn(sub, other);
    await Promise.all([a.tick(), b.tick()]); // first sight: the count starts now, nothing fires
    expect(await runsOf(sub, flow)).toEqual([]);
    for (let i = 0; i < 12; i++) {
      sub.clock.t += 5_000;
      await Promise.all([a.tick(), b.tick(), a.tick()]);
    }
    const runs = await runsOf(sub, flow);
    expect(runs.length).toBe(6);
    expect(new Set(runs.map((r) => r.body.slot)).size).toBe(6);
    expect(runs.every((r) => r.mode === 'schedule' && r.body.late === false)).toBe(true);
  });

  it('slots missed while down run once on start, marked late, or are skipped, by choice', async () => {
    const sub = s();
    sub.clock.t = Math.ceil(sub.clock.t / 60_000) * 60_000 + 1000; // a second past a minute slot
    const once = await scheduledFlow(sub, { intervalSec: 60, missed: 'run-once' });
    const skip = await scheduledFlow(sub, { intervalSec: 60, missed: 'skip' });
    await schedulerOn(sub, sub.store).tick();
    sub.clock.t += 60 * 60_000 + 45_000; // an hour and a bit later: sixty slots passed, the last 45 s ago
    const restarted = schedulerOn(sub, sub.store);
    await restarted.tick();
    await restarted.tick();
    const late = await runsOf(sub, once);
    expect(late).toHaveLength(1);
    expect(late[0].body.late).toBe(true);
    expect(await runsOf(sub, skip)).toEqual([]);
    sub.clock.t += 15_000; // the next slot, on time: both run it
    await restarted.tick();
    expect((await runsOf(sub, once)).length).toBe(2);
    expect((await runsOf(sub, skip)).map((r) => r.body.late)).toEqual([false]);
  });

  it('inactive flows and flows without a schedule fire nothing', async () => {
    const sub = s();
    const id = sub.ids.next('flw');
    await sub.store.flows.create(id, { name: 'off', active: false, nodes: [{ id: 'tick', type: 'schedule', params: { intervalSec: 1 } }], edges: [] }, tok(id));
    const sch = schedulerOn(sub, sub.store);
    await sch.tick();
    sub.clock.t += 5000;
    await sch.tick();
    expect(await runsOf(sub, id)).toEqual([]);
  });
});
