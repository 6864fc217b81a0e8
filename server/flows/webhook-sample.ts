/** A tiny JSON Schema → sample value generator for webhook docs: examples and defaults first, then required properties with type-appropriate values. */

type Schema = Record<string, unknown>;

const isObj = (x: unknown): x is Schema => typeof x === 'object' && x !== null && !Array.isArray(x);
const MAX_DEPTH = 8;

const FORMATS: Readonly<Record<string, string>> = {
  email: 'user@example.com', uri: 'https://example.com/', url: 'https://example.com/', 'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01', time: '00:00:00Z', uuid: '00000000-0000-4000-8000-000000000000', ipv4: '192.0.2.1', ipv6: '2001:db8::1',
  hostname: 'example.com',
};

function declared(s: Schema): { found: boolean; value?: unknown } {
  if (Array.isArray(s.examples) && s.examples.length > 0) return { found: true, value: s.examples[0] };
  if ('example' in s) return { found: true, value: s.example };
  if ('const' in s) return { found: true, value: s.const };
  if ('default' in s) return { found: true, value: s.default };
  if (Array.isArray(s.enum) && s.enum.length > 0) return { found: true, value: s.enum[0] };
  return { found: false };
}

function typeOf(s: Schema): string | undefined {
  if (typeof s.type === 'string') return s.type;
  if (Array.isArray(s.type)) return s.type.find((t): t is string => typeof t === 'string' && t !== 'null') ?? 'null';
  if (isObj(s.properties) || Array.isArray(s.required)) return 'object';
  if (isObj(s.items)) return 'array';
  return undefined;
}

function numberFor(s: Schema, integer: boolean): number {
  const min = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + (integer ? 1 : 0.5) : undefined;
  const base = min ?? (typeof s.maximum === 'number' ? Math.min(1, s.maximum) : 1);
  return integer ? Math.ceil(base) : base;
}

function stringFor(s: Schema): string {
  if (typeof s.format === 'string' && FORMATS[s.format] !== undefined) return FORMATS[s.format];
  const min = typeof s.minLength === 'number' ? s.minLength : 0;
  const text = 'string';
  return text.length >= min ? text : text.padEnd(min, 'x');
}

function objectFor(s: Schema, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = isObj(s.properties) ? s.properties : {};
  const required = Array.isArray(s.required) ? s.required.filter((k): k is string => typeof k === 'string') : [];
  for (const key of required) out[key] = sampleFromSchema(isObj(props[key]) ? props[key] : {}, depth + 1);
  return out;
}

/** A value that satisfies the common parts of `schema` (never consults the network, never follows $ref). */
export function sampleFromSchema(schema: unknown, depth = 0): unknown {
  if (!isObj(schema) || depth > MAX_DEPTH) return null;
  const d = declared(schema);
  if (d.found) return d.value;
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list) && list.length > 0 && typeOf(schema) === undefined) {
      if (key !== 'allOf') return sampleFromSchema(list[0], depth + 1);
      return Object.assign({}, ...list.map((part) => sampleFromSchema(part, depth + 1)).filter(isObj));
    }
  }
  switch (typeOf(schema)) {
    case 'object': return objectFor(schema, depth);
    case 'array': {
      const n = typeof schema.minItems === 'number' ? Math.min(schema.minItems, 10) : 1;
      return Array.from({ length: Math.max(n, 1) }, () => sampleFromSchema(schema.items, depth + 1));
    }
    case 'string': return stringFor(schema);
    case 'integer': return numberFor(schema, true);
    case 'number': return numberFor(schema, false);
    case 'boolean': return true;
    case 'null': return null;
    default: return {};
  }
}
