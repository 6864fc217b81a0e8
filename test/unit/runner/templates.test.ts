// Templates: `{{ path }}` look-ups in params against {input, trigger, nodes}; whole templates keep the value, text stringifies.
import { describe, expect, it } from 'vitest';
import { hasTemplate, lookUp, renderParams, renderString, type TemplateScope } from '../../../server/runner/templates.js';
import { PathSyntaxError } from '../../../nodes/paths.js';

const scope = (): TemplateScope => ({
  input: { total: 42, items: [{ sku: 'A-1', qty: 2 }, { sku: 'B-2', qty: 0 }], customer: { name: 'Ada' }, flag: false, none: null, zero: 0 },
  trigger: { method: 'POST', headers: { 'x-id': 'evt_1', 'content-type': 'application/json' }, query: { page: '2' }, body: { id: 7 } },
  nodes: { calc: { total: 99, tags: ['a', 'b'] }, check: 'passed' },
  execution: { id: 'exe_1', attempt: 2 },
});

describe('lookUp', () => {
  it.each([
    { path: 'input.total', value: 42 },
    { path: 'input.items[1].sku', value: 'B-2' },
    { path: 'input.items.0.qty', value: 2 },
    { path: 'input.customer', value: { name: 'Ada' } },
    { path: 'input.flag', value: false },
    { path: 'input.none', value: null },
    { path: 'trigger.headers.x-id', value: 'evt_1' },
    { path: 'trigger.query.page', value: '2' },
    { path: 'nodes.calc.total', value: 99 },
    { path: 'nodes.calc.tags[1]', value: 'b' },
    { path: 'nodes.check', value: 'passed' },
    { path: 'execution.attempt', value: 2 },
    { path: 'input.items.length', value: 2 },
    { path: 'input.missing', value: undefined },
    { path: 'input.items[9].sku', value: undefined },
    { path: 'input.total.deeper', value: undefined },
    { path: 'nodes.nope.total', value: undefined },
    { path: 'env.SECRET', value: undefined },
    { path: 'process', value: undefined },
    { path: 'globalThis.process', value: undefined },
    { path: '', value: undefined },
  ])('$path → $value', ({ path, value }) => {
    expect(lookUp(scope(), path)).toEqual(value);
  });

  it('returns a root itself; `nodes` as a copy of the live outputs map (A-17)', () => {
    const s = scope();
    expect(lookUp(s, 'input')).toBe(s.input);
    expect(lookUp(s, 'nodes')).not.toBe(s.nodes);
    expect(lookUp(s, 'nodes')).toEqual(s.nodes);
  });

  it.each([
    'input.__proto__', 'input.constructor', 'input.constructor.name', 'input.__proto__.toString', 'input.items.constructor',
    'input.toString', 'input.hasOwnProperty', 'input.items.map', 'nodes.__proto__', 'nodes.calc.constructor',
    'trigger.headers.__proto__', '__proto__', 'constructor', 'constructor.constructor', 'input["__proto__"]', 'input.prototype',
  ])('never walks to a prototype or inherited member: %s → undefined', (path) => {
    expect(lookUp(scope(), path)).toBeUndefined();
  });
});

describe('renderString: a whole template yields the value itself', () => {
  it.each([
    { tpl: '{{ input.total }}', value: 42 },
    { tpl: '{{input.total}}', value: 42 },
    { tpl: '{{   input.total   }}', value: 42 },
    { tpl: '{{ input.customer }}', value: { name: 'Ada' } },
    { tpl: '{{ input.items }}', value: [{ sku: 'A-1', qty: 2 }, { sku: 'B-2', qty: 0 }] },
    { tpl: '{{ input.flag }}', value: false },
    { tpl: '{{ input.none }}', value: null },
    { tpl: '{{ input.zero }}', value: 0 },
    { tpl: '{{ input.missing }}', value: undefined },
    { tpl: '{{ trigger.headers.x-id }}', value: 'evt_1' },
    { tpl: '{{ nodes.calc.tags }}', value: ['a', 'b'] },
    { tpl: '{{ secrets.key }}', value: undefined },
    { tpl: '{{ input.__proto__ }}', value: undefined },
  ])('$tpl → $value', ({ tpl, value }) => {
    expect(renderString(tpl, scope())).toEqual(value);
  });
});

describe('renderString: templates inside text are written as text', () => {
  it.each([
    { tpl: 'Total: {{ input.total }}', text: 'Total: 42' },
    { tpl: '{{ input.total }} items', text: '42 items' },
    { tpl: ' {{ input.total }}', text: ' 42' },
    { tpl: 'id={{ trigger.headers.x-id }}&n={{ nodes.calc.total }}', text: 'id=evt_1&n=99' },
    { tpl: '{{ input.total }}{{ input.total }}', text: '4242' },
    { tpl: 'c={{ input.customer }}', text: 'c={"name":"Ada"}' },
    { tpl: 't={{ nodes.calc.tags }}', text: 't=["a","b"]' },
    { tpl: 'f={{ input.flag }} z={{ input.zero }}', text: 'f=false z=0' },
    { tpl: 'n=[{{ input.none }}] u=[{{ input.missing }}]', text: 'n=[] u=[]' },
    { tpl: 'Hello {{ input.customer.name }}!', text: 'Hello Ada!' },
    { tpl: 'x{{ input.constructor }}x', text: 'xx' },
    { tpl: 'x{{ env.HOME }}x', text: 'xx' },
  ])('$tpl → $text', ({ tpl, text }) => {
    expect(renderString(tpl, scope())).toBe(text);
  });

  it('does not render templates found in a looked-up value again', () => {
    const s = { ...scope(), input: { note: '{{ trigger.headers.x-id }}' } };
    expect(renderString('note: {{ input.note }}', s)).toBe('note: {{ trigger.headers.x-id }}');
    expect(renderString('{{ input.note }}', s)).toBe('{{ trigger.headers.x-id }}');
  });

  it('writes `$` sequences in values literally', () => {
    const s = { ...scope(), input: { v: "$& $1 $$ $'" } };
    expect(renderString('[{{ input.v }}]', s)).toBe("[$& $1 $$ $']");
  });
});

describe('renderString: malformed paths', () => {
  // The runner (advance.ts) turns this throw into a permanent `invalid_params` failure of the node.
  it.each(['{{ input[x] }}', '{{ input.items[] }}', '{{ input.a. }}', 'text {{ input.a]b }} text', '{{ nodes["calc }}'])(
    '%s throws PathSyntaxError',
    (tpl) => {
      expect(() => renderString(tpl, scope())).toThrow(PathSyntaxError);
    },
  );
});

describe('renderString: strings that are not templates', () => {
  it.each([
    'plain text', '', '{ not a template }', '{{ unclosed', 'closed }}', 'a { b } c', 'return { a: { b: 1 } }',
  ])('returns %j unchanged', (s) => {
    expect(renderString(s, scope())).toBe(s);
  });

  it('returns the very same string when there is no template', () => {
    const s = 'x'.repeat(1000);
    expect(renderString(s, scope())).toBe(s);
  });
});

describe('hasTemplate', () => {
  it.each([
    { s: '{{ input.a }}', has: true },
    { s: 'a {{x}} b', has: true },
    { s: '{{}}', has: true },
    { s: 'no template', has: false },
    { s: '{{ open', has: false },
    { s: '{ single }', has: false },
  ])('$s → $has', ({ s, has }) => {
    expect(hasTemplate(s)).toBe(has);
  });
});

describe('renderParams', () => {
  it('renders nested objects and arrays, leaving non-strings as they are', () => {
    const params = {
      status: '{{ input.total }}',
      headers: { 'x-order': 'order-{{ trigger.body.id }}', 'x-static': 'yes' },
      body: { items: '{{ input.items }}', list: ['{{ nodes.calc.total }}', 'n={{ nodes.calc.total }}', 3, true, null], nested: { deep: ['{{ input.customer.name }}'] } },
      count: 5,
      enabled: false,
      nothing: null,
    };
    expect(renderParams(params, scope())).toEqual({
      status: 42,
      headers: { 'x-order': 'order-7', 'x-static': 'yes' },
      body: { items: [{ sku: 'A-1', qty: 2 }, { sku: 'B-2', qty: 0 }], list: [99, 'n=99', 3, true, null], nested: { deep: ['Ada'] } },
      count: 5,
      enabled: false,
      nothing: null,
    });
  });

  it('leaves raw params untouched at the top level', () => {
    const code = 'return `{{ input.total }}` + input.total';
    const schema = { type: 'object', description: '{{ input.total }}' };
    const out = renderParams({ code, schema, label: '{{ input.total }}' }, scope(), ['code', 'schema']);
    expect(out.code).toBe(code);
    expect(out.schema).toBe(schema);
    expect(out.label).toBe(42);
  });

  it('renders a nested key that merely shares a raw param\'s name', () => {
    const out = renderParams({ body: { code: '{{ input.total }}' } }, scope(), ['code']);
    expect(out).toEqual({ body: { code: 42 } });
  });

  it('does not render object keys', () => {
    const out = renderParams({ headers: { '{{ input.total }}': 'v' } }, scope());
    expect(out).toEqual({ headers: { '{{ input.total }}': 'v' } });
  });

  it('does not mutate the params it was given', () => {
    const params = { a: '{{ input.total }}', b: { c: ['{{ input.total }}'] } };
    const copy = structuredClone(params);
    renderParams(params, scope());
    expect(params).toEqual(copy);
  });

  it('returns an empty object for empty params', () => {
    expect(renderParams({}, scope())).toEqual({});
  });

  it('keeps undefined for a whole template that finds nothing', () => {
    const out = renderParams({ body: '{{ input.missing }}' }, scope());
    expect(Object.keys(out)).toEqual(['body']);
    expect(out.body).toBeUndefined();
  });
});

describe('__proto__ keys in params', () => {
  it('keeps them as own data and never changes the prototype', () => {
    const params = JSON.parse('{"body":{"__proto__":{"x":"{{ input.v }}"},"y":1}}');
    const out = renderParams(params, { input: { v: 7 }, trigger: {}, nodes: {} }) as { body: Record<string, unknown> };
    expect(Object.getPrototypeOf(out.body)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out.body, '__proto__')?.value).toEqual({ x: 7 });
    expect(JSON.stringify(out.body)).toBe('{"__proto__":{"x":7},"y":1}');
  });
});

describe('A-17: {{ nodes }} and other whole-scope look-ups', () => {
  it('A-17: a rendered {{ nodes }} never shares the live outputs map, so a later output holding it is no cycle', () => {
    const nodes: Record<string, unknown> = Object.create(null);
    nodes.hook = { body: { id: 1 } };
    const rendered = renderParams({ body: '{{ nodes }}' }, { input: null, trigger: {}, nodes });
    nodes.answer = { body: rendered.body }; // what the runner does with the node's output
    expect(() => JSON.stringify(nodes)).not.toThrow();
    expect(rendered.body).toEqual({ hook: { body: { id: 1 } } });
  });

  it('A-17: the copy is cut at a depth and a size, so chains of {{ nodes }} cannot grow without bound', () => {
    const nodes: Record<string, unknown> = Object.create(null);
    nodes.n0 = { v: 'x'.repeat(10) };
    for (let i = 1; i <= 40; i++) nodes[`n${i}`] = renderParams({ all: '{{ nodes }}' }, { input: null, trigger: {}, nodes });
    const text = JSON.stringify(nodes);
    expect(text.length).toBeLessThan(50 * 1024 * 1024);
    expect(text).toContain('[cut');
    // Deep values are cut, not lost silently: a marker says where.
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i++) deep = { d: deep };
    const one: Record<string, unknown> = Object.create(null);
    one.deep = deep;
    const out = renderString('{{ nodes }}', { input: null, trigger: {}, nodes: one });
    expect(JSON.stringify(out)).toContain('[cut');
    expect(JSON.stringify(out)).not.toContain('leaf');
  });

  it('A-17: {{ nodes }} inside text renders as JSON text', () => {
    const nodes: Record<string, unknown> = Object.create(null);
    nodes.a = { x: 1 };
    expect(renderString('all: {{ nodes }}', { input: null, trigger: {}, nodes })).toBe('all: {"a":{"x":1}}');
  });
});
