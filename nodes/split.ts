/** `split` runs the nodes after it once per element of an array; `aggregate` gathers the items back into one array. */
import { Type } from '@sinclair/typebox';
import { defineNode, permanent, NO_RETRY } from './contract.js';
import { lookup, parsePath, PathSyntaxError } from './paths.js';

/** The most items one split may emit, whatever its params say (HOOKFLOW_MAX_SPLIT_ITEMS may lower it). */
export const MAX_SPLIT_ITEMS = 10_000;
export const MAX_SPLIT_CONCURRENCY = 64;

export const SplitParams = Type.Object({
  /** The array to split, looked up on `{ input, trigger, nodes }`, e.g. `input.body.line_items`. */
  path: Type.String({ minLength: 1, maxLength: 1000, title: 'Array at path' }),
  /** Copies of each node after the split that run at once. @default 1 */
  concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SPLIT_CONCURRENCY, default: 1, title: 'Items at once' })),
  /** More elements than this fail the node (`too_many_items`). @default 1000 (or the server's cap, if lower) */
  maxItems: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SPLIT_ITEMS, default: 1000, title: 'At most items' })),
}, { additionalProperties: false });

const ROOTS = new Set(['input', 'trigger', 'nodes']);

function pathProblem(path: string): string | undefined {
  try {
    const keys = parsePath(path);
    return ROOTS.has(keys[0] ?? '') ? undefined : 'must start with input, trigger or nodes';
  } catch (e) {
    if (e instanceof PathSyntaxError) return e.message;
    throw e;
  }
}

export function splitNode(opts: { maxItems?: number } = {}) {
  const cap = Math.min(opts.maxItems ?? MAX_SPLIT_ITEMS, MAX_SPLIT_ITEMS);
  return defineNode({
    type: 'split',
    title: 'Split into items',
    category: 'logic',
    description: 'Runs the nodes after it once per element of an array, each item with its own retries, until an aggregate.',
    params: SplitParams,
    rawParams: ['path'],
    defaults: { path: 'input.body.items', concurrency: 1, maxItems: 1000 },
    ports: ['out'] as const,
    loop: (params) => ({ kind: 'split', concurrency: params.concurrency ?? 1 }),
    retry: NO_RETRY,
    timeoutMs: 2000,
    effect: 'pure',

    check(params) {
      const problem = pathProblem(params.path);
      const out = problem ? [{ field: 'path', message: problem }] : [];
      if (params.maxItems !== undefined && params.maxItems > cap) out.push({ field: 'maxItems', message: `this server allows at most ${cap} items per split` });
      return out;
    },

    async execute(ctx, input, params) {
      const problem = pathProblem(params.path);
      if (problem) throw permanent('invalid_params', `path: ${problem}`);
      const list = lookup({ input, trigger: ctx.trigger, nodes: ctx.nodes }, parsePath(params.path));
      if (!Array.isArray(list)) throw permanent('not_an_array', `${params.path} is ${list === undefined ? 'missing' : `a ${list === null ? 'null' : typeof list}`}, not an array`);
      const max = Math.min(params.maxItems ?? 1000, cap);
      if (list.length > max) throw permanent('too_many_items', `${params.path} has ${list.length} items; at most ${max} are allowed`, { count: list.length, max });
      return { port: 'out', value: list };
    },
  });
}

export const AggregateParams = Type.Object({
  /** `list`: failed items are listed in `failed` and the flow goes on; `fail`: a failed item fails the execution. @default 'fail' */
  onItemFailure: Type.Optional(Type.Union([Type.Literal('list'), Type.Literal('fail')], {
    default: 'fail', title: 'When an item fails', 'x-labels': { list: 'list it and go on', fail: 'fail the execution' },
  })),
}, { additionalProperties: false });

interface ItemResult { index: number; status: 'succeeded' | 'failed' | 'skipped'; output?: unknown; error?: unknown }

export const aggregateNode = defineNode({
  type: 'aggregate',
  title: 'Aggregate items',
  category: 'logic',
  description: 'Gathers the items of a split back into one array, listing failed and skipped items.',
  params: AggregateParams,
  defaults: { onItemFailure: 'fail' },
  ports: ['out'] as const,
  loop: (params) => ({ kind: 'gather', failures: params.onItemFailure ?? 'fail' }),
  retry: NO_RETRY,
  timeoutMs: 2000,
  effect: 'pure',

  async execute(_ctx, input) {
    const items = (input as { items?: ItemResult[] } | undefined)?.items;
    if (!Array.isArray(items)) throw permanent('not_in_a_loop', 'aggregate runs only after a split');
    const ok = items.filter((i) => i.status === 'succeeded');
    const failed = items.filter((i) => i.status === 'failed').map((i) => ({ index: i.index, error: i.error }));
    const skipped = items.filter((i) => i.status === 'skipped').map((i) => i.index);
    return {
      port: 'out',
      value: { items: ok.map((i) => i.output), failed, skipped, counts: { total: items.length, succeeded: ok.length, failed: failed.length, skipped: skipped.length } },
    };
  },
});
