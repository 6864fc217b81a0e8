/** Conformance: the `rejected` status and the parked steps of a canceled execution (issue 11, part 3), on both stores. */
import { expect, it } from 'vitest';
import type { StepRecord } from '../../server/store/types.js';
import { acceptReq, forEachStore, type Subject } from './harness.js';

const LEASE = 10_000;

async function claimedRun(sub: Subject) {
  const flow = sub.ids.next('flw');
  const { executionId } = await sub.store.executions.accept(acceptReq(sub, flow));
  const claimed = await sub.store.executions.claimDue('w1', sub.clock.now(), LEASE, 10_000);
  const mine = claimed.find((c) => c.id === executionId);
  if (!mine) throw new Error('not claimed');
  return { flow, id: executionId, fence: mine.fence };
}

forEachStore('execution outcomes', (s) => {
  it('finishes an execution as rejected with its reason, lists it under ?status=rejected, and never resumes it', async () => {
    const sub = s();
    const { flow, id, fence } = await claimedRun(sub);
    const error = { code: 'validation_failed', message: 'rejected by check: /id is required', nodeId: 'check', details: [{ path: '/id', message: 'is required' }] };
    const steps: StepRecord[] = [{ nodeId: 'check', status: 'succeeded', port: 'invalid', attempts: 1 }, { nodeId: 'calc', status: 'skipped', attempts: 0, reason: 'not reached: check took `invalid`' }];
    await sub.store.executions.commit(id, fence, { steps, attempts: [], durable: false, settle: { kind: 'finish', status: 'rejected', error, response: { status: 400, headers: {}, body: { error } } } });
    const got = await sub.store.executions.get(id);
    expect(got).toMatchObject({ status: 'rejected', error });
    expect(got?.steps[1]).toEqual(steps[1]);
    expect((await sub.store.executions.list({ flowId: flow, status: 'rejected', limit: 10 })).items.map((x) => x.id)).toEqual([id]);
    expect((await sub.store.executions.list({ flowId: flow, status: 'succeeded', limit: 10 })).items).toEqual([]);
    expect(await sub.store.executions.cancel(id, sub.clock.now())).toBe('rejected');
    expect(await sub.store.executions.resume(id, sub.clock.now())).toBe('not_resumable');
    expect(sub.store.executions.flowLoad(flow)).toEqual({ queued: 0, waiting: 0 });
  });

  it('cancel ends the parked steps as canceled with the reason and drops their due time', async () => {
    const sub = s();
    const { id, fence } = await claimedRun(sub);
    const due = sub.clock.now() + 60_000;
    await sub.store.executions.commit(id, fence, {
      steps: [{ nodeId: 'a', status: 'succeeded', port: 'out', attempts: 1 }, { nodeId: 'mail', status: 'retrying', attempts: 2, dueAt: due, error: { code: 'smtp_transient', message: '451' } }, { nodeId: 'pause', status: 'waiting', attempts: 1, dueAt: due }],
      attempts: [], durable: false, settle: { kind: 'park', dueAt: due },
    });
    expect(await sub.store.executions.cancel(id, sub.clock.now())).toBe('canceled');
    const got = await sub.store.executions.get(id);
    expect(got?.steps.map((x) => [x.nodeId, x.status, x.dueAt, x.reason])).toEqual([
      ['a', 'succeeded', undefined, undefined],
      ['mail', 'canceled', undefined, 'canceled: the execution was canceled'],
      ['pause', 'canceled', undefined, 'canceled: the execution was canceled'],
    ]);
    expect(got?.steps[1].error?.code).toBe('canceled');
  });

  it('finish from outside the runner (a poisoned execution) also ends parked steps as canceled', async () => {
    const sub = s();
    const { id, fence } = await claimedRun(sub);
    await sub.store.executions.commit(id, fence, { steps: [{ nodeId: 'mail', status: 'retrying', attempts: 1, dueAt: sub.clock.now() + 5000 }], attempts: [], durable: false });
    await sub.store.executions.finish(id, fence, 'failed', { code: 'internal_error', message: 'boom' });
    const got = await sub.store.executions.get(id);
    expect(got?.status).toBe('failed');
    expect(got?.steps[0]).toMatchObject({ nodeId: 'mail', status: 'canceled', reason: 'canceled: the execution failed (internal_error)' });
  });
});
