// Planner with the flow nodes of issue 15: several ports at once (switch), joins (merge), item loops (split/aggregate).
import { describe, expect, it } from 'vitest';
import { buildGraph, plan, type Graph, type GraphEdge, type LoopSpec, type StepView } from '../../../server/runner/planner.js';
import { findLoops } from '../../../server/runner/items.js';

const NOW = 1_000_000;
const ok = (output: unknown, port = 'out', ports?: string[]): StepView => ({ status: 'succeeded', port, output, ...(ports ? { ports } : {}) });
const failed = (code = 'boom'): StepView => ({ status: 'failed', error: { code, message: code } });
const planFor = (g: Graph, steps: Record<string, StepView>) => plan(g, new Map(Object.entries(steps)), NOW);
const ids = (p: { ready: Array<{ nodeId: string }> }) => p.ready.map((r) => r.nodeId);

describe('a switch emitting on several ports', () => {
  const g = buildGraph(['hook', 'sw', 'a', 'b', 'c'], [
    { from: 'hook', to: 'sw' }, { from: 'sw', fromPort: 'x', to: 'a' }, { from: 'sw', fromPort: 'y', to: 'b' }, { from: 'sw', fromPort: 'default', to: 'c' },
  ], 'hook');
  it('runs the nodes on every port emitted and skips the others', () => {
    const p = planFor(g, { hook: ok({}), sw: ok(1, 'x', ['x', 'y']) });
    expect(ids(p)).toEqual(['a', 'b']);
    expect(p.skipped).toEqual(['c']);
  });
});

describe('merge joins', () => {
  const edges: GraphEdge[] = [{ from: 'hook', to: 'cond' }, { from: 'cond', fromPort: 'true', to: 'a' }, { from: 'cond', fromPort: 'false', to: 'b' },
    { from: 'hook', to: 'c' }, { from: 'a', to: 'm' }, { from: 'b', to: 'm' }, { from: 'c', to: 'm' }];
  const nodes = ['hook', 'cond', 'a', 'b', 'c', 'm'];
  const all = buildGraph(nodes, edges, 'hook', { joins: new Map([['m', 'all' as const]]) });
  const first = buildGraph(nodes, edges, 'hook', { joins: new Map([['m', 'first' as const]]) });

  it('all: waits for every input, a skipped branch counting as arrived with nothing; input keyed by node id', () => {
    expect(ids(planFor(all, { hook: ok({}), cond: ok({}, 'true'), a: ok('A') }))).toEqual(['c']);
    const p = planFor(all, { hook: ok({}), cond: ok({}, 'true'), a: ok('A'), c: ok('C') });
    expect(p.skipped).toEqual(['b']);
    expect(p.ready).toEqual([{ nodeId: 'm', input: { a: 'A', c: 'C' } }]);
  });

  it('all: keys even a single arrived input, and decides the same from the committed steps after a restart', () => {
    const steps = { hook: ok({}), cond: ok({}, 'false'), a: { status: 'skipped' } as StepView, b: ok('B'), c: failed() };
    const g = buildGraph(nodes, edges, 'hook', { joins: new Map([['m', 'all' as const]]) }); // a fresh process compiles the flow again
    expect(planFor(g, steps).ready).toEqual([{ nodeId: 'm', input: { b: 'B' } }]);
  });

  it('first: runs as soon as one input arrives, with only that one', () => {
    expect(planFor(first, { hook: ok({}), cond: ok({}, 'true'), a: ok('A') }).ready.find((r) => r.nodeId === 'm')).toEqual({ nodeId: 'm', input: { a: 'A' } });
  });

  it('first: is skipped only when every input settled without reaching it', () => {
    const g = buildGraph(['hook', 'cond', 'a', 'b', 'm'], [{ from: 'hook', to: 'cond' }, { from: 'cond', fromPort: 'true', to: 'a' }, { from: 'cond', fromPort: 'true', to: 'b' },
      { from: 'a', to: 'm' }, { from: 'b', to: 'm' }], 'hook', { joins: new Map([['m', 'first' as const]]) });
    expect(planFor(g, { hook: ok({}), cond: ok({}, 'false') }).skipped).toEqual(['a', 'b', 'm']);
  });
});

describe('item loops', () => {
  // hook → split → inv → mail → agg → done ; inv's error port is not connected
  const nodeIds = ['hook', 'split', 'inv', 'mail', 'agg', 'done'];
  const edges: GraphEdge[] = [{ from: 'hook', to: 'split' }, { from: 'split', to: 'inv' }, { from: 'inv', fromPort: 'ok', to: 'mail' }, { from: 'mail', to: 'agg' }, { from: 'agg', to: 'done' }];
  const graphWith = (over: Partial<LoopSpec> = {}) => {
    const base = buildGraph(nodeIds, edges, 'hook');
    const loops = new Map<string, LoopSpec>([['split', { splitId: 'split', region: ['inv', 'mail'], gatherId: 'agg', concurrency: 2, failures: 'fail', ...over }]]);
    return buildGraph(base.order, edges, 'hook', { loops });
  };

  it('runs each node after the split once per item with that item as input, at most `concurrency` at once', () => {
    const g = graphWith();
    const p = planFor(g, { hook: ok({}), split: ok(['i0', 'i1', 'i2']) });
    expect(p.ready).toEqual([{ nodeId: 'inv@0', input: 'i0' }, { nodeId: 'inv@1', input: 'i1' }]);
    const q = planFor(g, { hook: ok({}), split: ok(['i0', 'i1', 'i2']), 'inv@0': ok('r0', 'ok'), 'inv@1': { status: 'retrying', dueAt: NOW + 10 } });
    expect(ids(q)).toEqual(['mail@0', 'inv@2']); // inv@1 waits for its retry and counts against inv's concurrency of 2
  });

  it('never starts more copies of a node than its concurrency while others wait for a retry', () => {
    const g = graphWith();
    const p = planFor(g, { hook: ok({}), split: ok(['i0', 'i1', 'i2']), 'inv@0': { status: 'retrying', dueAt: NOW + 10 }, 'inv@1': { status: 'retrying', dueAt: NOW + 10 } });
    expect(ids(p)).toEqual([]);
    expect(p.nextDueAt).toBe(NOW + 10);
  });

  it('gives the aggregate every item\'s result once all settled, and skips items routed elsewhere', () => {
    const g = graphWith();
    const steps = { hook: ok({}), split: ok(['i0', 'i1']), 'inv@0': ok('r0', 'ok'), 'inv@1': ok('short', 'insufficient'), 'mail@0': ok('m0') };
    const p = planFor(g, steps);
    expect(p.skipped).toEqual(['mail@1']);
    expect(p.ready).toEqual([{ nodeId: 'agg', input: { items: [{ index: 0, status: 'succeeded', output: 'm0' }, { index: 1, status: 'skipped' }] } }]);
  });

  it('a failed item fails the execution when the aggregate says fail', () => {
    const p = planFor(graphWith(), { hook: ok({}), split: ok(['i0', 'i1']), 'inv@0': failed('stock_db') });
    expect(p.failedNodeId).toBe('inv@0');
  });

  it('a failed item is listed when the aggregate says list, and the rest go on', () => {
    const g = graphWith({ failures: 'list' });
    const steps = { hook: ok({}), split: ok(['i0', 'i1']), 'inv@0': failed('stock_db'), 'inv@1': ok('r1', 'ok'), 'mail@1': ok('m1') };
    const p = planFor(g, steps);
    expect(p.failedNodeId).toBeUndefined();
    expect(p.ready).toEqual([{ nodeId: 'agg', input: { items: [{ index: 0, status: 'failed', error: { code: 'stock_db', message: 'stock_db', nodeId: 'inv' } }, { index: 1, status: 'succeeded', output: 'm1' }] } }]);
  });

  it('runs the aggregate with no items when the array is empty', () => {
    expect(planFor(graphWith(), { hook: ok({}), split: ok([]) }).ready).toEqual([{ nodeId: 'agg', input: { items: [] } }]);
  });

  it('is done once the aggregate and what follows ran; steps of a resumed run are read back as they were', () => {
    const steps = { hook: ok({}), split: ok(['i0']), 'inv@0': ok('r0', 'ok'), 'mail@0': ok('m0'), agg: ok({ items: ['m0'] }), done: ok(1) };
    expect(planFor(graphWith(), steps).done).toBe(true);
  });

  it('skips the whole loop when the split failed into its error port', () => {
    const g = graphWith();
    expect(planFor(g, { hook: ok({}), split: { status: 'failed', port: 'error' } }).skipped).toEqual(['inv', 'mail', 'agg', 'done']);
  });
});

describe('findLoops refuses what it cannot run', () => {
  const n = (id: string, loop?: 'split' | 'gather') => ({ id, ...(loop ? { loop } : {}) });
  it('nested splits', () => {
    const { problems } = findLoops([n('hook'), n('s1', 'split'), n('s2', 'split'), n('x')], [{ from: 'hook', to: 's1' }, { from: 's1', to: 's2' }, { from: 's2', to: 'x' }]);
    expect(problems).toEqual([{ nodeId: 's2', message: 'splits cannot be nested: "s2" runs once per item of "s1"; aggregate first' }]);
  });
  it('a loop node with input from outside the loop, and an aggregate without a split', () => {
    expect(findLoops([n('hook'), n('s', 'split'), n('x'), n('y')], [{ from: 'hook', to: 's' }, { from: 's', to: 'x' }, { from: 'hook', to: 'x' }]).problems)
      .toEqual([{ nodeId: 'x', message: '"x" runs once per item of "s" and cannot also take input from "hook" outside the loop' }]);
    expect(findLoops([n('hook'), n('a', 'gather')], [{ from: 'hook', to: 'a' }]).problems).toEqual([{ nodeId: 'a', message: '"a" gathers items but no split leads to it' }]);
  });
});
