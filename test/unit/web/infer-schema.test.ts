/** Inferring a validate node's JSON Schema from a sample payload; the result accepts the sample and rejects a broken one. */
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { inferSchema } from '../../../web/src/editor/infer-schema.js';
import { SAMPLE_ORDER } from '../../../web/src/editor/sample-order.js';

describe('inferSchema', () => {
  it('infers scalars, objects with required keys, and arrays', () => {
    expect(inferSchema({ a: 1, b: 'x', c: true, d: null, e: 1.5 })).toEqual({
      type: 'object', required: ['a', 'b', 'c', 'd', 'e'],
      properties: { a: { type: 'integer' }, b: { type: 'string' }, c: { type: 'boolean' }, d: { type: 'null' }, e: { type: 'number' } },
    });
    expect(inferSchema([])).toEqual({ type: 'array' });
  });

  it('merges array items: keys in every item are required, integer and number widen to number', () => {
    expect(inferSchema([{ sku: 'A', qty: 1, price: 2 }, { sku: 'B', qty: 2, price: 2.5, note: 'x' }])).toEqual({
      type: 'array',
      items: { type: 'object', required: ['sku', 'qty', 'price'], properties: {
        sku: { type: 'string' }, qty: { type: 'integer' }, price: { type: 'number' }, note: { type: 'string' } } },
    });
    expect(inferSchema([1, 'a'])).toEqual({ type: 'array', items: {} });
  });

  it('accepts the sample order it came from and rejects one without items', () => {
    const validate = new Ajv({ strict: false }).compile(inferSchema(SAMPLE_ORDER));
    expect(validate(SAMPLE_ORDER)).toBe(true);
    const { items: _items, ...broken } = SAMPLE_ORDER;
    expect(validate(broken)).toBe(false);
  });
});
