/** The `inventory` node: decrement / increment / set / check a list of items in the built-in stock, all or nothing. */
import { Type } from '@sinclair/typebox';
import { defineNode, permanent, type NodeError, type StockItem, type StockResult } from './contract.js';
import { getPath, parsePath, PathSyntaxError } from './paths.js';

export const InventoryParams = Type.Object(
  {
    operation: Type.Union(
      [Type.Literal('decrement'), Type.Literal('increment'), Type.Literal('set'), Type.Literal('check')],
      { title: 'Operation', description: 'decrement / increment by qty, set to qty, or check that qty is available (moves nothing)',
        'x-labels': { decrement: 'decrement (sell)', increment: 'increment (restock)', set: 'set to the quantity', check: 'check availability (moves nothing)' } },
    ),
    /** Where the item list lives, looked up on {input, trigger, nodes}. @default 'input.items' */
    itemsPath: Type.Optional(Type.String({ default: 'input.items', maxLength: 1000, title: 'Items path', description: 'Path to the item list (one object counts as a list of one)' })),
    /** Path of the SKU inside each item. @default 'sku' */
    skuField: Type.Optional(Type.String({ default: 'sku', minLength: 1, maxLength: 200, title: 'SKU field' })),
    /** Path of the quantity inside each item. @default 'qty' */
    qtyField: Type.Optional(Type.String({ default: 'qty', minLength: 1, maxLength: 200, title: 'Quantity field' })),
    /** Let decrement take stock below zero (unknown SKUs still fail). @default false */
    allowNegative: Type.Optional(Type.Boolean({ default: false, title: 'Allow negative stock', 'x-when': { operation: ['decrement'] } })),
  },
  { additionalProperties: false },
);

type Operation = 'decrement' | 'increment' | 'set' | 'check';

const MAX_ITEMS = 1000;
const PATH_PARAMS = ['itemsPath', 'skuField', 'qtyField'] as const;

const invalid = (field: string, message: string): NodeError =>
  permanent('invalid_params', `${field} ${message}`, [{ field, message }]);

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/** `{ ...input, [key]: value }`; an input that is not an object is kept under `input`. */
const withField = (input: unknown, key: string, value: unknown): Record<string, unknown> =>
  isRecord(input) ? { ...input, [key]: value } : { input, [key]: value };

function pathValue(root: unknown, path: string, field: string): unknown {
  try {
    return getPath(root, path);
  } catch (e) {
    if (e instanceof PathSyntaxError) throw invalid(field, e.message);
    throw e;
  }
}

/** The item list from the flow data, as {sku, qty}. The inventory port checks SKUs and upper bounds again. */
function readItems(scope: unknown, p: { itemsPath?: string; skuField?: string; qtyField?: string }, minQty: number): StockItem[] {
  const path = p.itemsPath ?? 'input.items';
  const found = pathValue(scope, path, 'itemsPath');
  // One object is a list of one: after a `split`, `itemsPath: input` moves the stock of that one item.
  const list = isRecord(found) ? [found] : found;
  if (!Array.isArray(list)) throw invalid('itemsPath', `"${path}" must point to an array of items (found ${describe(list)})`);
  if (list.length > MAX_ITEMS) throw invalid('itemsPath', `"${path}" holds ${list.length} items; at most ${MAX_ITEMS} are allowed`);
  const skuField = p.skuField ?? 'sku';
  const qtyField = p.qtyField ?? 'qty';
  return list.map((item: unknown, i) => {
    if (!isRecord(item)) throw invalid(`items[${i}]`, `must be an object (found ${describe(item)})`);
    const sku = pathValue(item, skuField, 'skuField');
    const qty = pathValue(item, qtyField, 'qtyField');
    if (typeof sku !== 'string' || sku === '') throw invalid(`items[${i}].${skuField}`, `must be a non-empty string (found ${describe(sku)})`);
    if (typeof qty !== 'number' || !Number.isInteger(qty) || qty < minQty)
      throw invalid(`items[${i}].${qtyField}`, `must be a whole number of at least ${minQty} (found ${typeof qty === 'number' ? qty : describe(qty)})`);
    return { sku, qty };
  });
}

/** A dry run moves nothing: it asks the port to `check`, then reports the quantities `op` would have left. */
function preview(op: Operation, items: readonly StockItem[], checked: StockResult): StockResult {
  if (!checked.ok) return checked;
  const qty = new Map<string, number>();
  for (const i of items) qty.set(i.sku, (qty.get(i.sku) ?? 0) + i.qty);
  const after = (before: number, q: number): number =>
    op === 'decrement' ? before - q : op === 'increment' ? before + q : op === 'set' ? q : before;
  return { ok: true, moves: checked.moves.map((m) => ({ ...m, after: after(m.before, qty.get(m.sku) ?? 0) })) };
}

export const inventoryNode = defineNode({
  type: 'inventory',
  title: 'Inventory',
  category: 'action',
  description: 'Moves stock in the built-in inventory for a list of items, all or nothing, once per execution.',
  params: InventoryParams,
  rawParams: PATH_PARAMS,
  defaults: { operation: 'check' },
  ports: ['ok', 'insufficient'] as const,
  // A shortage is a port, not an error; a locked database is the one failure worth retrying.
  retry: { maxAttempts: 3, backoff: 'fixed', initialDelayMs: 100, maxDelayMs: 100, jitter: 0, retryOn: ['sqlite_busy'] },
  timeoutMs: 10_000,
  effect: 'side-effect',

  check(params) {
    const problems: Array<{ field: string; message: string }> = [];
    for (const field of PATH_PARAMS) {
      try {
        parsePath(params[field] ?? '');
      } catch (e) {
        if (!(e instanceof PathSyntaxError)) throw e;
        problems.push({ field, message: e.message });
      }
    }
    return problems;
  },

  async execute(ctx, input, params) {
    const inventory = ctx.inventory;
    if (!inventory) throw permanent('capability_missing', 'the inventory capability is not configured on this server');
    const op = params.operation;
    const items = readItems({ input, trigger: ctx.trigger, nodes: ctx.nodes }, params, op === 'set' || op === 'check' ? 0 : 1);
    const allowNegative = params.allowNegative ?? false;
    // One move per (execution, node, item, sku): after a split each item's run is its own movement key.
    const { itemIndex } = ctx.execution;
    const req = { items, executionId: ctx.execution.id, nodeId: itemIndex === undefined ? ctx.execution.nodeId : `${ctx.execution.nodeId}:${itemIndex}` };
    // In a dry run only `decrement` and `check` can fall short on quantity; for the others only unknown SKUs can.
    const result = ctx.dryRun
      ? preview(op, items, await inventory.apply({ ...req, operation: 'check', allowNegative: op === 'decrement' || op === 'check' ? allowNegative : true }))
      : await inventory.apply({ ...req, operation: op, allowNegative });
    return result.ok
      ? { port: 'ok', value: withField(input, 'inventory', result.moves) }
      : { port: 'insufficient', value: withField(input, 'shortages', result.shortages) };
  },
});
