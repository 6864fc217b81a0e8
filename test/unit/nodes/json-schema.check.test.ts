import { describe, expect, it } from 'vitest';
import { AJV_OPTIONS, createSchemaCompiler, InvalidSchemaError, SCHEMA_LIMITS } from '../../../nodes/json-schema.js';

const compiler = createSchemaCompiler();
const check = (schema: unknown) => compiler.check(schema);

describe('production ajv options (config test)', () => {
  it('stops at the first error and has $data off (V-2, V-4)', () => {
    expect(AJV_OPTIONS.allErrors).toBe(false);
    expect(AJV_OPTIONS.$data).toBe(false);
  });
  it('is strict about keywords, never mutates data, reads own properties only, loads nothing remote', () => {
    expect(AJV_OPTIONS.strict).toBe(true);
    expect(AJV_OPTIONS.ownProperties).toBe(true);
    expect(AJV_OPTIONS.useDefaults).toBe(false);
    expect(AJV_OPTIONS.coerceTypes).toBe(false);
    expect(AJV_OPTIONS.removeAdditional).toBe(false);
    expect(AJV_OPTIONS.allowMatchingProperties).toBe(true);
    expect(AJV_OPTIONS.loadSchema).toBeUndefined();
  });
  it('routes user patterns through the re2js engine', () => {
    const engine = AJV_OPTIONS.code?.regExp;
    expect(engine).toBeTypeOf('function');
    expect(engine?.code).not.toBe('new RegExp');
    expect(engine?.('^a+$', 'u').test('aaa')).toBe(true);
  });
  it('is frozen', () => {
    expect(Object.isFrozen(AJV_OPTIONS)).toBe(true);
  });
});

describe('save-time check', () => {
  it.each<[string, unknown]>([
    ['an object schema', { type: 'object', required: ['id'], properties: { id: { type: 'string' } } }],
    ['the empty schema', {}],
    ['boolean true', true],
    ['keywords without a type (strictTypes off)', { properties: { a: { minimum: 1 } } }],
    ['union types', { type: ['string', 'null'] }],
    ['a linear-time pattern without maxLength', { type: 'string', pattern: '^(a|a)*$' }],
    ['format with maxLength', { type: 'string', format: 'email', maxLength: 254 }],
    ['number formats without maxLength', { type: 'integer', format: 'int32' }],
    ['password format without maxLength', { type: 'string', format: 'password' }],
    ['uniqueItems with maxItems', { type: 'array', uniqueItems: true, maxItems: 100 }],
    ['local $ref and $defs', { $defs: { n: { type: 'number' } }, properties: { a: { $ref: '#/$defs/n' } } }],
    ['the 2020-12 $schema', { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' }],
    ['a property literally named $data', { properties: { $data: { type: 'string' } } }],
    ['$data inside const (plain data)', { const: { $data: '1/x' } }],
    ['annotations', { title: 't', description: 'd', examples: [1], deprecated: true, $comment: 'c' }],
  ])('accepts %s', (_name, schema) => {
    expect(check(schema)).toEqual([]);
  });

  it('names the field of a meta-schema error', () => {
    expect(check({ type: 'object', properties: { age: { type: 'strin' } } })).toEqual([
      { field: 'schema.properties.age.type', message: expect.stringMatching(/must be one of "array", .*"string"/) },
    ]);
    expect(check({ minLength: -1 })).toEqual([{ field: 'schema.minLength', message: 'must be >= 0' }]);
    expect(check({ required: 'id' })).toEqual([{ field: 'schema.required', message: 'must be array' }]);
  });

  it('uses the given field prefix', () => {
    expect(compiler.check({ minLength: -1 }, 'params.schema')).toEqual([{ field: 'params.schema.minLength', message: 'must be >= 0' }]);
  });

  it('rejects non-schemas', () => {
    for (const s of [null, 42, 'x', [], undefined]) {
      expect(check(s)).toEqual([{ field: 'schema', message: 'must be a JSON Schema object' }]);
    }
  });

  it('rejects unknown keywords and unknown formats (strict)', () => {
    expect(check({ type: 'string', example: 'x' })).toEqual([{ field: 'schema', message: expect.stringMatching(/unknown keyword: "example"/) }]);
    expect(check({ type: 'string', format: 'nope', maxLength: 5 })).toEqual([{ field: 'schema', message: expect.stringMatching(/unknown format "nope"/) }]);
  });

  it('never loads remote references', () => {
    expect(check({ $ref: 'https://example.com/schema.json' })).toEqual([
      { field: 'schema', message: expect.stringMatching(/can't resolve reference https:\/\/example.com\/schema.json/) },
    ]);
  });

  it('rejects other drafts named in $schema', () => {
    expect(check({ $schema: 'http://json-schema.org/draft-07/schema#' })).toEqual([
      { field: 'schema.$schema', message: expect.stringMatching(/no schema with key or ref/) },
    ]);
  });

  it('rejects $async schemas (validation must stay synchronous)', () => {
    expect(check({ $async: true, type: 'object' })).toEqual([{ field: 'schema.$async', message: 'async schemas are not supported' }]);
  });

  it('V-2: rejects $data references wherever a keyword takes one', () => {
    expect(check({ properties: { a: { type: 'number' }, b: { type: 'number', maximum: { $data: '1/a' } } } })).toEqual([
      { field: 'schema.properties.b.maximum', message: '$data references are not allowed' },
    ]);
    expect(check({ $data: '1/p' })).toEqual([{ field: 'schema.$data', message: '$data references are not allowed' }]);
    expect(check({ anyOf: [{ items: { minLength: { $data: '/x' } } }] })).toEqual([
      { field: 'schema.anyOf.0.items.minLength', message: '$data references are not allowed' },
    ]);
    expect(check({ enum: { $data: '/x' } })).toEqual([{ field: 'schema.enum', message: 'must be array' }]); // the meta-schema's turn
  });

  it('V-3: rejects a 10,000-deep nested items schema without overflowing the stack', () => {
    let deep: unknown = { type: 'number' };
    for (let i = 0; i < 10_000; i++) deep = { type: 'array', items: deep };
    const t0 = performance.now();
    expect(check(deep)).toEqual([{ field: 'schema', message: `schema is nested deeper than ${SCHEMA_LIMITS.maxDepth} levels` }]);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('V-3: rejects a 1,000,000-deep schema as quickly', () => {
    let deep: unknown = {};
    for (let i = 0; i < 1_000_000; i++) deep = { not: deep };
    expect(check(deep)[0]?.message).toMatch(/nested deeper than 64/);
  });

  it('V-3: accepts depth 64 and rejects 65', () => {
    const nest = (levels: number): unknown => {
      let s: unknown = {};
      for (let i = 1; i < levels; i++) s = { not: s };
      return s;
    };
    expect(check(nest(SCHEMA_LIMITS.maxDepth))).toEqual([]);
    expect(check(nest(SCHEMA_LIMITS.maxDepth + 1))[0]?.message).toMatch(/nested deeper/);
  });

  it('V-3: rejects a 5 MB schema', () => {
    const big = { type: 'object', properties: Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`p${i}`, { type: 'string', description: 'x'.repeat(80) }])) };
    expect(JSON.stringify(big).length).toBeGreaterThan(5_000_000);
    expect(check(big)).toEqual([{ field: 'schema', message: 'schema is larger than 256 KB' }]);
  });

  it('V-3: measures UTF-8 bytes, not characters', () => {
    const s = { description: 'é'.repeat(140 * 1024) }; // 140 K chars, 280 KB of UTF-8
    expect(check(s)).toEqual([{ field: 'schema', message: 'schema is larger than 256 KB' }]);
  });

  it('V-4: flags format without maxLength', () => {
    expect(check({ type: 'string', format: 'email' })).toEqual([
      { field: 'schema.format', message: expect.stringMatching(/format "email" needs "maxLength"/) },
    ]);
    expect(check({ properties: { when: { type: 'string', format: 'date-time' } } })[0]?.field).toBe('schema.properties.when.format');
  });

  it('V-4: flags uniqueItems without maxItems', () => {
    expect(check({ type: 'array', items: { type: 'object' }, uniqueItems: true })).toEqual([
      { field: 'schema.uniqueItems', message: expect.stringMatching(/needs "maxItems"/) },
    ]);
    expect(check({ type: 'array', uniqueItems: false })).toEqual([]);
  });

  it('walks every subschema position', () => {
    const bad = { type: 'string', format: 'uri' };
    const positions: Array<[unknown, string]> = [
      [{ properties: { a: bad } }, 'schema.properties.a.format'],
      [{ patternProperties: { '^x': bad } }, 'schema.patternProperties.^x.format'],
      [{ $defs: { d: bad } }, 'schema.$defs.d.format'],
      [{ items: bad }, 'schema.items.format'],
      [{ prefixItems: [{}, bad] }, 'schema.prefixItems.1.format'],
      [{ allOf: [bad] }, 'schema.allOf.0.format'],
      [{ anyOf: [{}, bad] }, 'schema.anyOf.1.format'],
      [{ oneOf: [bad] }, 'schema.oneOf.0.format'],
      [{ not: bad }, 'schema.not.format'],
      [{ if: bad, then: {}, else: {} }, 'schema.if.format'],
      [{ if: {}, then: bad }, 'schema.then.format'],
      [{ additionalProperties: bad }, 'schema.additionalProperties.format'],
      [{ propertyNames: bad }, 'schema.propertyNames.format'],
      [{ contains: bad }, 'schema.contains.format'],
      [{ dependentSchemas: { a: bad } }, 'schema.dependentSchemas.a.format'],
      [{ unevaluatedProperties: bad }, 'schema.unevaluatedProperties.format'],
    ];
    for (const [schema, field] of positions) expect(check(schema)[0]?.field, field).toBe(field);
  });

  it('rejects patterns the linear-time engine cannot run, naming the field', () => {
    expect(check({ type: 'string', pattern: '(a)\\1' })).toEqual([
      { field: 'schema.pattern', message: expect.stringMatching(/invalid regular expression \/\(a\)\\1\/: backreferences/) },
    ]);
    expect(check({ properties: { a: { type: 'string', pattern: '(?=x)' } } })[0]?.field).toBe('schema.properties.a.pattern');
    expect(check({ patternProperties: { '(?<!x)y': {} } })[0]?.field).toBe('schema.patternProperties.(?<!x)y');
    expect(check({ type: 'string', pattern: '[' })[0]?.field).toBe('schema.pattern');
  });

  it('gives each compiled schema its own $id namespace', () => {
    const c = createSchemaCompiler();
    expect(c.check({ $id: 'https://x.test/a', type: 'string' })).toEqual([]);
    expect(c.check({ $id: 'https://x.test/a', type: 'number' })).toEqual([]); // no "already exists"
    expect(c.check({ $ref: 'https://x.test/a' })[0]?.message).toMatch(/can't resolve reference/);
    expect(c.compile({ $id: 'https://x.test/a', type: 'number' })(1)).toEqual({ ok: true });
    expect(c.compile({ $id: 'https://x.test/a', type: 'string' })(1).ok).toBe(false);
  });

  it('cannot replace the meta-schema, and a failed compile leaves no registration behind', () => {
    const c = createSchemaCompiler();
    expect(c.check({ $id: 'https://json-schema.org/draft/2020-12/schema', type: 'string' })[0]?.message).toMatch(/already exists/);
    expect(c.check({ $id: 'https://x.test/b', type: 'string', bogus: 1 })[0]?.message).toMatch(/unknown keyword/);
    expect(c.check({ $id: 'https://x.test/b', type: 'string' })).toEqual([]);
    expect(c.check({ minLength: -1 })).toEqual([{ field: 'schema.minLength', message: 'must be >= 0' }]);
  });

  it('compile throws InvalidSchemaError carrying the problems', () => {
    let error: unknown;
    try {
      compiler.compile({ type: 'string', format: 'email' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidSchemaError);
    expect((error as InvalidSchemaError).problems[0]?.field).toBe('schema.format');
  });
});
