import { describe, expect, it } from 'vitest';
import { mergeNode, combine } from '../../../nodes/merge.js';
import { splitNode, aggregateNode } from '../../../nodes/split.js';
import { fakeCtx } from './fake-ctx.js';

describe('merge node', () => {
  const inputs = { a: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2 }], b: [{ sku: 'B', price: 5 }, { sku: 'C', price: 7 }] };

  it('keys the inputs by node id by default', async () => {
    expect(await mergeNode.execute(fakeCtx(), inputs, {})).toEqual({ port: 'out', value: inputs });
  });
  it('concatenates arrays (a non-array is one element, a missing input none)', () => {
    expect(combine({ a: [1, 2], b: 3, c: undefined }, { combine: 'concat' })).toEqual([1, 2, 3]);
  });
  it('pairs by index, merged or keyed', () => {
    expect(combine(inputs, { combine: 'index' })).toEqual([{ sku: 'B', qty: 1, price: 5 }, { sku: 'C', qty: 2, price: 7 }]);
    expect(combine({ a: [1, 2], b: ['x'] }, { combine: 'index', pairAs: 'keyed' })).toEqual([{ a: 1, b: 'x' }, { a: 2 }]);
  });
  it('pairs by a key path', () => {
    expect(combine(inputs, { combine: 'key', keyPath: 'sku' })).toEqual([{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2, price: 5 }, { sku: 'C', price: 7 }]);
    expect(mergeNode.check?.({ combine: 'key' })).toEqual([{ field: 'keyPath', message: 'required to pair items by a key' }]);
  });
  it('in first mode passes the one arrived input on as it is', async () => {
    expect(await mergeNode.execute(fakeCtx(), { b: { x: 1 } }, { mode: 'first' })).toEqual({ port: 'out', value: { x: 1 } });
    expect(mergeNode.join?.({ mode: 'first' })).toBe('first');
    expect(mergeNode.join?.({})).toBe('all');
  });
});

describe('split and aggregate nodes', () => {
  const split = splitNode({ maxItems: 50 });
  it('emits the array at the path', async () => {
    expect(await split.execute(fakeCtx(), { body: { items: [1, 2] } }, { path: 'input.body.items' })).toEqual({ port: 'out', value: [1, 2] });
  });
  it('fails permanently on a missing or non-array path', async () => {
    await expect(split.execute(fakeCtx(), { body: {} }, { path: 'input.body.items' })).rejects.toMatchObject({ code: 'not_an_array', retryable: false });
  });
  it('enforces the item limit, and the server cap at save', async () => {
    await expect(split.execute(fakeCtx(), { items: [1, 2, 3] }, { path: 'input.items', maxItems: 2 }))
      .rejects.toMatchObject({ code: 'too_many_items', message: 'input.items has 3 items; at most 2 are allowed' });
    await expect(split.execute(fakeCtx(), { items: Array(51).fill(0) }, { path: 'input.items', maxItems: 1000 })).rejects.toMatchObject({ code: 'too_many_items' });
    expect(split.check?.({ path: 'input.items', maxItems: 100 })).toEqual([{ field: 'maxItems', message: 'this server allows at most 50 items per split' }]);
  });
  it('aggregates outputs and lists failed and skipped items', async () => {
    const input = { items: [
      { index: 0, status: 'succeeded', output: 'a' }, { index: 1, status: 'failed', error: { code: 'x', message: 'm', nodeId: 'inv' } },
      { index: 2, status: 'skipped' }, { index: 3, status: 'succeeded', output: 'd' }] };
    expect(await aggregateNode.execute(fakeCtx(), input, {})).toEqual({ port: 'out', value: {
      items: ['a', 'd'], failed: [{ index: 1, error: { code: 'x', message: 'm', nodeId: 'inv' } }], skipped: [2],
      counts: { total: 4, succeeded: 2, failed: 1, skipped: 1 } } });
  });
});
