/** The `set` node: builds its output from `path ← value` assignments (values may be `{{ template }}` look-ups), no code. */
import { Type, type Static } from '@sinclair/typebox';
import { defineNode, permanent, NO_RETRY } from './contract.js';
import { parsePath, PathSyntaxError } from './paths.js';

const TYPES = ['string', 'number', 'boolean', 'json'] as const;
type ValueType = (typeof TYPES)[number];

export const SetAssignment = Type.Object({
  /** Where in the output, e.g. `customer.email` or `items[0].sku`; missing objects are created. `.` replaces the whole output. */
  path: Type.String({ minLength: 1, maxLength: 1000, title: 'Field' }),
  /** A JSON value, or text holding `{{ input.x }}` / `{{ trigger.body.y }}` / `{{ nodes.id.z }}` look-ups (rendered before the node runs). */
  value: Type.Optional(Type.Unknown({ title: 'Value' })),
  /** Convert the (rendered) value: text, a number, true/false, or JSON parsed from text. Absent: kept as it is. */
  type: Type.Optional(Type.Union(TYPES.map((t) => Type.Literal(t)), {
    title: 'As', 'x-labels': { string: 'text', number: 'number', boolean: 'true/false', json: 'JSON' },
  })),
}, { additionalProperties: false });

export const SetParams = Type.Object({
  assignments: Type.Array(SetAssignment, { minItems: 1, maxItems: 200, title: 'Fields to set' }),
  /** `all`: start from a copy of the input and set fields on it; `none`: start from an empty object (drop the rest). @default 'all' */
  keep: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('none')], {
    default: 'all', title: 'Other input fields', 'x-labels': { all: 'keep them', none: 'drop them' },
  })),
}, { additionalProperties: false, 'x-widget': 'set' });
type Assignment = Static<typeof SetAssignment>;

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function keysOf(path: string): string[] | string {
  try {
    const keys = parsePath(path);
    const bad = keys.find((k) => FORBIDDEN.has(k));
    return bad === undefined ? keys : `"${bad}" cannot be set`;
  } catch (e) {
    if (e instanceof PathSyntaxError) return e.message;
    throw e;
  }
}

const fail = (i: number, message: string) => permanent('set_value_invalid', `assignments.${i}: ${message}`);

/** The rendered value converted to `type`, or a permanent `set_value_invalid` naming the assignment. */
export function convert(v: unknown, type: ValueType | undefined, i: number): unknown {
  switch (type) {
    case undefined: return v;
    case 'string': return v === undefined || v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'number': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw fail(i, `${JSON.stringify(v) ?? 'undefined'} is not a number`);
      return n;
    }
    case 'boolean': {
      if (typeof v === 'boolean') return v;
      const t = typeof v === 'string' ? v.trim().toLowerCase() : v;
      if (t === 'true' || t === 1 || t === '1' || t === 'yes') return true;
      if (t === 'false' || t === 0 || t === '0' || t === 'no' || t === '') return false;
      throw fail(i, `${JSON.stringify(v) ?? 'undefined'} is not true or false`);
    }
    case 'json': {
      if (typeof v !== 'string') return v;
      try {
        return JSON.parse(v) as unknown;
      } catch (e) {
        throw fail(i, `not JSON: ${(e as Error).message}`);
      }
    }
  }
}

/** Set `value` at `keys` inside `root` (copied along the way, never mutating the input); returns the new root. */
function setIn(root: unknown, keys: readonly string[], value: unknown): unknown {
  if (keys.length === 0) return value;
  const [k, ...rest] = keys;
  if (Array.isArray(root) && /^\d+$/.test(k)) {
    const copy = [...root];
    copy[Number(k)] = setIn(copy[Number(k)], rest, value);
    return copy;
  }
  const copy: Record<string, unknown> = isObject(root) ? { ...root } : {};
  copy[k] = setIn(Object.hasOwn(copy, k) ? copy[k] : undefined, rest, value);
  return copy;
}

export const setNode = defineNode({
  type: 'set',
  title: 'Set fields',
  category: 'data',
  description: 'Sets fields on the input (or on an empty object) from values and {{ template }} look-ups, no code.',
  params: SetParams,
  defaults: { assignments: [{ path: 'received', value: '{{ trigger.receivedAt }}', type: 'string' }], keep: 'all' },
  ports: ['out'] as const,
  retry: NO_RETRY,
  timeoutMs: 2000,
  effect: 'pure',

  check(params) {
    return params.assignments.flatMap((a: Assignment, i) => {
      const keys = keysOf(a.path);
      const out = typeof keys === 'string' ? [{ field: `assignments.${i}.path`, message: keys }] : [];
      if (a.type !== undefined && a.type !== 'string' && typeof a.value === 'string' && !a.value.includes('{{')) {
        try { convert(a.value, a.type, i); } catch (e) { out.push({ field: `assignments.${i}.value`, message: (e as Error).message.replace(/^assignments\.\d+: /, '') }); }
      }
      return out;
    });
  },

  async execute(_ctx, input, params) {
    let out: unknown = (params.keep ?? 'all') === 'all' && isObject(input) ? input : {};
    for (const [i, a] of params.assignments.entries()) {
      const keys = keysOf(a.path);
      if (typeof keys === 'string') throw permanent('invalid_params', `assignments.${i}.path: ${keys}`);
      out = setIn(out, keys, convert(a.value, a.type, i));
    }
    return { port: 'out', value: out };
  },
});
