/** The `merge` node: joins branches. Waits for every connected input (a skipped branch arrives with nothing) or takes the first. */
import { Type, type Static } from '@sinclair/typebox';
import { defineNode, permanent, NO_RETRY } from './contract.js';
import { parsePath, PathSyntaxError, lookup } from './paths.js';

export const MergeParams = Type.Object({
  /** `all`: run once every connected input has arrived or was skipped; `first`: run with the first that arrives, ignore the rest. @default 'all' */
  mode: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('first')], {
    default: 'all', title: 'Wait for', 'x-labels': { all: 'all inputs', first: 'the first input to arrive' },
  })),
  /**
   * How `all` combines: `object` keyed by input node id; `concat` arrays one after the other (a non-array is one element);
   * `index` pairs the n-th elements; `key` pairs elements with equal values at `keyPath`. @default 'object'
   */
  combine: Type.Optional(Type.Union([Type.Literal('object'), Type.Literal('concat'), Type.Literal('index'), Type.Literal('key')], {
    default: 'object', title: 'Combine',
    'x-labels': { object: 'one object keyed by input', concat: 'concatenate arrays', index: 'pair items by position', key: 'pair items by a key' },
    'x-when': { mode: ['all'] },
  })),
  /** `key`: the path inside each element whose value pairs them, e.g. `sku` or `customer.id`. */
  keyPath: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, title: 'Key path', 'x-when': { combine: ['key'] } })),
  /** Paired elements: `merged` copies the fields of each (later inputs win); `keyed` keeps them apart by input id. @default 'merged' */
  pairAs: Type.Optional(Type.Union([Type.Literal('merged'), Type.Literal('keyed')], {
    default: 'merged', title: 'Paired items', 'x-labels': { merged: 'merge their fields', keyed: 'keep each under its input' },
    'x-when': { combine: ['index', 'key'] },
  })),
}, { additionalProperties: false });
type Params = Static<typeof MergeParams>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function pair(parts: Array<[string, unknown]>, pairAs: 'merged' | 'keyed'): unknown {
  if (pairAs === 'keyed') return Object.fromEntries(parts);
  const out: Record<string, unknown> = {};
  for (const [src, v] of parts) {
    if (isObject(v)) Object.assign(out, v);
    else out[src] = v;
  }
  return out;
}

/** Combines the arrived inputs (in the order of the flow's edges) as `params.combine` says. */
export function combine(inputs: Record<string, unknown>, params: Params): unknown {
  const entries = Object.entries(inputs);
  const how = params.combine ?? 'object';
  const pairAs = params.pairAs ?? 'merged';
  if (how === 'object') return { ...inputs };
  if (how === 'concat') return entries.flatMap(([, v]) => asList(v));
  if (how === 'index') {
    const n = Math.max(0, ...entries.map(([, v]) => asList(v).length));
    return Array.from({ length: n }, (_, i) => pair(entries.flatMap(([src, v]) => (i < asList(v).length ? [[src, asList(v)[i]] as [string, unknown]] : [])), pairAs));
  }
  if (params.keyPath === undefined) throw permanent('invalid_params', 'keyPath: required to pair items by a key');
  const keys = parsePath(params.keyPath);
  const groups = new Map<string, Array<[string, unknown]>>();
  for (const [src, v] of entries) {
    for (const el of asList(v)) {
      const k = lookup(el, keys);
      if (k === undefined) continue; // an element without the key pairs with nothing
      const id = JSON.stringify(k);
      groups.set(id, [...(groups.get(id) ?? []), [src, el]]);
    }
  }
  return [...groups.values()].map((parts) => pair(parts, pairAs));
}

export const mergeNode = defineNode({
  type: 'merge',
  title: 'Merge',
  category: 'logic',
  description: 'Joins branches: waits for all connected inputs and combines them, or goes on with the first to arrive.',
  params: MergeParams,
  defaults: { mode: 'all', combine: 'object' },
  ports: ['out'] as const,
  join: (params) => params.mode ?? 'all',
  retry: NO_RETRY,
  timeoutMs: 2000,
  effect: 'pure',

  check(params) {
    if ((params.combine ?? 'object') !== 'key') return [];
    if (params.keyPath === undefined) return [{ field: 'keyPath', message: 'required to pair items by a key' }];
    try {
      parsePath(params.keyPath);
      return [];
    } catch (e) {
      if (e instanceof PathSyntaxError) return [{ field: 'keyPath', message: e.message }];
      throw e;
    }
  },

  async execute(_ctx, input, params) {
    const inputs = isObject(input) ? input : {};
    if ((params.mode ?? 'all') === 'first') {
      const [first] = Object.values(inputs);
      return { port: 'out', value: first };
    }
    return { port: 'out', value: combine(inputs, params) };
  },
});
