/** Conformance: claiming with leases and fencing, steps and attempts, parking and waking, cancel, resume, history. */
import { expect, it } from 'vitest';
import { LeaseLost, type StepRecord } from '../../server/store/types.js';
import { acceptReq, forEachStore, type Subject } from './harness.js';

const LEASE = 10_000;
const step = (nodeId: string, over: Partial<StepRecord> = {}): StepRecord => ({ nodeId, status: 'succeeded', attempts: 1, output: { v: nodeId }, ...over });

/** Accepts `n` executions of a fresh flow and claims them all for `owner`. */
async function claimedRun(sub: Subject, owner = 'w1') {
  const flow = sub.ids.next('flw');
  const { executionId } = await sub.store.executions.accept(acceptReq(sub, flow));
  const claimed = await sub.store.executions.claimDue(owner, sub.clock.now(), LEASE, 10_000);
  const mine = claimed.find((c) => c.id === executionId);
  if (!mine) throw new Error('not claimed');
  return { flow, id: executionId, fence: mine.fence };
}

forEachStore('claims, leases and fencing', (s) => {
  it('claims due work once: two workers (processes) racing for 60 executions never share one', async () => {
    const sub = s();
    const other = await sub.peer();
    const flow = sub.ids.next('flw');
    const ids = await Promise.all(Array.from({ length: 60 }, () => sub.store.executions.accept(acceptReq(sub, flow)).then((r) => r.executionId)));
    const want = new Set(ids);
    const got: string[] = [];
    const worker = async (st: typeof sub.store, owner: string) => {
      for (let i = 0; i < 50; i++) {
        const c = await st.executions.claimDue(owner, sub.clock.now(), LEASE, 7);
        got.push(...c.map((x) => x.id).filter((id) => want.has(id)));
        if (c.length === 0) break;
      }
    };
    await Promise.all([worker(sub.store, 'a'), worker(other, 'b'), worker(sub.store, 'c')]);
    expect(got.sort()).toEqual([...want].sort());
    const rows = await sub.query<{ status: string; fence: number }>(`SELECT status, fence FROM executions WHERE flow_id = ?`, [flow]);
    expect(rows.every((r) => r.status === 'running' && r.fence === 1)).toBe(true);
  });

  it('commits steps and attempts under the fence; a stale fence after an expired lease is refused', async () => {
    const sub = s();
    const { id, fence } = await claimedRun(sub);
    await sub.store.executions.commit(id, fence, { steps: [step('a')], attempts: [{ nodeId: 'a', attempt: 1, status: 'succeeded', startedAt: 1, endedAt: 2, output: { big: 'x'.repeat(70_000) } }], durable: true });
    const run = await sub.store.executions.loadRun(id);
    expect(run?.steps).toEqual([step('a')]);
    expect(run?.attempts[0].output).toEqual({ truncated: true, bytes: 70_010 });
    sub.clock.t += LEASE + 1;
    const again = await sub.store.executions.claimDue('w2', sub.clock.now(), LEASE, 10_000);
    const taken = again.find((c) => c.id === id);
    expect(taken?.fence).toBe(fence + 1);
    await expect(sub.store.executions.commit(id, fence, { steps: [step('a'), step('late')], attempts: [], durable: false }))
      .rejects.toBeInstanceOf(LeaseLost);
    await expect(sub.store.executions.finish(id, fence, 'succeeded')).rejects.toBeInstanceOf(LeaseLost);
    expect((await sub.store.executions.get(id))?.steps.map((x) => x.nodeId)).toEqual(['a']);
    await sub.store.executions.commit(id, fence + 1, { steps: [step('a'), step('b')], attempts: [], durable: false, settle: { kind: 'finish', status: 'succeeded', response: { status: 201, headers: {}, body: { ok: 1 } } } });
    expect(await sub.store.executions.get(id)).toMatchObject({ status: 'succeeded', finishedAt: sub.clock.now(), response: { status: 201, body: { ok: 1 } } });
  });

  it('in one batch of writes a stale fence fails only its own write', async () => {
    const sub = s();
    const a = await claimedRun(sub);
    const b = await claimedRun(sub);
    const [ra, rb] = await Promise.allSettled([
      sub.store.executions.commit(a.id, a.fence + 5, { steps: [step('x')], attempts: [], durable: false }),
      sub.store.executions.commit(b.id, b.fence, { steps: [step('y')], attempts: [], durable: false }),
    ]);
    expect(ra.status).toBe('rejected');
    expect(rb.status).toBe('fulfilled');
    expect((await sub.store.executions.get(b.id))?.steps).toEqual([step('y')]);
  });

  it('renewing keeps a lease; releasing lets any worker claim at once', async () => {
    const sub = s();
    const { id } = await claimedRun(sub, 'w-renew');
    sub.clock.t += LEASE - 1000;
    await sub.store.executions.renewLeases('w-renew', [id], sub.clock.now() + LEASE);
    sub.clock.t += 2000;
    expect((await sub.store.executions.claimDue('thief', sub.clock.now(), LEASE, 10_000)).map((c) => c.id)).not.toContain(id);
    await sub.store.executions.renewLeases('someone-else', [id], sub.clock.now() + 10 * LEASE);
    await sub.store.executions.releaseLeases('w-renew');
    expect((await sub.store.executions.claimDue('w-next', sub.clock.now(), LEASE, 10_000)).map((c) => c.id)).toContain(id);
  });

  it('parks as waiting until due (nextDueAt tells when), then wakes for any claimer', async () => {
    const sub = s();
    const { id, fence } = await claimedRun(sub);
    const due = sub.clock.now() + 60_000;
    await sub.store.executions.commit(id, fence, { steps: [step('a'), step('wait', { status: 'waiting', dueAt: due })], attempts: [], durable: false, settle: { kind: 'park', dueAt: due } });
    expect(await sub.store.executions.get(id)).toMatchObject({ status: 'waiting', dueAt: due });
    expect(await sub.store.executions.nextDueAt()).toBeLessThanOrEqual(due);
    expect((await sub.store.executions.claimDue('w', sub.clock.now(), LEASE, 10_000)).map((c) => c.id)).not.toContain(id);
    sub.clock.t = due;
    const woke = (await sub.store.executions.claimDue('w', sub.clock.now(), LEASE, 10_000)).find((c) => c.id === id);
    expect(woke?.fence).toBe(fence + 1);
    const run = await sub.store.executions.loadRun(id);
    expect(run?.execution.status).toBe('running');
    expect(run?.steps.map((x) => x.status)).toEqual(['succeeded', 'waiting']);
  });

  it('cancel moves the fence (the worker loses its lease) and is final; resume re-queues keeping succeeded steps (skipped ones are decided again)', async () => {
    const sub = s();
    const { id, fence } = await claimedRun(sub);
    await sub.store.executions.commit(id, fence, { steps: [step('a'), step('b', { status: 'failed', error: { code: 'x', message: 'y' } }), step('c', { status: 'skipped' })], attempts: [], durable: false });
    expect(await sub.store.executions.cancel(id, sub.clock.now())).toBe('canceled');
    await expect(sub.store.executions.commit(id, fence, { steps: [], attempts: [], durable: true })).rejects.toBeInstanceOf(LeaseLost);
    expect(await sub.store.executions.cancel(id, sub.clock.now())).toBe('canceled');
    expect(await sub.store.executions.cancel('exe_unknown', sub.clock.now())).toBeUndefined();
    expect(await sub.store.executions.resume(id, sub.clock.now())).toBe('resumed');
    const back = await sub.store.executions.get(id);
    expect(back).toMatchObject({ status: 'queued', finishedAt: undefined, error: undefined });
    expect(back?.steps.map((x) => x.nodeId)).toEqual(['a']);
    expect(await sub.store.executions.resume(id, sub.clock.now())).toBe('not_resumable');
    expect(await sub.store.executions.resume('exe_unknown', sub.clock.now())).toBeUndefined();
    const c = (await sub.store.executions.claimDue('w', sub.clock.now(), LEASE, 10_000)).find((x) => x.id === id);
    expect(c?.fence).toBe(fence + 3);
  });

  it('lists history newest first with flow, status and time filters, a cursor and a total', async () => {
    const sub = s();
    const flow = sub.ids.next('flw');
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      sub.clock.t += 1000;
      made.push((await sub.store.executions.accept(acceptReq(sub, flow))).executionId);
    }
    const p1 = await sub.store.executions.list({ flowId: flow, limit: 4 });
    expect(p1.total).toBe(7);
    expect(p1.items.map((e) => e.id)).toEqual(made.slice(3).reverse());
    const p2 = await sub.store.executions.list({ flowId: flow, limit: 4, cursor: p1.nextCursor ?? undefined });
    expect(p2.items.map((e) => e.id)).toEqual(made.slice(0, 3).reverse());
    expect(p2.nextCursor).toBeNull();
    const since = await sub.store.executions.list({ flowId: flow, since: sub.clock.now() - 2500, limit: 10 });
    expect(since.items).toHaveLength(3);
    const until = await sub.store.executions.list({ flowId: flow, until: sub.clock.now() - 2500, limit: 10 });
    expect(until.total).toBe(4);
    expect((await sub.store.executions.list({ flowId: flow, status: 'queued', limit: 1 })).total).toBe(7);
    expect((await sub.store.executions.list({ flowId: flow, status: 'failed', limit: 1 })).total).toBe(0);
    expect(await sub.store.executions.oldestQueuedAt()).toBeLessThanOrEqual(sub.clock.now());
  });

  it('lists each run with a peek at its trigger (method, headers, the body\'s first 120 characters) and its recorded answer', async () => {
    const sub = s();
    const flow = sub.ids.next('flw');
    const bodies: unknown[] = [{ items: 'x'.repeat(300), n: 1 }, 'plain text body', null];
    for (const body of bodies) {
      sub.clock.t += 1000;
      const req = acceptReq(sub, flow);
      await sub.store.executions.accept({ ...req, envelope: { ...req.envelope, method: 'PUT', headers: { 'x-a': '1' }, body } });
    }
    const page = await sub.store.executions.list({ flowId: flow, limit: 10 });
    expect(page.items.map((e) => e.trigger)).toEqual([
      { method: 'PUT', headers: { 'x-a': '1' } },
      { method: 'PUT', headers: { 'x-a': '1' }, bodyPreview: 'plain text body' },
      { method: 'PUT', headers: { 'x-a': '1' }, bodyPreview: JSON.stringify(bodies[0]).slice(0, 120) },
    ]);
    const id = page.items[0].id;
    await sub.store.executions.recordAnswer(id, { status: 201, headers: { 'x-b': '2' }, body: { ok: true }, at: 5 });
    expect((await sub.store.executions.get(id))?.answer).toEqual({ status: 201, headers: { 'x-b': '2' }, body: { ok: true }, at: 5 });
  });

  it('prunes idempotency keys by their own expiry', async () => {
    const sub = s();
    const flow = sub.ids.next('flw');
    await sub.store.executions.accept(acceptReq(sub, flow, { idempotency: { key: 'short', windowMs: 1000 } }));
    await sub.store.executions.accept(acceptReq(sub, flow, { idempotency: { key: 'long', windowMs: 1_000_000 } }));
    sub.clock.t += 2000;
    expect(await sub.store.executions.pruneIdempotencyKeys(sub.clock.now())).toBeGreaterThanOrEqual(1);
    expect(await sub.query('SELECT key FROM idempotency_keys WHERE flow_id = ?', [flow])).toEqual([{ key: 'long' }]);
  });
});
