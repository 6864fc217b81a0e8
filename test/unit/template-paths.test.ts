/** Template path completion: paths collected from a run's data within caps, filtered by what was typed, and inserted. */
import { describe, expect, it } from 'vitest';
import {
  acceptSuggestion, collectPaths, describeValue, filterSuggestions, keySegment, openTemplateAt, scopeSuggestions, upstreamOf,
  type PathSuggestion,
} from '../../web/src/editor/template-paths.js';
import { lookUp } from '../../server/runner/templates.js';

const paths = (s: PathSuggestion[]) => s.map((x) => x.path);

describe('collectPaths', () => {
  it('lists every object path and the first item of arrays', () => {
    const out: PathSuggestion[] = [];
    collectPaths({ total: 3, items: [{ sku: 'A' }, { sku: 'B' }], customer: { email: 'a@b' } }, 'input', out);
    expect(paths(out)).toEqual(['input', 'input.total', 'input.items', 'input.items[0]', 'input.items[0].sku', 'input.customer', 'input.customer.email']);
  });

  it('writes keys a dotted path cannot hold in brackets, and leaves out unreachable ones', () => {
    const out: PathSuggestion[] = [];
    collectPaths({ 'x-github-delivery': 1, 'a.b': 2, 'q"u.o': 3, '': 4, __proto__x: 5, ['__proto__']: 6, 'br{ace}': 7, ' pad': 8 }, 'trigger.headers', out);
    expect(paths(out)).toEqual(['trigger.headers', 'trigger.headers.x-github-delivery', 'trigger.headers["a.b"]', "trigger.headers['q\"u.o']", 'trigger.headers.__proto__x']);
  });

  it('finds each listed path with the runner\'s own look-up', () => {
    const scope = { input: null, nodes: {}, trigger: { headers: { 'x-id': 'h', 'a.b': 'dot', "it's": 'q' }, body: { items: [{ sku: 'S' }] } } };
    const out: PathSuggestion[] = [];
    collectPaths(scope.trigger, 'trigger', out);
    for (const { path } of out) expect(lookUp(scope, path), path).not.toBeUndefined();
  });

  it('stops at the depth and count caps', () => {
    const deep = { a: { b: { c: { d: 1 } } } };
    const out: PathSuggestion[] = [];
    collectPaths(deep, 'input', out, { maxDepth: 2, maxPaths: 100 });
    expect(paths(out)).toEqual(['input', 'input.a', 'input.a.b']);
    const wide = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]));
    const many: PathSuggestion[] = [];
    collectPaths(wide, 'input', many, { maxDepth: 6, maxPaths: 50 });
    expect(many).toHaveLength(50);
  });

  it('describes values as short text', () => {
    expect(describeValue('x'.repeat(40))).toBe(`"${'x'.repeat(24)}…"`);
    expect([describeValue(3), describeValue(null), describeValue([1, 2]), describeValue({ a: 1 }), describeValue(true)])
      .toEqual(['3', 'null', 'array (2)', 'object (1 keys)', 'true']);
  });
});

describe('scopeSuggestions', () => {
  it('offers the roots and upstream nodes before any run', () => {
    expect(paths(scopeSuggestions({ upstream: ['calc', 'hook'], outputs: {} }))).toEqual([
      'input', 'trigger', 'trigger.method', 'trigger.headers', 'trigger.query', 'trigger.body', 'trigger.receivedAt', 'trigger.eventId',
      'nodes.calc', 'nodes.hook',
    ]);
  });

  it('after a run, offers the paths inside the trigger, the input and upstream outputs', () => {
    const all = paths(scopeSuggestions({
      trigger: { method: 'POST', headers: { 'x-id': '1' }, body: { total: 5 } },
      input: { total: 5 }, upstream: ['calc', 'my.node'], outputs: { calc: { sum: 10 }, 'my.node': 1 },
    }));
    expect(all).toEqual(expect.arrayContaining(['input.total', 'trigger.headers.x-id', 'trigger.body.total', 'nodes.calc.sum', 'nodes["my.node"]']));
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('filterSuggestions', () => {
  const all = ['input', 'input.total', 'trigger.body.total', 'trigger.headers.x-id', 'nodes.calc.Total'].map((path) => ({ path, detail: '' }));
  it('puts prefix matches first, then paths containing the text, ignoring case', () => {
    expect(paths(filterSuggestions(all, 'input.t'))).toEqual(['input.total']);
    expect(paths(filterSuggestions(all, 'TOTAL'))).toEqual(['input.total', 'trigger.body.total', 'nodes.calc.Total']);
    expect(paths(filterSuggestions(all, 'trig'))).toEqual(['trigger.body.total', 'trigger.headers.x-id']);
  });
  it('lists everything (up to the limit) for an empty query', () => {
    expect(filterSuggestions(all, '  ', 2)).toHaveLength(2);
  });
});

describe('upstreamOf', () => {
  it('walks edges backwards, nearest first, through fan-in and without looping', () => {
    const edges = [{ source: 'hook', target: 'check' }, { source: 'check', target: 'calc' }, { source: 'hook', target: 'calc' }, { source: 'calc', target: 'send' }, { source: 'send', target: 'calc' }];
    expect(upstreamOf('send', edges)).toEqual(['calc', 'check', 'hook']);
    expect(upstreamOf('hook', edges)).toEqual([]);
  });
});

describe('openTemplateAt and acceptSuggestion', () => {
  it('finds an unclosed template before the caret', () => {
    expect(openTemplateAt('Hi {{', 5)).toEqual({ from: 5, query: '' });
    expect(openTemplateAt('Hi {{ inp', 9)).toEqual({ from: 6, query: 'inp' });
    expect(openTemplateAt('Hi {{ a }} and', 14)).toBeUndefined();
    expect(openTemplateAt('no template', 5)).toBeUndefined();
    expect(openTemplateAt('{{ a }} {{ b', 12)).toEqual({ from: 11, query: 'b' });
  });

  it('inserts the path, closes the template and puts the caret after it', () => {
    const t = 'Order {{';
    expect(acceptSuggestion(t, t.length, openTemplateAt(t, t.length)!, 'input.id')).toEqual({ text: 'Order {{ input.id }}', caret: 20 });
    const u = 'Order {{ inp!';
    expect(acceptSuggestion(u, 12, openTemplateAt(u, 12)!, 'input.id')).toEqual({ text: 'Order {{ input.id }}!', caret: 20 });
  });

  it('replaces the old path of a template that is already closed', () => {
    const t = 'A {{ input.to }} B';
    expect(acceptSuggestion(t, 10, openTemplateAt(t, 10)!, 'input.total')).toEqual({ text: 'A {{ input.total }} B', caret: 19 });
  });
});

describe('keySegment', () => {
  it('refuses keys no template can reach', () => {
    expect(['constructor', 'prototype', '__proto__', '', 'a{b', 'x '].map(keySegment)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(keySegment(`a.b"c'`)).toBeUndefined();
  });
});
