// Save-time validation of what the editor adds to a flow: sticky notes, disabled nodes, pinned input, and every problem at once.
import { describe, expect, it } from 'vitest';
import { MAX_PINNED_BYTES, validateFlow, type FlowProblem } from '../../../server/flows/validate-flow.js';
import { createParamsValidator } from '../../../server/flows/params-validator.js';
import { createNodeRegistry } from '../../../nodes/registry.js';
import { aFlow } from '../../helpers/builders.js';

const registry = createNodeRegistry();
const paramsValidator = createParamsValidator();
const validate = (raw: unknown) => validateFlow(raw, registry, paramsValidator);
const problemsOf = (raw: unknown): FlowProblem[] => validate(raw).problems;
const base = () => aFlow().trigger('hook').node('calc', 'transform', { code: 'return input' }).chain('hook', 'calc');

describe('sticky notes', () => {
  it('keeps valid notes and leaves `notes` out when there are none', () => {
    const notes = [{ id: 'n1', text: 'Orders from the shop', position: { x: 10, y: -20 } }, { id: 'n2', text: '', position: { x: 0, y: 0 }, size: { width: 300, height: 90 } }];
    expect(validate({ ...base().build(), notes }).input?.notes).toEqual(notes);
    expect(validate({ ...base().build(), notes: [] }).input).not.toHaveProperty('notes');
  });

  it.each([
    [{ id: '1x', text: 't', position: { x: 0, y: 0 } }, 'notes[0].id'],
    [{ id: 'n', text: 7, position: { x: 0, y: 0 } }, 'notes[0].text'],
    [{ id: 'n', text: 'x'.repeat(10_001), position: { x: 0, y: 0 } }, 'notes[0].text'],
    [{ id: 'n', text: 't', position: { x: 'a', y: 0 } }, 'notes[0].position'],
    [{ id: 'n', text: 't', position: { x: 0, y: 0 }, size: { width: 5, height: 50 } }, 'notes[0].size'],
  ])('refuses a bad note %j naming %s', (note, field) => {
    expect(problemsOf({ ...base().build(), notes: [note] }).map((p) => p.field)).toEqual([field]);
  });

  it('refuses more than 200 notes', () => {
    const notes = Array.from({ length: 201 }, (_, i) => ({ id: `n${i}`, text: '', position: { x: 0, y: 0 } }));
    expect(problemsOf({ ...base().build(), notes })).toEqual([{ field: 'notes', message: 'must be an array of at most 200 notes' }]);
  });
});

describe('disabled nodes and pinned input', () => {
  it('keeps disabled: true and pinnedInput; drops disabled: false', () => {
    const flow = aFlow().trigger('hook').node('calc', 'transform', { code: 'return 1' }, { disabled: true, pinnedInput: { body: { id: 1 } } })
      .node('two', 'transform', { code: 'return 2' }, { disabled: false }).chain('hook', 'calc', 'two').build();
    const nodes = validate(flow).input?.nodes ?? [];
    expect(nodes[1]).toMatchObject({ disabled: true, pinnedInput: { body: { id: 1 } } });
    expect(nodes[2]).not.toHaveProperty('disabled');
  });

  it('refuses a disabled trigger, a non-boolean disabled and pinned input over the cap', () => {
    const flow = aFlow().trigger('hook', {}, { disabled: true })
      .node('a', 'transform', { code: 'return 1' }, { disabled: 'yes' as unknown as boolean })
      .node('b', 'transform', { code: 'return 1' }, { pinnedInput: 'x'.repeat(MAX_PINNED_BYTES) }).chain('hook', 'a', 'b').build();
    expect(problemsOf(flow).map((p) => `${p.nodeId} ${p.field}`).sort()).toEqual(['a disabled', 'b pinnedInput', 'hook disabled']);
  });
});

describe('every problem at once', () => {
  it('lists params problems, a second trigger and a loop in one answer', () => {
    const flow = aFlow().trigger('hook').trigger('hook2')
      .node('a', 'transform', {}).node('b', 'delay', { ms: 1 }).node('c', 'respond', { status: 99 })
      .chain('hook', 'a', 'b', 'c').edge('c', 'a').build();
    const got = problemsOf(flow).map((p) => `${p.nodeId ?? '-'} ${p.field}`);
    expect(got).toEqual(expect.arrayContaining(['a params.code', 'c params.status', 'hook2 nodes']));
    expect(got.some((g) => / edges$/.test(g))).toBe(true);
  });
});
