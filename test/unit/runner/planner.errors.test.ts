// Planner after failures and parked steps: the error port, execution failure, retries and waits coming due, done.
import { describe, expect, it } from 'vitest';
import { buildGraph, plan, type Graph, type StepView } from '../../../server/runner/planner.js';
import type { FlowInput } from '../../../server/flows/flow-doc.js';
import { aFlow } from '../../helpers/builders.js';

const NOW = 1_000_000;
const graphOf = (f: FlowInput): Graph => buildGraph(f.nodes.map((n) => n.id), f.edges, f.nodes[0].id);
const ok = (output: unknown, port = 'out'): StepView => ({ status: 'succeeded', port, output });
const failed: StepView = { status: 'failed' };
const routed = (output: unknown): StepView => ({ status: 'failed', port: 'error', output });
const parked = (status: 'retrying' | 'waiting', dueAt?: number): StepView => ({ status, dueAt });
/** Steps by node id (an absent or undefined entry = the node has not run). */
const planFor = (g: Graph, steps: Partial<Record<string, StepView>>) =>
  plan(g, new Map(Object.entries(steps).filter((kv): kv is [string, StepView] => kv[1] !== undefined)), NOW);

describe('the error port: hook → call -out→ next, call -error→ handler', () => {
  const g = graphOf(aFlow()
    .trigger('hook').node('call', 'http').node('next', 'transform').node('handler', 'transform')
    .edge('hook', 'call').edge('call', 'next').edge('call', 'handler', 'error')
    .build());
  const errOut = { error: { code: 'http_503', message: 'down', attempts: 3 }, input: { a: 1 } };

  it('runs the handler with the routed failure and skips the out branch; the execution goes on', () => {
    const p = planFor(g, { hook: ok({}), call: routed(errOut) });
    expect(p.ready).toEqual([{ nodeId: 'handler', input: errOut }]);
    expect(p.skipped).toEqual(['next']);
    expect(p.failedNodeId).toBeUndefined();
  });

  it('skips the handler when the node succeeded', () => {
    const p = planFor(g, { hook: ok({}), call: ok({ status: 200 }) });
    expect(p.ready).toEqual([{ nodeId: 'next', input: { status: 200 } }]);
    expect(p.skipped).toEqual(['handler']);
  });

  it('is done, not failed, once the handler finished', () => {
    const p = planFor(g, { hook: ok({}), call: routed(errOut), next: { status: 'skipped' }, handler: ok(1) });
    expect(p).toMatchObject({ ready: [], done: true });
    expect(p.failedNodeId).toBeUndefined();
  });
});

describe('a failure with nowhere to go', () => {
  const g = graphOf(aFlow()
    .trigger('hook').node('a', 'transform').node('b', 'transform').node('side', 'transform').node('c', 'transform')
    .chain('hook', 'a', 'b').edge('hook', 'side').edge('side', 'c')
    .build());

  it.each([
    { name: 'a failed step without a port', steps: { hook: ok({}), a: failed }, failedNodeId: 'a' },
    { name: 'a failed step with another port', steps: { hook: ok({}), a: { status: 'failed', port: 'out' } as StepView }, failedNodeId: 'a' },
    { name: 'the trigger failing', steps: { hook: failed }, failedNodeId: 'hook' },
    { name: 'two failures (the first in order)', steps: { hook: ok({}), a: failed, side: failed }, failedNodeId: 'a' },
    { name: 'a failure deeper down', steps: { hook: ok({}), a: ok(1), side: ok(2), b: failed }, failedNodeId: 'b' },
  ])('$name fails the execution at $failedNodeId', ({ steps, failedNodeId }) => {
    expect(planFor(g, steps).failedNodeId).toBe(failedNodeId);
  });

  it('never makes a successor of the failed node ready', () => {
    const p = planFor(g, { hook: ok({}), a: failed });
    expect(p.ready.map((r) => r.nodeId)).not.toContain('b');
  });

  it('trusts a step routed to error: without an error edge its successors are skipped, not failed', () => {
    const p = planFor(g, { hook: ok({}), a: routed({ error: {} }) });
    expect(p.failedNodeId).toBeUndefined();
    expect(p.skipped).toContain('b');
  });
});

describe('retrying and waiting steps', () => {
  const g = graphOf(aFlow()
    .trigger('hook').node('a', 'http').node('b', 'delay').node('c', 'transform')
    .edge('hook', 'a').edge('hook', 'b').edge('a', 'c').edge('b', 'c')
    .build());
  const hook = ok({ body: 'T' });

  it.each([
    { name: 'a retry due in the past', step: parked('retrying', NOW - 1) },
    { name: 'a retry due exactly now', step: parked('retrying', NOW) },
    { name: 'a retry without a due time', step: parked('retrying') },
    { name: 'a wait that has ended', step: parked('waiting', NOW - 10) },
  ])('runs $name again with its input recomputed from upstream', ({ step }) => {
    const p = planFor(g, { hook, a: step, b: ok('B') });
    expect(p.ready).toEqual([{ nodeId: 'a', input: { body: 'T' } }]);
    expect(p.nextDueAt).toBeUndefined();
    expect(p.done).toBe(false);
  });

  it.each([
    { name: 'a retry', step: parked('retrying', NOW + 500) },
    { name: 'a wait', step: parked('waiting', NOW + 500) },
  ])('parks $name that is not due yet and reports when it is', ({ step }) => {
    const p = planFor(g, { hook, a: step, b: ok('B') });
    expect(p).toMatchObject({ ready: [], skipped: [], nextDueAt: NOW + 500, done: false });
  });

  it('reports the earliest of several due times', () => {
    const p = planFor(g, { hook, a: parked('retrying', NOW + 900), b: parked('waiting', NOW + 300) });
    expect(p.ready).toEqual([]);
    expect(p.nextDueAt).toBe(NOW + 300);
  });

  it('runs what is due and reports when the rest will be', () => {
    const p = planFor(g, { hook, a: parked('retrying', NOW - 1), b: parked('waiting', NOW + 300) });
    expect(p.ready.map((r) => r.nodeId)).toEqual(['a']);
    expect(p.nextDueAt).toBe(NOW + 300);
  });

  it('recomputes a join\'s keyed input when its retry comes due', () => {
    const p = planFor(g, { hook, a: ok('A'), b: ok('B'), c: parked('retrying', NOW) });
    expect(p.ready).toEqual([{ nodeId: 'c', input: { a: 'A', b: 'B' } }]);
  });

  it('gives a due trigger retry no input', () => {
    expect(planFor(g, { hook: parked('retrying', NOW) }).ready).toEqual([{ nodeId: 'hook', input: undefined }]);
  });

  it('is not done while anything is parked', () => {
    expect(planFor(g, { hook, a: ok('A'), b: ok('B'), c: parked('waiting', NOW + 1) }).done).toBe(false);
  });
});

describe('done', () => {
  const g = graphOf(aFlow().trigger('hook').node('a', 'transform').node('b', 'transform').chain('hook', 'a', 'b').build());

  it.each([
    { name: 'nothing has run', steps: {}, done: false },
    { name: 'the last node has not run', steps: { hook: ok(0), a: ok(1) }, done: false },
    { name: 'every node succeeded', steps: { hook: ok(0), a: ok(1), b: ok(2) }, done: true },
    { name: 'the rest was skipped', steps: { hook: ok(0), a: ok(1, 'other'), b: { status: 'skipped' } as StepView }, done: true },
    { name: 'the rest is skipped by this plan', steps: { hook: ok(0), a: ok(1, 'other') }, done: true },
    { name: 'the last node failed', steps: { hook: ok(0), a: ok(1), b: failed }, done: true },
    { name: 'the last node is retrying', steps: { hook: ok(0), a: ok(1), b: parked('retrying', NOW + 1) }, done: false },
  ])('is $done when $name', ({ steps, done }) => {
    expect(planFor(g, steps).done).toBe(done);
  });
});
