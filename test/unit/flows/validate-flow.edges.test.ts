// Save-time flow validation, edges: shape, dangling ends, ports of the source type, the trigger, self-loops and cycles.
import { describe, expect, it } from 'vitest';
import { validateFlow, type FlowProblem } from '../../../server/flows/validate-flow.js';
import { createParamsValidator } from '../../../server/flows/params-validator.js';
import { createNodeRegistry } from '../../../nodes/registry.js';
import { conditionNode } from '../../../nodes/condition.js';
import { aFlow } from '../../helpers/builders.js';

// The condition node brings named ports (`true`/`false`) whether or not the default registry lists it yet.
const registry = createNodeRegistry([conditionNode]);
// One validator per file: it only caches compiled schemas, so sharing it changes no answer and saves recompiling.
const paramsValidator = createParamsValidator();
const problemsOf = (raw: unknown): FlowProblem[] => validateFlow(raw, registry, paramsValidator).problems;
const RULES = { rules: [{ path: 'input.total', op: 'gt', value: 100 }] };
/** hook → cond, with two transforms to hang edges on. */
const base = () => aFlow()
  .trigger('hook')
  .node('cond', 'condition', RULES)
  .node('big', 'transform', { code: 'return 1' })
  .node('small', 'transform', { code: 'return 2' })
  .edge('hook', 'cond');

describe('valid edges', () => {
  it.each([
    { name: 'edges on the default out port', build: () => base().edge('cond', 'big', 'true').edge('big', 'small') },
    { name: 'both named ports', build: () => base().edge('cond', 'big', 'true').edge('cond', 'small', 'false') },
    { name: 'an explicit out port', build: () => base().edge('cond', 'big', 'true').edge('big', 'small', 'out') },
    { name: 'the error port of any node', build: () => base().edge('cond', 'big', 'error').edge('big', 'small', 'error') },
    { name: 'the error port of the trigger', build: () => base().edge('hook', 'big', 'error') },
    { name: 'a join of two branches', build: () => base().edge('cond', 'big', 'true').edge('cond', 'small', 'false').edge('hook', 'small') },
  ])('accepts $name', ({ build }) => {
    expect(problemsOf(build().build())).toEqual([]);
  });

  it('keeps fromPort only where it was given', () => {
    const flow = base().edge('cond', 'big', 'true').edge('big', 'small').build();
    expect(validateFlow(flow, registry, paramsValidator).input?.edges).toEqual([
      { from: 'hook', to: 'cond' }, { from: 'cond', fromPort: 'true', to: 'big' }, { from: 'big', to: 'small' },
    ]);
  });

  it('accepts a node that nothing connects to (the runner skips it)', () => {
    expect(problemsOf(base().build())).toEqual([]);
  });
});

describe('malformed and dangling edges', () => {
  it.each([
    { name: 'not an object', edge: 'hook->big' },
    { name: 'null', edge: null },
    { name: 'missing from', edge: { to: 'big' } },
    { name: 'missing to', edge: { from: 'hook' } },
    { name: 'a numeric to', edge: { from: 'hook', to: 3 } },
  ])('rejects an edge that is $name, field edges[1]', ({ edge }) => {
    const flow = { ...base().build(), edges: [{ from: 'hook', to: 'cond' }, edge] };
    expect(problemsOf(flow)).toEqual([{ field: 'edges[1]', message: 'must be an object with string "from" and "to"' }]);
  });

  it('rejects an edge to a missing node, field edges[0].to', () => {
    const flow = aFlow().trigger('hook').edge('hook', 'ghost').build();
    expect(problemsOf(flow)).toEqual([{ field: 'edges[0].to', message: 'dangling edge: no node "ghost"' }]);
  });

  it('rejects an edge from a missing node, field edges[i].from', () => {
    const flow = base().edge('ghost', 'big').build();
    expect(problemsOf(flow)).toEqual([{ field: 'edges[1].from', message: 'dangling edge: no node "ghost"' }]);
  });

  it('reports every bad edge with its own index', () => {
    const flow = base().edge('hook', 'nowhere').edge('cond', 'big', 'maybe').build();
    expect(problemsOf(flow).map((p) => p.field)).toEqual(['edges[1].to', 'edges[2].fromPort']);
  });
});

describe('ports', () => {
  it.each([
    { name: 'a port the condition does not have', from: 'cond', port: 'yes', ports: 'true, false, error' },
    { name: 'out on a condition', from: 'cond', port: 'out', ports: 'true, false, error' },
    { name: 'a named port on a transform', from: 'big', port: 'true', ports: 'out, error' },
    { name: 'a port in the wrong case', from: 'big', port: 'OUT', ports: 'out, error' },
    { name: 'a condition edge without a port (out)', from: 'cond', port: undefined, ports: 'true, false, error' },
  ])('rejects $name, naming the source node and listing its ports', ({ from, port, ports }) => {
    const flow = base().edge(from, 'small', port).build();
    expect(problemsOf(flow)).toEqual([{
      nodeId: from, field: 'edges[1].fromPort', message: `node "${from}" has no port "${port ?? 'out'}" (ports: ${ports})`,
    }]);
  });

  it.each([null, 1, ''])('rejects fromPort %j', (fromPort) => {
    const flow = { ...base().build(), edges: [{ from: 'hook', to: 'cond' }, { from: 'big', fromPort, to: 'small' }] };
    expect(problemsOf(flow)).toEqual([{ nodeId: 'big', field: 'edges[1].fromPort', message: expect.stringContaining('(ports: out, error)') }]);
  });
});

describe('the trigger, self-loops and cycles', () => {
  it('rejects an edge into the trigger, naming the trigger', () => {
    const flow = base().edge('big', 'hook').build();
    expect(problemsOf(flow)).toEqual([{ nodeId: 'hook', field: 'edges', message: 'the trigger cannot have incoming edges' }]);
  });

  it('rejects a self-loop, naming the node and the edge', () => {
    const flow = base().edge('big', 'big').build();
    expect(problemsOf(flow)).toEqual([{ nodeId: 'big', field: 'edges[1]', message: 'a node cannot connect to itself' }]);
  });

  it('rejects a self-loop on the error port too', () => {
    const flow = base().edge('big', 'big', 'error').build();
    expect(problemsOf(flow)).toEqual([{ nodeId: 'big', field: 'edges[1]', message: 'a node cannot connect to itself' }]);
  });

  it.each([
    { name: 'a two-node loop', build: () => base().edge('cond', 'big', 'true').edge('big', 'small').edge('small', 'big'), loop: ['big', 'small'] },
    { name: 'a loop back to the branch', build: () => base().edge('cond', 'big', 'true').edge('big', 'cond'), loop: ['cond', 'big'] },
    { name: 'a loop through the error port', build: () => base().edge('cond', 'big', 'false').edge('big', 'small', 'error').edge('small', 'big'), loop: ['big', 'small'] },
    { name: 'a loop no edge reaches', build: () => base().edge('big', 'small').edge('small', 'big'), loop: ['big', 'small'] },
  ])('rejects $name, field edges, naming a node of the loop', ({ build, loop }) => {
    const problems = problemsOf(build().build());
    expect(problems).toEqual([{ nodeId: expect.any(String), field: 'edges', message: expect.stringMatching(/^the flow must not loop: cycle through node "/) }]);
    expect(loop).toContain(problems[0].nodeId);
    expect(problems[0].message).toContain(`"${problems[0].nodeId}"`);
  });

  it('does not look for cycles while other edge problems remain', () => {
    const flow = base().edge('big', 'small').edge('small', 'big').edge('small', 'hook').build();
    expect(problemsOf(flow)).toEqual([{ nodeId: 'hook', field: 'edges', message: 'the trigger cannot have incoming edges' }]);
  });
});
