// Planner on plain `out` edges: a linear chain, fan-out, and fan-in (joins wait for every upstream node).
import { describe, expect, it } from 'vitest';
import { buildGraph, plan, type Graph, type StepView } from '../../../server/runner/planner.js';
import type { FlowInput } from '../../../server/flows/flow-doc.js';
import { aFlow } from '../../helpers/builders.js';

const NOW = 1_000_000;
const graphOf = (f: FlowInput): Graph => buildGraph(f.nodes.map((n) => n.id), f.edges, f.nodes[0].id);
const ok = (output: unknown, port = 'out'): StepView => ({ status: 'succeeded', port, output });
/** Steps by node id (an absent or undefined entry = the node has not run). */
const planFor = (g: Graph, steps: Partial<Record<string, StepView>>) =>
  plan(g, new Map(Object.entries(steps).filter((kv): kv is [string, StepView] => kv[1] !== undefined)), NOW);

describe('a linear chain hook → a → b', () => {
  const g = graphOf(aFlow().trigger('hook').node('a', 'transform').node('b', 'transform').chain('hook', 'a', 'b').build());

  it.each([
    { name: 'starts with the trigger and no input', steps: {}, ready: [{ nodeId: 'hook', input: undefined }] },
    { name: 'runs a with the trigger output', steps: { hook: ok({ body: 1 }) }, ready: [{ nodeId: 'a', input: { body: 1 } }] },
    { name: 'runs b with a\'s output', steps: { hook: ok({ body: 1 }), a: ok(2) }, ready: [{ nodeId: 'b', input: 2 }] },
    { name: 'passes a falsy output on as it is', steps: { hook: ok({}), a: ok(0) }, ready: [{ nodeId: 'b', input: 0 }] },
    { name: 'passes an undefined output as undefined', steps: { hook: ok({}), a: ok(undefined) }, ready: [{ nodeId: 'b', input: undefined }] },
  ])('$name', ({ steps, ready }) => {
    const p = planFor(g, steps);
    expect(p.ready).toEqual(ready);
    expect(p).toMatchObject({ skipped: [], done: false });
    expect(p.failedNodeId).toBeUndefined();
    expect(p.nextDueAt).toBeUndefined();
  });

  it('is done, with nothing to run, once every node succeeded', () => {
    expect(planFor(g, { hook: ok({}), a: ok(1), b: ok(2) })).toEqual({
      ready: [], skipped: [], done: true, nextDueAt: undefined, failedNodeId: undefined,
    });
  });

  it('never runs a node whose upstream has not started', () => {
    expect(planFor(g, {}).ready.map((r) => r.nodeId)).toEqual(['hook']);
  });
});

describe('fan-out hook → {a, b, c}', () => {
  const g = graphOf(aFlow()
    .trigger('hook').node('a', 'transform').node('b', 'transform').node('c', 'transform')
    .edge('hook', 'a').edge('hook', 'b').edge('hook', 'c').build());

  it('makes every branch ready at once with the same input', () => {
    const out = { body: { id: 7 } };
    const p = planFor(g, { hook: ok(out) });
    expect(p.ready).toEqual([{ nodeId: 'a', input: out }, { nodeId: 'b', input: out }, { nodeId: 'c', input: out }]);
  });

  it('keeps running the branches that have not finished', () => {
    expect(planFor(g, { hook: ok(1), b: ok(2) }).ready.map((r) => r.nodeId)).toEqual(['a', 'c']);
  });

  it('is done when every branch finished', () => {
    expect(planFor(g, { hook: ok(1), a: ok(1), b: ok(2), c: ok(3) }).done).toBe(true);
  });
});

describe('fan-in hook → {left, right} → join', () => {
  const g = graphOf(aFlow()
    .trigger('hook').node('left', 'transform').node('right', 'transform').node('join', 'transform')
    .edge('hook', 'left').edge('hook', 'right').edge('left', 'join').edge('right', 'join').build());

  it.each([
    { name: 'neither branch finished', steps: { hook: ok(0) }, ready: ['left', 'right'] },
    { name: 'only left finished', steps: { hook: ok(0), left: ok('L') }, ready: ['right'] },
    { name: 'only right finished', steps: { hook: ok(0), right: ok('R') }, ready: ['left'] },
    { name: 'right is waiting for a retry', steps: { hook: ok(0), left: ok('L'), right: { status: 'retrying', dueAt: NOW + 5 } as StepView }, ready: [] },
  ])('the join waits while $name', ({ steps, ready }) => {
    const p = planFor(g, steps);
    expect(p.ready.map((r) => r.nodeId)).toEqual(ready);
    expect(p.done).toBe(false);
  });

  it('runs the join with an object keyed by upstream node id once both finished', () => {
    const p = planFor(g, { hook: ok(0), left: ok({ l: 1 }), right: ok([2]) });
    expect(p.ready).toEqual([{ nodeId: 'join', input: { left: { l: 1 }, right: [2] } }]);
  });

  it('keys the join input by id even when an upstream output is undefined', () => {
    const p = planFor(g, { hook: ok(0), left: ok(undefined), right: ok(null) });
    expect(p.ready[0].input).toEqual({ left: undefined, right: null });
    expect(Object.keys(p.ready[0].input as object)).toEqual(['left', 'right']);
  });
});

describe('fan-in that includes the trigger: hook → a → join, hook → join', () => {
  const g = graphOf(aFlow()
    .trigger('hook').node('a', 'transform').node('join', 'transform')
    .edge('hook', 'a').edge('a', 'join').edge('hook', 'join').build());

  it('waits for a even though the trigger already finished', () => {
    expect(planFor(g, { hook: ok('T') }).ready.map((r) => r.nodeId)).toEqual(['a']);
  });

  it('keys the input by hook and a', () => {
    expect(planFor(g, { hook: ok('T'), a: ok('A') }).ready).toEqual([{ nodeId: 'join', input: { hook: 'T', a: 'A' } }]);
  });
});

describe('two edges from the same upstream node into one node', () => {
  const g = graphOf(aFlow()
    .trigger('hook').node('v', 'validate').node('x', 'transform')
    .edge('hook', 'v').edge('v', 'x', 'valid').edge('v', 'x', 'invalid').build());

  it('passes the single upstream output, not an object keyed by id', () => {
    expect(planFor(g, { hook: ok(0), v: ok({ ok: true }, 'invalid') }).ready).toEqual([{ nodeId: 'x', input: { ok: true } }]);
  });
});
