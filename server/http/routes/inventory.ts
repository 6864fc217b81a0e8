/** /api/inventory*: the built-in stock (list, read, set by hand) and each SKU's movements. */
import { Router } from 'express';
import type { InventoryService } from '../../inventory/stock-service.js';
import { MAX_QTY, skuProblem } from '../../inventory/stock-items.js';
import { ApiError, notFound } from '../errors.js';
import { pageArgs } from './paging.js';

const MAX_NAME_CHARS = 200;
const MAX_SEARCH_CHARS = 100;

function skuParam(sku: string): string {
  const bad = skuProblem(sku);
  if (bad) throw new ApiError(400, 'invalid_sku', `sku ${bad}`, [{ field: 'sku', message: bad }]);
  return sku;
}

const invalidBody = (field: string, message: string): ApiError =>
  new ApiError(400, 'invalid_body', `${field} ${message}`, [{ field, message }]);

/** `{ name?, quantity }`: quantity a whole number from 0; name a string of at most 200 characters. */
function putBody(body: unknown): { name?: string; quantity: number } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidBody('body', 'must be an object {name?, quantity}');
  const { name, quantity, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw invalidBody(extra, 'is not a known field (expected name, quantity)');
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0 || quantity > MAX_QTY)
    throw invalidBody('quantity', `must be a whole number from 0 to ${MAX_QTY}`);
  if (name !== undefined && (typeof name !== 'string' || name.length > MAX_NAME_CHARS))
    throw invalidBody('name', `must be a string of at most ${MAX_NAME_CHARS} characters`);
  return { name: name as string | undefined, quantity };
}

function searchArg(q: unknown): string | undefined {
  if (q === undefined || q === '') return undefined;
  if (typeof q !== 'string' || q.length > MAX_SEARCH_CHARS)
    throw new ApiError(400, 'invalid_query', `search must be a string of at most ${MAX_SEARCH_CHARS} characters`);
  return q;
}

export function inventoryRouter(svc: InventoryService): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const { limit, cursor } = pageArgs(req.query);
    res.json(await svc.list({ search: searchArg(req.query.search), limit, cursor }));
  });
  r.get('/:sku', async (req, res) => {
    const item = await svc.get(skuParam(req.params.sku));
    if (!item) throw notFound('stock item');
    res.json(item);
  });
  r.put('/:sku', async (req, res) => {
    const { item, created } = await svc.put(skuParam(req.params.sku), putBody(req.body));
    res.status(created ? 201 : 200).json(item);
  });
  r.get('/:sku/movements', async (req, res) => {
    const { limit, cursor } = pageArgs(req.query);
    if (cursor !== undefined && !/^\d{1,15}$/.test(cursor)) throw new ApiError(400, 'invalid_query', 'cursor must be a string from a previous page');
    const page = await svc.movements(skuParam(req.params.sku), { limit, cursor });
    if (!page) throw notFound('stock item');
    res.json(page);
  });
  return r;
}
