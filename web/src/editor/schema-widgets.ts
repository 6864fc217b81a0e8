/** PURE: which form widget a JSON Schema gets, enum values in either spelling, and loose text → value parsing. */
import type { JsonSchema } from '../api/types.js';

export type Widget = 'code' | 'enum' | 'text' | 'number' | 'boolean' | 'list' | 'multi' | 'object' | 'json' | 'template';

const typeOf = (s: JsonSchema): string | undefined => (Array.isArray(s.type) ? s.type[0] : s.type);

/** The allowed values of an enum written either as `enum` or as `anyOf` of `const`s. */
export function enumValues(s: JsonSchema): string[] | undefined {
  if (Array.isArray(s.enum)) return s.enum.map(String);
  if (s.anyOf?.length && s.anyOf.every((a) => a.const !== undefined)) return s.anyOf.map((a) => String(a.const));
  return undefined;
}

/** Which widget a schema gets. */
export function widgetOf(s: JsonSchema, key: string): Widget {
  if (s['x-widget'] === 'code' || s['x-widget'] === 'expression' || (key === 'code' && typeOf(s) === 'string')) return 'code';
  if (enumValues(s)) return 'enum';
  const t = typeOf(s);
  if (t === 'string') return 'text';
  if (t === 'number' || t === 'integer') return 'number';
  if (t === 'boolean') return 'boolean';
  if (t === 'array' && s.items && enumValues(s.items)) return 'multi';
  if (t === 'array' && s.items && typeOf(s.items) === 'string') return 'list';
  if (t === 'object' && s.properties && Object.keys(s.properties).length > 0) return 'object';
  if (s.anyOf?.some((a) => typeOf(a) === 'string' && a.const === undefined) && s.anyOf.every((a) => typeOf(a) !== 'object' && typeOf(a) !== 'array')) return 'template';
  return 'json';
}

/** A text that may be a template or a literal: numbers and booleans typed as such become those values. */
export const parseLoose = (text: string): unknown => {
  if (text === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
};

