import { describe, expect, it } from 'vitest';
import { NodeError } from '../../../nodes/contract.js';
import { createSchemaCompiler } from '../../../nodes/json-schema.js';
import { validateNode } from '../../../nodes/validate.js';
import { aTrigger, fakeCtx } from './fake-ctx.js';

const node = validateNode({ schemas: createSchemaCompiler() });
const orderSchema = {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', maxItems: 100, items: { type: 'object', required: ['sku', 'qty'], properties: { qty: { type: 'integer', minimum: 1 } } } } },
};
const envelope = (body: unknown) => aTrigger({ body });

describe('validate node', () => {
  it('declares its contract', () => {
    expect(node.type).toBe('validate');
    expect(node.ports).toEqual(['valid', 'invalid']);
    expect(node.category).toBe('logic');
    expect(node.effect).toBe('pure');
    expect(node.timeoutMs).toBe(5000);
    expect(node.rawParams).toEqual(['schema']);
    expect(node.retry).toEqual({ maxAttempts: 1, backoff: 'fixed', initialDelayMs: 0, maxDelayMs: 0, jitter: 0 });
  });

  it('emits the input unchanged on valid (path defaults to body)', async () => {
    const input = envelope({ items: [{ sku: 'A', qty: 2 }] });
    const out = await node.execute(fakeCtx(), input, { schema: orderSchema });
    expect(out).toEqual({ port: 'valid', value: input });
    expect('port' in out && out.value).toBe(input);
  });

  it('emits {errors, input} on invalid with a 400 for an unhandled sync caller', async () => {
    const input = envelope({ items: [{ sku: 'A', qty: 0 }] });
    const out = await node.execute(fakeCtx(), input, { schema: orderSchema });
    const errors = [{ path: '/items/0/qty', message: 'must be >= 1' }];
    expect(out).toEqual({
      port: 'invalid',
      value: { errors, input },
      responseIfUnhandled: {
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: { error: { code: 'validation_failed', message: 'validation failed: /items/0/qty must be >= 1', details: errors } },
      },
    });
  });

  it('names the root in the message when the whole value fails', async () => {
    const out = await node.execute(fakeCtx(), envelope('text'), { schema: { type: 'object' } });
    expect(out).toMatchObject({ port: 'invalid', value: { errors: [{ path: '', message: 'must be object' }] } });
    expect(out).toMatchObject({ responseIfUnhandled: { body: { error: { message: 'validation failed: (root) must be object' } } } });
  });

  it('validates the whole input with path ""', async () => {
    const input = { a: 1 };
    const schema = { type: 'object', required: ['a'] };
    expect(await node.execute(fakeCtx(), input, { path: '', schema })).toEqual({ port: 'valid', value: input });
    expect(await node.execute(fakeCtx(), { b: 1 }, { path: '', schema })).toMatchObject({ port: 'invalid' });
  });

  it('follows nested paths, hyphenated header names included', async () => {
    const input = aTrigger({ headers: { 'x-github-event': 'push' }, body: { order: { items: [{ sku: 'A', qty: 1 }] } } });
    expect(await node.execute(fakeCtx(), input, { path: 'body.order', schema: orderSchema })).toMatchObject({ port: 'valid' });
    expect(await node.execute(fakeCtx(), input, { path: 'headers.x-github-event', schema: { enum: ['push'] } })).toMatchObject({ port: 'valid' });
    expect(await node.execute(fakeCtx(), input, { path: 'body.order.items[0].qty', schema: { type: 'integer', minimum: 2 } })).toMatchObject({
      port: 'invalid', value: { errors: [{ path: '', message: 'must be >= 2' }] },
    });
  });

  it('treats a missing path as undefined (fails a typed schema)', async () => {
    const out = await node.execute(fakeCtx(), envelope(undefined), { schema: { type: 'object' } });
    expect(out).toMatchObject({ port: 'invalid' });
  });

  it('W-15: validates a payload with __proto__ keys without polluting, later payloads unaffected', async () => {
    const schema = { type: 'object', properties: { polluted: { type: 'number' } } };
    const hostile = JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}');
    expect(await node.execute(fakeCtx(), envelope(hostile), { schema })).toMatchObject({ port: 'valid' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await node.execute(fakeCtx(), envelope({ polluted: 'x' }), { schema })).toMatchObject({ port: 'invalid' });
    expect(await node.execute(fakeCtx(), envelope({}), { schema })).toMatchObject({ port: 'valid' });
  });

  it('fails permanently with invalid_schema on a schema that does not pass the checks', async () => {
    const err = await node.execute(fakeCtx(), envelope('x'), { schema: { type: 'string', format: 'email' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeError);
    expect(err).toMatchObject({ code: 'invalid_schema', retryable: false, details: [{ field: 'schema.format' }] });
  });

  it('fails permanently with invalid_params on a malformed path', async () => {
    const err = await node.execute(fakeCtx(), envelope('x'), { path: 'body[', schema: {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_params', retryable: false });
  });

  describe('check (save time)', () => {
    it('accepts a good schema', () => {
      expect(node.check?.({ path: 'body', schema: orderSchema })).toEqual([]);
    });
    it('names schema fields', () => {
      expect(node.check?.({ schema: { properties: { age: { type: 'int' } } } })).toEqual([
        { field: 'schema.properties.age.type', message: expect.any(String) },
      ]);
      expect(node.check?.({ schema: { properties: { a: { maximum: { $data: '1/b' } } } } })).toEqual([
        { field: 'schema.properties.a.maximum', message: '$data references are not allowed' },
      ]);
    });
    it('names a malformed path', () => {
      expect(node.check?.({ path: 'body..x', schema: {} })).toEqual([{ field: 'path', message: expect.stringMatching(/empty key/) }]);
    });
  });

  it('builds a private compiler when given no dependencies', async () => {
    const standalone = validateNode();
    expect(await standalone.execute(fakeCtx(), envelope(1), { schema: { type: 'number' } })).toMatchObject({ port: 'valid' });
  });
});
