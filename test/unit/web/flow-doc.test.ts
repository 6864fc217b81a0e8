/** The editor's Flow document ⇄ xyflow state conversion: round trip, ids, problems and statuses. */
import { describe, expect, it } from 'vitest';
import {
  toCanvas, toDoc, newNodeId, groupProblems, problemsOf, withProblems, withStatuses, withAllQueued, inputOf, withTakenPath,
} from '../../../web/src/editor/flow-doc.js';
import type { StepRecord } from '../../../web/src/api/types.js';

const doc = {
  nodes: [
    { id: 'hook', type: 'webhook', position: { x: 0, y: 10 }, params: { methods: ['POST'] } },
    { id: 'check', type: 'validate', name: 'Check order', position: { x: 260, y: 10 }, params: { schema: { type: 'object' } },
      retry: { maxAttempts: 3 }, timeoutMs: 500 },
    { id: 'calc', type: 'transform', position: { x: 520, y: 10 }, params: { code: 'return input' } },
  ],
  edges: [{ from: 'hook', to: 'check' }, { from: 'check', fromPort: 'valid', to: 'calc' }],
};

describe('flow-doc', () => {
  it('round-trips a document through the canvas state unchanged', () => {
    const c = toCanvas(doc);
    expect(toDoc(c.nodes, c.edges)).toEqual(doc);
  });

  it('maps ports to source handles and every edge to the target handle', () => {
    const c = toCanvas(doc);
    expect(c.edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle])).toEqual([
      ['hook', 'out', 'check', 'in'], ['check', 'valid', 'calc', 'in'],
    ]);
    expect(new Set(c.edges.map((e) => e.id)).size).toBe(2);
    expect(c.nodes[1].data).toMatchObject({ nodeType: 'validate', name: 'Check order', timeoutMs: 500 });
  });

  it('lays out nodes without positions and rounds positions on the way back', () => {
    const c = toCanvas({ nodes: [{ id: 'a', type: 'webhook', params: {} }, { id: 'b', type: 'respond', params: {} }], edges: [] });
    expect(c.nodes[0].position.x).toBeLessThan(c.nodes[1].position.x);
    c.nodes[0].position = { x: 10.6, y: 3.2 };
    expect(toDoc(c.nodes, c.edges).nodes[0].position).toEqual({ x: 11, y: 3 });
  });

  it('drops status and problems, empty names and empty retry overrides when saving', () => {
    const c = toCanvas(doc);
    const marked = withStatuses(withProblems(c.nodes, new Map([['calc', ['params.code: is required']]])), [
      { nodeId: 'hook', status: 'succeeded', attempts: 1 },
    ]);
    expect(marked[0].data.status).toBe('succeeded');
    expect(marked[2].data.problems).toEqual(['params.code: is required']);
    marked[2].data = { ...marked[2].data, name: '', retry: {} };
    expect(toDoc(marked, c.edges)).toEqual(doc);
  });

  it('carries a failed step\'s error onto its node and clears it on the next run', () => {
    const c = toCanvas(doc);
    const failed = withStatuses(c.nodes, [{ nodeId: 'calc', status: 'failed', attempts: 1, error: { code: 'sandbox_error', message: 'boom' } }]);
    expect(failed[2].data).toMatchObject({ status: 'failed', runError: 'sandbox_error: boom' });
    expect(withStatuses(failed, [])[2].data.runError).toBeUndefined();
  });

  it('queues every node when a run starts, clearing the last run\'s error and note, and notes repeated attempts', () => {
    const c = toCanvas(doc);
    const retried = withStatuses(c.nodes, [{ nodeId: 'calc', status: 'failed', attempts: 3, error: { code: 'sandbox_error', message: 'boom' } }]);
    expect(retried[2].data.runNote).toBe('after 3 attempts');
    const queued = withAllQueued(retried);
    expect(queued.map((n) => n.data.status)).toEqual(c.nodes.map(() => 'queued'));
    expect(queued[2].data).toMatchObject({ runError: undefined, runNote: undefined });
    expect(toDoc(queued, c.edges)).toEqual(toDoc(c.nodes, c.edges));
  });

  it('marks the edges a run took and no others', () => {
    const c = toCanvas(doc);
    const steps: StepRecord[] = [
      { nodeId: 'hook', status: 'succeeded', port: 'out', attempts: 1 },
      { nodeId: 'check', status: 'succeeded', port: 'invalid', attempts: 1 },
      { nodeId: 'calc', status: 'skipped', attempts: 0 },
    ];
    expect(withTakenPath(c.edges, steps).map((e) => [e.id, e.className])).toEqual([['hook:out->check', 'taken'], ['check:valid->calc', undefined]]);
    expect(toDoc(c.nodes, withTakenPath(c.edges, steps))).toEqual(doc);
  });

  it('makes fresh valid node ids', () => {
    expect(newNodeId('transform', [{ id: 'transform_1' }, { id: 'x' }])).toBe('transform_2');
    expect(newNodeId('9x', [])).toMatch(/^[A-Za-z][A-Za-z0-9_-]*$/);
  });

  it('reads validation details and groups them by node', () => {
    const p = problemsOf([{ nodeId: 't', field: 'params.code', message: 'is required' }, { message: 'no trigger' }, 42]);
    const g = groupProblems(p);
    expect(g.byNode.get('t')).toEqual(['params.code: is required']);
    expect(g.flow).toEqual(['no trigger']);
    expect(problemsOf('nope')).toEqual([]);
  });

  it('derives a node input from its upstream outputs', () => {
    const c = toCanvas(doc);
    const steps: StepRecord[] = [{ nodeId: 'check', status: 'succeeded', attempts: 1, output: { a: 1 } }];
    expect(inputOf('calc', c.edges, steps)).toEqual({ a: 1 });
    expect(inputOf('hook', c.edges, steps)).toEqual({});
  });
});
