// Planner graph building: topological order, incoming/outgoing maps, cycle detection, port connectivity.
import { describe, expect, it } from 'vitest';
import { buildGraph, isPortConnected, topoOrder, type GraphEdge } from '../../../server/runner/planner.js';
import { aFlow } from '../../helpers/builders.js';

const e = (from: string, to: string, fromPort?: string): GraphEdge => (fromPort ? { from, fromPort, to } : { from, to });

const thrownMessage = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return '(did not throw)';
};

/** Every edge goes from an earlier to a later position in `order`. */
const respectsEdges = (order: readonly string[], edges: readonly GraphEdge[]): boolean =>
  edges.every((x) => order.indexOf(x.from) < order.indexOf(x.to));

describe('topoOrder', () => {
  it.each([
    { name: 'a single node', ids: ['hook'], edges: [] },
    { name: 'a linear chain', ids: ['hook', 'a', 'b', 'c'], edges: [e('hook', 'a'), e('a', 'b'), e('b', 'c')] },
    { name: 'a chain listed backwards', ids: ['c', 'b', 'a', 'hook'], edges: [e('hook', 'a'), e('a', 'b'), e('b', 'c')] },
    { name: 'a fan-out', ids: ['hook', 'a', 'b', 'c'], edges: [e('hook', 'a'), e('hook', 'b'), e('hook', 'c')] },
    { name: 'a diamond', ids: ['join', 'right', 'left', 'hook'], edges: [e('hook', 'left'), e('hook', 'right'), e('left', 'join'), e('right', 'join')] },
    { name: 'named ports', ids: ['hook', 'cond', 'yes', 'no'], edges: [e('hook', 'cond'), e('cond', 'yes', 'true'), e('cond', 'no', 'false')] },
    { name: 'two edges between the same pair', ids: ['hook', 'v', 'x'], edges: [e('hook', 'v'), e('v', 'x', 'valid'), e('v', 'x', 'invalid')] },
  ])('orders $name so that every edge points forward', ({ ids, edges }) => {
    const order = topoOrder(ids, edges);
    expect([...order].sort()).toEqual([...ids].sort());
    expect(respectsEdges(order, edges)).toBe(true);
  });

  it('keeps the given order among independent nodes', () => {
    expect(topoOrder(['hook', 'b', 'a'], [e('hook', 'b'), e('hook', 'a')])).toEqual(['hook', 'b', 'a']);
  });

  it.each([
    { name: 'a two-node loop', ids: ['hook', 'a', 'b'], edges: [e('hook', 'a'), e('a', 'b'), e('b', 'a')], onCycle: ['a', 'b'] },
    { name: 'a self-loop', ids: ['hook', 'a'], edges: [e('hook', 'a'), e('a', 'a')], onCycle: ['a'] },
    { name: 'a three-node loop', ids: ['hook', 'a', 'b', 'c'], edges: [e('hook', 'a'), e('a', 'b'), e('b', 'c'), e('c', 'a')], onCycle: ['a', 'b', 'c'] },
    { name: 'a loop with no way in', ids: ['hook', 'x', 'y'], edges: [e('x', 'y'), e('y', 'x')], onCycle: ['x', 'y'] },
  ])('throws on $name, naming a node of the loop', ({ ids, edges, onCycle }) => {
    const message = thrownMessage(() => topoOrder(ids, edges));
    expect(message).toMatch(/^cycle through node "/);
    expect(onCycle.some((id) => message.includes(`"${id}"`))).toBe(true);
  });
});

describe('buildGraph', () => {
  const flow = aFlow()
    .trigger('hook').node('a', 'transform').node('b', 'transform').node('join', 'transform')
    .edge('hook', 'a').edge('hook', 'b').edge('a', 'join').edge('b', 'join', 'error')
    .build();
  const graph = buildGraph(flow.nodes.map((n) => n.id), flow.edges, 'hook');

  it('records the trigger and a topological order starting with it', () => {
    expect(graph.triggerId).toBe('hook');
    expect(graph.order[0]).toBe('hook');
    expect(graph.order.at(-1)).toBe('join');
  });

  it('indexes edges by target and by source, with an empty list for nodes without any', () => {
    expect(graph.incoming.get('join')).toEqual([{ from: 'a', to: 'join' }, { from: 'b', fromPort: 'error', to: 'join' }]);
    expect(graph.incoming.get('hook')).toEqual([]);
    expect(graph.outgoing.get('hook')?.map((x) => x.to)).toEqual(['a', 'b']);
    expect(graph.outgoing.get('join')).toEqual([]);
  });

  it('throws on a cycle', () => {
    expect(() => buildGraph(['hook', 'a', 'b'], [e('hook', 'a'), e('a', 'b'), e('b', 'a')], 'hook')).toThrow(/cycle through node "(a|b)"/);
  });
});

describe('isPortConnected', () => {
  const flow = aFlow()
    .trigger('hook').node('cond', 'condition').node('yes', 'transform').node('oops', 'transform')
    .edge('hook', 'cond').edge('cond', 'yes', 'true').edge('cond', 'oops', 'error')
    .build();
  const graph = buildGraph(flow.nodes.map((n) => n.id), flow.edges, 'hook');

  it.each([
    { node: 'hook', port: 'out', connected: true, why: 'an edge without fromPort is on out' },
    { node: 'hook', port: 'error', connected: false, why: 'no edge leaves hook on error' },
    { node: 'cond', port: 'true', connected: true, why: 'a named port edge' },
    { node: 'cond', port: 'false', connected: false, why: 'the other named port has no edge' },
    { node: 'cond', port: 'out', connected: false, why: 'named edges do not count as out' },
    { node: 'cond', port: 'error', connected: true, why: 'an error edge' },
    { node: 'yes', port: 'out', connected: false, why: 'a leaf node' },
    { node: 'ghost', port: 'out', connected: false, why: 'an unknown node' },
  ])('$node.$port is connected: $connected ($why)', ({ node, port, connected }) => {
    expect(isPortConnected(graph, node, port)).toBe(connected);
  });
});

describe('cycle reports', () => {
  it('names a node on the loop, not one downstream of it', () => {
    const edges = [{ from: 'hook', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'b' }, { from: 'c', to: 'd' }];
    expect(() => topoOrder(['hook', 'd', 'b', 'c'], edges)).toThrow(/cycle through node "(b|c)"/);
  });
});
