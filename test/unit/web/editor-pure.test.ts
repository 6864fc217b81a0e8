// Pure helpers of the editor's forms, data views and lists: x-when, dropped paths, data shapes, problem labels, list summaries, durations.
import { describe, expect, it } from 'vitest';
import { isShown } from '../../../web/src/editor/field-when.js';
import { insertDropped, insideJsonString } from '../../../web/src/editor/drop-path.js';
import { cellText, childPath, pageOf, schemaRows, tableOf } from '../../../web/src/editor/data-shape.js';
import { fieldLabel } from '../../../web/src/editor/problem-text.js';
import { answeredStatus, triggerSummary } from '../../../web/src/executions/format.js';
import { formatMs } from '../../../web/src/format.js';
import { syntaxProblems } from '../../../web/src/editor/code-syntax.js';

describe('x-when', () => {
  const props = { kind: { default: 'none' }, header: { 'x-when': { kind: ['hmac'] } }, window: { 'x-when': { key: ['*'] } } };
  it.each([
    [{}, 'header', false], [{ kind: 'hmac' }, 'header', true], [{ kind: '{{ input.k }}' }, 'header', true],
    [{}, 'window', false], [{ key: 'x-id' }, 'window', true],
  ] as const)('siblings %j: %s shown = %s', (siblings, field, shown) => {
    expect(isShown(props[field], undefined, siblings, props)).toBe(shown);
  });
  it('always shows a field that has a value (so it can be cleared)', () => {
    expect(isShown(props.header, 'x-sig', { kind: 'none' }, props)).toBe(true);
  });
});

describe('dropping a path', () => {
  it('inserts {{ path }} at the caret, quoted when outside a JSON string', () => {
    expect(insertDropped('Hi ', 3, 'input.name', false)).toEqual({ text: 'Hi {{ input.name }}', caret: 19 });
    expect(insertDropped('{"a": }', 6, 'input.n', true).text).toBe('{"a": "{{ input.n }}"}');
    expect(insertDropped('{"a": "x "}', 9, 'input.n', true).text).toBe('{"a": "x {{ input.n }}"}');
    expect(insideJsonString('{"a\\"b": ', 5)).toBe(true);
  });
});

describe('data shapes', () => {
  it('pages arrays and leaves other values alone', () => {
    const v = Array.from({ length: 60 }, (_, i) => i);
    expect(pageOf(v, 1)).toMatchObject({ offset: 25, total: 60 });
    expect(pageOf(v, 9)?.items).toEqual([50, 51, 52, 53, 54, 55, 56, 57, 58, 59]);
    expect(pageOf({ a: 1 }, 0)).toBeUndefined();
  });
  it('tables objects by their keys and other items as one column', () => {
    expect(tableOf([{ a: 1 }, { b: 2 }])).toEqual({ columns: ['a', 'b'], rows: [[1, undefined], [undefined, 2]] });
    expect(tableOf([1, 'x']).columns).toEqual(['value']);
    expect(cellText({ k: 'v' })).toBe('{"k":"v"}');
  });
  it('lists every field with the path a template uses', () => {
    const rows = schemaRows({ body: { items: [{ sku: 'A' }], 'a.b': 1 } }, 'input');
    expect(rows.map((r) => r.path)).toEqual(['input.body', 'input.body.items', 'input.body.items[0]', 'input.body.items[0].sku', 'input.body["a.b"]']);
    expect(childPath('input', '__proto__')).toBeUndefined();
  });
});

describe('labels and summaries', () => {
  const schema = { properties: { auth: { title: 'Authentication', properties: { credentialId: { title: 'Credential' } } }, rules: { items: { properties: { value: {} } } } } };
  it('names a problem field by the form label', () => {
    expect(fieldLabel('params.auth.credentialId', schema)).toBe('Authentication › Credential');
    expect(fieldLabel('params.rules.0.value', schema)).toBe('Rules › #1 › Value');
    expect(fieldLabel('edges', undefined)).toBe('Connections');
  });
  it('summarises a trigger and the HTTP status answered', () => {
    expect(triggerSummary({ mode: 'sync', trigger: { method: 'POST', idempotencyKey: 'd-1', bodyPreview: '{}' } })).toBe('POST · key d-1');
    expect(triggerSummary({ mode: 'test', trigger: { method: 'POST', bodyPreview: 'x'.repeat(60) } })).toBe(`test · POST · ${'x'.repeat(48)}…`);
    expect(answeredStatus({ mode: 'async', status: 'running' })).toBe(202);
    expect(answeredStatus({ mode: 'sync', status: 'succeeded', answer: { status: 201, headers: {}, body: null, at: 1 } })).toBe(201);
    expect(answeredStatus({ mode: 'test', status: 'succeeded' })).toBeUndefined();
  });
  it.each([[850, '850 ms'], [13_300, '13.3 s'], [125_000, '2 min 5 s'], [3_840_000, '1 h 4 min']])('formats %d ms as %s', (ms, text) => {
    expect(formatMs(ms)).toBe(text);
  });
  it('finds no syntax error in an empty code field (nothing typed yet)', () => {
    expect(syntaxProblems('', 'expression')).toEqual([]);
    expect(syntaxProblems('  ', 'function')).toEqual([]);
  });
});

describe('flow document round trip of what the editor adds', () => {
  it('keeps disabled, pinned input and sticky notes', async () => {
    const { toCanvas, toDoc } = await import('../../../web/src/editor/flow-doc.js');
    const { toNoteDocs, toNoteNodes, newNoteId } = await import('../../../web/src/editor/note-doc.js');
    const nodes = [{ id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: {} },
      { id: 'calc', type: 'transform', position: { x: 1, y: 2 }, params: { code: 'return 1' }, disabled: true, pinnedInput: { body: { a: 1 } } }];
    const c = toCanvas({ nodes, edges: [] });
    expect(toDoc(c.nodes, c.edges).nodes).toEqual(nodes);
    const notes = [{ id: 'sticky_1', text: 'Why this flow', position: { x: 5, y: 6 }, size: { width: 300, height: 90 } }];
    expect(toNoteDocs(toNoteNodes(notes))).toEqual(notes);
    expect(newNoteId([{ id: 'sticky_1' }, { id: 'hook' }])).toBe('sticky_2');
  });
});
