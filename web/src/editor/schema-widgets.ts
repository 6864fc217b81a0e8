/** PURE: which form widget a JSON Schema gets, enum values in either spelling, and loose text → value parsing. */
import type { JsonSchema } from '../api/types.js';

export type Widget = 'code' | 'enum' | 'template-enum' | 'text' | 'number' | 'boolean' | 'list' | 'multi' | 'object' | 'json' | 'template';

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
  if (s['x-templatable'] && s.anyOf?.[0] && enumValues(s.anyOf[0])) return 'template-enum';
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


const UNITS: Record<string, string> = { Ms: 'ms', Sec: 's', Bytes: 'bytes', Min: 'per min' };
const WORDS: Record<string, string> = { url: 'URL', id: 'ID', http: 'HTTP', json: 'JSON', sku: 'SKU', smtp: 'SMTP', ttl: 'TTL' };

/** A parameter's label from its key when the schema has no `title`: `timeoutMs` → "Timeout (ms)", `credentialId` → "Credential". */
export function humanize(key: string): string {
  if (key === '') return key;
  const parts = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(/[\s_-]+/).filter(Boolean);
  const last = parts[parts.length - 1];
  const unit = parts.length > 1 && last !== undefined ? UNITS[last] : undefined;
  if (unit) parts.pop();
  if (parts.length > 1 && parts[parts.length - 1] === 'Id') parts.pop();
  if (parts.length > 1 && unit === 'per min' && parts[parts.length - 1] === 'Per') parts.pop();
  const words = parts.map((w, i) => WORDS[w.toLowerCase()] ?? (i === 0 ? w[0].toUpperCase() + w.slice(1) : w.toLowerCase()));
  return unit ? `${words.join(' ')} (${unit})` : words.join(' ');
}
