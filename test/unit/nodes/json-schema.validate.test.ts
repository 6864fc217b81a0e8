import { describe, expect, it } from 'vitest';
import { createSchemaCompiler, SCHEMA_LIMITS } from '../../../nodes/json-schema.js';

const compiler = createSchemaCompiler();

const timed = <T>(label: string, fn: () => T): [T, number] => {
  const t0 = performance.now();
  const out = fn();
  const ms = performance.now() - t0;
  console.log(`${label}: ${ms.toFixed(2)} ms`);
  return [out, ms];
};

describe('run-time validation', () => {
  it('V-1: a ReDoS pattern runs in linear time (re2js), with the right answer', () => {
    const validate = compiler.compile({ type: 'string', pattern: '^(a|a)*$' });
    const [bad, ms] = timed('V-1 ^(a|a)*$ on a×31+b', () => validate('a'.repeat(31) + 'b'));
    expect(bad).toEqual({ ok: false, errors: [{ path: '', message: 'must match pattern "^(a|a)*$"' }] });
    expect(ms).toBeLessThan(50);
    expect(validate('a'.repeat(31))).toEqual({ ok: true });
    const [, bigMs] = timed('V-1 on a×100k+b', () => validate('a'.repeat(100_000) + 'b'));
    expect(bigMs).toBeLessThan(500);
  });

  it('V-1: patternProperties also run on re2js', () => {
    const validate = compiler.compile({ type: 'object', patternProperties: { '^(a|a)*$': { type: 'number' } } });
    const key = 'a'.repeat(40) + 'b';
    const [res, ms] = timed('V-1 patternProperties', () => validate({ [key]: 'not checked', aaaa: 'x' }));
    expect(res).toEqual({ ok: false, errors: [{ path: '/aaaa', message: 'must be number' }] });
    expect(ms).toBeLessThan(50);
  });

  it('W-14: 1e6 small ints against maxItems 1000 → invalid quickly', () => {
    const validate = compiler.compile({ type: 'array', maxItems: 1000, items: { type: 'integer' } });
    const data = Array.from({ length: 1_000_000 }, (_, i) => i % 100);
    const [res, ms] = timed('W-14 1e6 ints vs maxItems 1000', () => validate(data));
    expect(res).toEqual({ ok: false, errors: [{ path: '', message: 'must NOT have more than 1000 items' }] });
    expect(ms).toBeLessThan(100);
  });

  it('W-15: __proto__/constructor keys are plain data and leave later validations unaffected', () => {
    const validate = compiler.compile({
      type: 'object',
      properties: { polluted: { type: 'number' }, isAdmin: { const: true } },
      additionalProperties: { type: 'object' },
    });
    const hostile = JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}');
    expect(validate(hostile)).toEqual({ ok: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    // a later, ordinary payload sees no inherited `polluted` or `isAdmin`
    expect(validate({})).toEqual({ ok: true });
    expect(validate({ polluted: 'x' })).toEqual({ ok: false, errors: [{ path: '/polluted', message: 'must be number' }] });
    const strict = compiler.compile({ type: 'object', required: ['polluted'] });
    expect(strict({}).ok).toBe(false);
    expect(strict(hostile).ok).toBe(false); // an own "__proto__" key is not "polluted"
  });

  it('W-15: required sees own properties only', () => {
    const validate = compiler.compile({ type: 'object', required: ['toString', 'constructor'] });
    expect(validate({}).ok).toBe(false);
    expect(validate({ toString: 1, constructor: 2 })).toEqual({ ok: true });
  });

  it('does not mutate the payload (no defaults, no coercion)', () => {
    const validate = compiler.compile({ type: 'object', properties: { n: { type: 'number', default: 5 }, s: { type: 'string' } } });
    const data = { s: 1 };
    expect(validate(data).ok).toBe(false);
    expect(validate({})).toEqual({ ok: true });
    expect(data).toEqual({ s: 1 });
  });

  it('reports errors as {path: instancePath, message}, stopping at the first', () => {
    const validate = compiler.compile({
      type: 'object',
      required: ['items'],
      properties: { items: { type: 'array', items: { type: 'object', required: ['sku'], properties: { qty: { type: 'integer', minimum: 1 } } } } },
      additionalProperties: false,
    });
    expect(validate({ items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 0 }] })).toEqual({
      ok: false, errors: [{ path: '/items/1/qty', message: 'must be >= 1' }],
    });
    expect(validate({})).toEqual({ ok: false, errors: [{ path: '', message: "must have required property 'items'" }] });
    expect(validate({ items: [], extra: 1 })).toEqual({ ok: false, errors: [{ path: '', message: 'must NOT have additional properties ("extra")' }] });
    expect(validate({ items: [{}] })).toEqual({ ok: false, errors: [{ path: '/items/0', message: "must have required property 'sku'" }] });
    expect(validate('x')).toEqual({ ok: false, errors: [{ path: '', message: 'must be object' }] });
  });

  it('lists allowed values for enum errors', () => {
    const validate = compiler.compile({ enum: ['paid', 'refunded'] });
    expect(validate('new')).toEqual({ ok: false, errors: [{ path: '', message: 'must be one of "paid", "refunded"' }] });
  });

  it('validates formats (full mode)', () => {
    const validate = compiler.compile({ type: 'string', format: 'email', maxLength: 254 });
    expect(validate('a@b.example')).toEqual({ ok: true });
    expect(validate('nope').ok).toBe(false);
    const date = compiler.compile({ type: 'string', format: 'date', maxLength: 10 });
    expect(date('2024-02-29').ok).toBe(true);
    expect(date('2023-02-29').ok).toBe(false);
  });

  it('caps the string a format looks at, even where maxLength does not stop it (inside anyOf)', () => {
    const validate = compiler.compile({ anyOf: [{ type: 'string', format: 'email', maxLength: 254 }, { type: 'number' }] });
    const [res, ms] = timed('format in anyOf on a 1 MiB string', () => validate(`a@${'a'.repeat(1 << 20)}`));
    expect(res.ok).toBe(false);
    expect(ms).toBeLessThan(200);
    const uri = compiler.compile({ type: 'string', format: 'uri', maxLength: 100_000 });
    expect(uri(`https://e.test/${'a'.repeat(SCHEMA_LIMITS.maxFormatLength)}`).ok).toBe(false);
    expect(uri('https://e.test/a').ok).toBe(true);
  });

  it('answers "too deeply nested" instead of overflowing the stack on recursive schemas', () => {
    const validate = compiler.compile({ anyOf: [{ type: 'number' }, { type: 'array', items: { $ref: '#' } }] });
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(validate([[1], 2])).toEqual({ ok: true });
    expect(validate(deep)).toEqual({ ok: false, errors: [{ path: '', message: 'data is nested too deeply to validate' }] });
  });

  it('reuses compiled validators for equal schemas', () => {
    const c = createSchemaCompiler();
    const a = c.compile({ type: 'object', properties: { x: { type: 'number' } } });
    const b = c.compile(JSON.parse('{"type":"object","properties":{"x":{"type":"number"}}}'));
    expect(b).toBe(a);
    const [, ms] = timed('cached compile', () => c.compile({ type: 'object', properties: { x: { type: 'number' } } }));
    expect(ms).toBeLessThan(20);
  });

  it('keeps its cache bounded', () => {
    const c = createSchemaCompiler();
    const first = c.compile({ const: 0 });
    for (let i = 1; i <= SCHEMA_LIMITS.cacheSize; i++) c.compile({ const: i });
    expect(c.compile({ const: 0 })).not.toBe(first); // evicted, compiled again
    expect(c.compile({ const: 0 })(0)).toEqual({ ok: true });
  });

  it('is not affected by later changes to the schema object it compiled', () => {
    const schema = { type: 'object', properties: { a: { type: 'number' } } };
    const validate = compiler.compile(schema);
    schema.properties.a.type = 'string';
    expect(validate({ a: 1 })).toEqual({ ok: true });
  });
});
