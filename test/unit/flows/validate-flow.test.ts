// Save-time flow validation, document and nodes: shape, name, one trigger, ids, known types, params, retry, timeoutMs.
import { describe, expect, it } from 'vitest';
import { validateFlow, type FlowProblem } from '../../../server/flows/validate-flow.js';
import { createParamsValidator } from '../../../server/flows/params-validator.js';
import { createNodeRegistry } from '../../../nodes/registry.js';
import { aFlow } from '../../helpers/builders.js';

const registry = createNodeRegistry();
// One validator per file: it only caches compiled schemas, so sharing it changes no answer and saves recompiling.
const paramsValidator = createParamsValidator();
const validate = (raw: unknown) => validateFlow(raw, registry, paramsValidator);
const problemsOf = (raw: unknown): FlowProblem[] => validate(raw).problems;
/** A minimal valid flow: hook → calc → reply. */
const valid = () => aFlow('Order → reply')
  .trigger('hook', { methods: ['POST'], response: { mode: 'sync' } })
  .node('calc', 'transform', { code: 'return { total: input.body.n * 2 }' })
  .node('reply', 'respond', { status: 201, body: '{{ input.total }}' })
  .chain('hook', 'calc', 'reply');

describe('a valid flow', () => {
  it('has no problems and returns the normalised input', () => {
    const flow = valid().build();
    expect(validate(flow)).toEqual({ problems: [], input: { name: 'Order → reply', active: undefined, nodes: flow.nodes, edges: flow.edges } });
  });

  it('accepts a lone trigger with no edges, and a missing edges field', () => {
    expect(problemsOf(aFlow().trigger('hook').build())).toEqual([]);
    expect(problemsOf({ name: 'x', nodes: [{ id: 'hook', type: 'webhook' }] })).toEqual([]);
  });

  it('trims the name, keeps active, defaults params to {} and keeps position, retry and timeoutMs', () => {
    const raw = {
      name: '  Spaced  ', active: false,
      nodes: [
        { id: 'hook', type: 'webhook', position: { x: 1, y: 2 } },
        { id: 'calc', type: 'transform', params: { code: 'return 1' }, retry: { maxAttempts: 3 }, timeoutMs: 500, name: 'Calc' },
      ],
      edges: [{ from: 'hook', to: 'calc' }],
    };
    expect(validate(raw).input).toEqual({
      name: 'Spaced', active: false,
      nodes: [
        { id: 'hook', type: 'webhook', params: {}, position: { x: 1, y: 2 }, name: undefined, retry: undefined, timeoutMs: undefined },
        { id: 'calc', type: 'transform', params: { code: 'return 1' }, name: 'Calc', position: undefined, retry: { maxAttempts: 3 }, timeoutMs: 500 },
      ],
      edges: [{ from: 'hook', to: 'calc' }],
    });
  });

  it('drops a malformed position instead of rejecting the flow', () => {
    const flow = aFlow().trigger('hook').build();
    Object.assign(flow.nodes[0], { position: { x: 'left', y: 0 } });
    expect(validate(flow).input?.nodes[0].position).toBeUndefined();
  });
});

describe('the document', () => {
  it.each([
    { name: 'null', raw: null },
    { name: 'an array', raw: [valid().build()] },
    { name: 'a string', raw: '{"name":"x"}' },
    { name: 'a number', raw: 3 },
  ])('rejects $name as the body', ({ raw }) => {
    expect(validate(raw)).toEqual({ problems: [{ field: 'body', message: 'must be a JSON object' }] });
  });

  it.each([
    { name: 'a missing name', patch: { name: undefined } },
    { name: 'an empty name', patch: { name: '' } },
    { name: 'a blank name', patch: { name: '   ' } },
    { name: 'a name that is not a string', patch: { name: 42 } },
    { name: 'a name over 200 characters', patch: { name: 'n'.repeat(201) } },
  ])('rejects $name, field name', ({ patch }) => {
    expect(problemsOf({ ...valid().build(), ...patch })).toEqual([{ field: 'name', message: expect.stringMatching(/non-empty/) }]);
  });

  it('accepts a name of exactly 200 characters', () => {
    expect(problemsOf({ ...valid().build(), name: 'n'.repeat(200) })).toEqual([]);
  });

  it('rejects an active flag that is not a boolean', () => {
    expect(problemsOf({ ...valid().build(), active: 'yes' })).toEqual([{ field: 'active', message: 'must be a boolean' }]);
  });

  it.each([
    { name: 'no nodes field', nodes: undefined },
    { name: 'an empty node list', nodes: [] },
    { name: 'nodes that are not an array', nodes: { hook: { type: 'webhook' } } },
    { name: 'more than 500 nodes', nodes: Array.from({ length: 501 }, (_, i) => ({ id: `n${i}`, type: 'transform', params: { code: 'return 1' } })) },
  ])('rejects $name, field nodes', ({ nodes }) => {
    expect(problemsOf({ name: 'x', nodes, edges: [] })).toEqual([{ field: 'nodes', message: expect.stringMatching(/1 to 500 nodes/) }]);
  });

  it('reports a bad name together with missing nodes', () => {
    expect(problemsOf({ name: '', nodes: [] }).map((p) => p.field)).toEqual(['name', 'nodes']);
  });

  it.each([
    { name: 'an object', edges: { from: 'hook', to: 'calc' } },
    { name: 'more than 2000 edges', edges: Array.from({ length: 2001 }, () => ({ from: 'hook', to: 'calc' })) },
  ])('rejects edges given as $name, field edges', ({ edges }) => {
    expect(problemsOf({ ...valid().build(), edges })).toEqual([{ field: 'edges', message: expect.stringMatching(/at most 2000 edges/) }]);
  });
});

describe('triggers', () => {
  it('rejects two triggers', () => {
    const flow = aFlow().trigger('hook').trigger('hook2').node('calc', 'transform', { code: 'return 1' })
      .edge('hook', 'calc').edge('hook2', 'calc').build();
    expect(problemsOf(flow)).toEqual([{ nodeId: 'hook2', field: 'nodes', message: 'a flow needs exactly one trigger node, found 2' }]);
  });

  it('rejects a flow without a trigger', () => {
    const flow = aFlow().node('calc', 'transform', { code: 'return 1' }).node('reply', 'respond').chain('calc', 'reply').build();
    expect(problemsOf(flow)).toEqual([{ field: 'nodes', message: 'a flow needs exactly one trigger node, found 0' }]);
  });

  it('accepts the trigger anywhere in the node list', () => {
    const flow = aFlow().node('calc', 'transform', { code: 'return 1' }).trigger('hook').edge('hook', 'calc').build();
    expect(problemsOf(flow)).toEqual([]);
  });
});

describe('node ids', () => {
  it('rejects a duplicate id, naming the node and field id', () => {
    const flow = valid().node('calc', 'respond').build();
    expect(problemsOf(flow)).toEqual([{ nodeId: 'calc', field: 'id', message: 'duplicate node id "calc"' }]);
  });

  it.each([
    { name: 'a missing id', id: undefined },
    { name: 'an empty id', id: '' },
    { name: 'a leading digit', id: '1calc' },
    { name: 'a leading hyphen', id: '-calc' },
    { name: 'a space', id: 'my calc' },
    { name: 'a dot', id: 'calc.total' },
    { name: 'a bracket', id: 'calc[0]' },
    { name: 'a template brace', id: 'calc{{' },
    { name: 'a non-ASCII letter', id: 'caĺc' },
    { name: '65 characters', id: `c${'x'.repeat(64)}` },
    { name: 'a number', id: 7 },
  ])('rejects an id with $name, field nodes[1].id', ({ id }) => {
    const flow = valid().build();
    (flow.nodes[1] as { id: unknown }).id = id;
    expect(problemsOf(flow)).toEqual([{ field: 'nodes[1].id', message: expect.stringMatching(/must match/) }]);
  });

  it.each(['a', 'calc_2', 'send-email', 'A1', `c${'x'.repeat(63)}`])('accepts the id %s', (id) => {
    const flow = aFlow().trigger('hook').node(id, 'transform', { code: 'return 1' }).edge('hook', id).build();
    expect(problemsOf(flow)).toEqual([]);
  });

  it('rejects a node that is not an object, field nodes[i]', () => {
    const flow = { ...valid().build(), nodes: [{ id: 'hook', type: 'webhook' }, 'calc'] };
    expect(problemsOf(flow)).toEqual([{ field: 'nodes[1]', message: 'must be an object' }]);
  });
});

describe('node types', () => {
  it.each([
    { name: 'an unknown type', type: 'ftp', shown: 'ftp' },
    { name: 'a type in the wrong case', type: 'Transform', shown: 'Transform' },
    { name: 'a missing type', type: undefined, shown: 'undefined' },
    { name: 'a non-string type', type: 5, shown: '5' },
    { name: 'a prototype member as type', type: 'constructor', shown: 'constructor' },
  ])('rejects $name, naming the node and field type', ({ type, shown }) => {
    const flow = valid().build();
    (flow.nodes[1] as { type: unknown }).type = type;
    expect(problemsOf(flow)).toEqual([{ nodeId: 'calc', field: 'type', message: `unknown node type "${shown}"` }]);
  });

  it('reports every bad node, not just the first', () => {
    const flow = aFlow().trigger('hook').node('a', 'ftp').node('b', 'gopher').build();
    expect(problemsOf(flow).map((p) => p.nodeId)).toEqual(['a', 'b']);
  });
});

describe('node params', () => {
  it.each([
    { name: 'webhook methods FOO', node: ['hook', 'webhook', { methods: ['FOO'] }], field: 'params.methods.0' },
    { name: 'webhook methods empty', node: ['hook', 'webhook', { methods: [] }], field: 'params.methods' },
    { name: 'webhook unknown response mode', node: ['hook', 'webhook', { response: { mode: 'later' } }], field: 'params.response.mode' },
    { name: 'webhook unknown parameter', node: ['hook', 'webhook', { secret: 'x' }], field: 'params.secret' },
    { name: 'webhook bad idempotency header', node: ['hook', 'webhook', { idempotencyHeader: 'x id' }], field: 'params.idempotencyHeader' },
    { name: 'transform without code', node: ['calc', 'transform', {}], field: 'params.code' },
    { name: 'transform with empty code', node: ['calc', 'transform', { code: '' }], field: 'params.code' },
    { name: 'transform timeoutMs as a template', node: ['calc', 'transform', { code: 'return 1', timeoutMs: '{{ input.t }}' }], field: 'params.timeoutMs' },
    { name: 'respond status abc', node: ['reply', 'respond', { status: 'abc' }], field: 'params.status' },
    { name: 'respond status 99', node: ['reply', 'respond', { status: 99 }], field: 'params.status' },
    { name: 'respond forbidden header', node: ['reply', 'respond', { headers: { 'Set-Cookie': 'a=1' } }], field: 'params.headers.Set-Cookie' },
    { name: 'delay with neither ms nor until', node: ['wait', 'delay', {}], field: 'params.ms' },
    { name: 'delay with a bad until', node: ['wait', 'delay', { until: 'tomorrow' }], field: 'params.until' },
  ])('rejects $name, naming the node and $field', ({ node, field }) => {
    const [id, type, params] = node as [string, string, Record<string, unknown>];
    const b = id === 'hook' ? aFlow().trigger('hook', params) : aFlow().trigger('hook').node(id, type, params).edge('hook', id);
    const problems = problemsOf(b.build());
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toEqual({ nodeId: id, field, message: expect.any(String) });
  });

  it('rejects params that are not an object', () => {
    const flow = valid().build();
    (flow.nodes[1] as { params: unknown }).params = ['return 1'];
    expect(problemsOf(flow)).toEqual([{ nodeId: 'calc', field: 'params', message: 'must be an object' }]);
  });

  it.each([
    { name: 'respond status', params: { status: '{{ input.code }}' } },
    { name: 'respond status inside text', params: { status: '{{ input.code }}', body: 'total {{ input.total }}' } },
    { name: 'respond headers and body', params: { headers: { 'x-order': '{{ trigger.body.id }}' }, body: { total: '{{ input.total }}' } } },
  ])('accepts a templated $name at save', ({ params }) => {
    expect(problemsOf(aFlow().trigger('hook').node('reply', 'respond', params).edge('hook', 'reply').build())).toEqual([]);
  });

  it('accepts templated delay ms and until at save', () => {
    const flow = aFlow().trigger('hook')
      .node('w1', 'delay', { ms: '{{ input.waitMs }}' }).node('w2', 'delay', { until: '{{ input.at }}' })
      .edge('hook', 'w1').edge('hook', 'w2').build();
    expect(problemsOf(flow)).toEqual([]);
  });
});

describe('retry and timeoutMs overrides', () => {
  /** hook → calc, with raw (possibly invalid) fields merged into calc. */
  const withExtras = (extras: Record<string, unknown>) => {
    const flow = aFlow().trigger('hook').node('calc', 'transform', { code: 'return 1' }).edge('hook', 'calc').build();
    Object.assign(flow.nodes[1], extras);
    return flow;
  };

  it.each([
    { name: 'maxAttempts 0', retry: { maxAttempts: 0 }, field: 'retry.maxAttempts' },
    { name: 'maxAttempts 1.5', retry: { maxAttempts: 1.5 }, field: 'retry.maxAttempts' },
    { name: 'maxAttempts 101', retry: { maxAttempts: 101 }, field: 'retry.maxAttempts' },
    { name: 'an unknown backoff', retry: { backoff: 'linear' }, field: 'retry.backoff' },
    { name: 'a negative initialDelayMs', retry: { initialDelayMs: -1 }, field: 'retry.initialDelayMs' },
    { name: 'jitter above 1', retry: { jitter: 1.5 }, field: 'retry.jitter' },
    { name: 'retryOn with status 600', retry: { retryOn: [600] }, field: 'retry.retryOn.0' },
    { name: 'an unknown retry field', retry: { attempts: 3 }, field: 'retry.attempts' },
    { name: 'retry that is not an object', retry: 5, field: 'retry' },
  ])('rejects retry with $name, field $field', ({ retry, field }) => {
    expect(problemsOf(withExtras({ retry }))).toEqual([{ nodeId: 'calc', field, message: expect.any(String) }]);
  });

  it('accepts a partial and a full retry override', () => {
    expect(problemsOf(withExtras({ retry: { maxAttempts: 5 } }))).toEqual([]);
    const full = { maxAttempts: 5, backoff: 'exponential', initialDelayMs: 500, maxDelayMs: 60_000, jitter: 0.2, retryOn: [429, 'timeout'] };
    expect(problemsOf(withExtras({ retry: full }))).toEqual([]);
  });

  it.each([0, -5, 1.5, 3_600_001, '1000', null])('rejects timeoutMs %j', (timeoutMs) => {
    expect(problemsOf(withExtras({ timeoutMs }))).toEqual([{ nodeId: 'calc', field: 'timeoutMs', message: 'must be an integer from 1 to 3600000' }]);
  });

  it.each([1, 30_000, 3_600_000])('accepts timeoutMs %d', (timeoutMs) => {
    expect(problemsOf(withExtras({ timeoutMs }))).toEqual([]);
  });
});
