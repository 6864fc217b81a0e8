// Planner skipping: untaken named-port branches are skipped, skipping propagates, joins run on what was taken.
import { describe, expect, it } from 'vitest';
import { buildGraph, plan, type Graph, type StepView } from '../../../server/runner/planner.js';
import type { FlowInput } from '../../../server/flows/flow-doc.js';
import { aFlow } from '../../helpers/builders.js';

const NOW = 1_000_000;
const graphOf = (f: FlowInput): Graph => buildGraph(f.nodes.map((n) => n.id), f.edges, f.nodes[0].id);
const ok = (output: unknown, port = 'out'): StepView => ({ status: 'succeeded', port, output });
const skippedStep: StepView = { status: 'skipped' };
/** Steps by node id (an absent or undefined entry = the node has not run). */
const planFor = (g: Graph, steps: Partial<Record<string, StepView>>) =>
  plan(g, new Map(Object.entries(steps).filter((kv): kv is [string, StepView] => kv[1] !== undefined)), NOW);

describe('condition branches: cond -true→ yes → yes2, cond -false→ no → no2', () => {
  const g = graphOf(aFlow()
    .trigger('hook').node('cond', 'condition')
    .node('yes', 'transform').node('yes2', 'transform').node('no', 'transform').node('no2', 'transform')
    .edge('hook', 'cond').edge('cond', 'yes', 'true').edge('cond', 'no', 'false').chain('yes', 'yes2').chain('no', 'no2')
    .build());

  it.each([
    { port: 'true', runs: 'yes', skips: ['no', 'no2'] },
    { port: 'false', runs: 'no', skips: ['yes', 'yes2'] },
  ])('on $port runs $runs and skips the other branch down its whole chain', ({ port, runs, skips }) => {
    const p = planFor(g, { hook: ok({}), cond: ok({ n: 1 }, port) });
    expect(p.ready).toEqual([{ nodeId: runs, input: { n: 1 } }]);
    expect([...p.skipped].sort()).toEqual(skips);
    expect(p.done).toBe(false);
  });

  it('is done once the taken branch finished and the other was skipped', () => {
    const p = planFor(g, { hook: ok({}), cond: ok(1, 'true'), yes: ok(2), yes2: ok(3), no: skippedStep, no2: skippedStep });
    expect(p).toMatchObject({ ready: [], skipped: [], done: true });
  });

  it('does not report already committed skips again', () => {
    const p = planFor(g, { hook: ok({}), cond: ok(1, 'true'), no: skippedStep, no2: skippedStep });
    expect(p.skipped).toEqual([]);
    expect(p.ready.map((r) => r.nodeId)).toEqual(['yes']);
  });

  it('skips both branches when the node emitted on a port neither edge uses', () => {
    const p = planFor(g, { hook: ok({}), cond: ok(1, 'out') });
    expect([...p.skipped].sort()).toEqual(['no', 'no2', 'yes', 'yes2']);
    expect(p.done).toBe(true);
  });

  it('skips everything downstream of a skipped node', () => {
    const p = planFor(g, { hook: ok({}), cond: skippedStep });
    expect([...p.skipped].sort()).toEqual(['no', 'no2', 'yes', 'yes2']);
    expect(p.ready).toEqual([]);
    expect(p.done).toBe(true);
  });
});

describe('a join after a branch: cond -true→ yes → join, cond -false→ no → join', () => {
  const g = graphOf(aFlow()
    .trigger('hook').node('cond', 'condition').node('yes', 'transform').node('no', 'transform').node('join', 'respond')
    .edge('hook', 'cond').edge('cond', 'yes', 'true').edge('cond', 'no', 'false').edge('yes', 'join').edge('no', 'join')
    .build());

  it('skips the untaken side in the same plan as the branch runs, and the join waits', () => {
    const p = planFor(g, { hook: ok({}), cond: ok(1, 'false') });
    expect(p.ready.map((r) => r.nodeId)).toEqual(['no']);
    expect(p.skipped).toEqual(['yes']);
  });

  it('runs the join with the taken input only, not an object keyed by id', () => {
    const p = planFor(g, { hook: ok({}), cond: ok(1, 'false'), yes: skippedStep, no: ok({ total: 9 }) });
    expect(p.ready).toEqual([{ nodeId: 'join', input: { total: 9 } }]);
    expect(p.skipped).toEqual([]);
  });

  it('skips the join when both sides were skipped', () => {
    const p = planFor(g, { hook: ok({}), cond: skippedStep, yes: skippedStep, no: skippedStep });
    expect(p.skipped).toEqual(['join']);
    expect(p.done).toBe(true);
  });
});

describe('a join fed by the true port of a condition and by another node', () => {
  const g = graphOf(aFlow()
    .trigger('hook').node('cond', 'condition').node('other', 'transform').node('join', 'transform')
    .edge('hook', 'cond').edge('hook', 'other').edge('cond', 'join', 'true').edge('other', 'join')
    .build());

  it.each([
    { name: 'cond took true', cond: ok('C', 'true'), input: { cond: 'C', other: 'O' } },
    { name: 'cond took false', cond: ok('C', 'false'), input: 'O' },
  ])('when $name the join gets $input', ({ cond, input }) => {
    expect(planFor(g, { hook: ok({}), cond, other: ok('O') }).ready).toEqual([{ nodeId: 'join', input }]);
  });
});

describe('nodes with no incoming edge other than the trigger', () => {
  const g = graphOf(aFlow()
    .trigger('hook').node('a', 'transform').node('orphan', 'transform').node('after', 'transform')
    .edge('hook', 'a').edge('orphan', 'after')
    .build());

  it('skips an orphan node and what hangs off it, from the first plan on', () => {
    const p = planFor(g, {});
    expect(p.ready).toEqual([{ nodeId: 'hook', input: undefined }]);
    expect(p.skipped).toEqual(['orphan', 'after']);
  });

  it('finishes without running the orphan', () => {
    const p = planFor(g, { hook: ok({}), a: ok(1), orphan: skippedStep, after: skippedStep });
    expect(p.done).toBe(true);
  });

  it('runs the trigger even though it has no incoming edge', () => {
    const alone = graphOf(aFlow().trigger('hook').build());
    expect(planFor(alone, {}).ready).toEqual([{ nodeId: 'hook', input: undefined }]);
    expect(planFor(alone, { hook: ok({}) }).done).toBe(true);
  });
});
