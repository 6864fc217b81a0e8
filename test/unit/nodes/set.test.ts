import { describe, expect, it } from 'vitest';
import { setNode } from '../../../nodes/set.js';
import { fakeCtx } from './fake-ctx.js';

const run = (params: Record<string, unknown>, input: unknown) => setNode.execute(fakeCtx(), input, params as never);

describe('set node', () => {
  it('sets fields on a copy of the input, creating objects on the way, leaving the input untouched', async () => {
    const input = { a: 1, customer: { name: 'Ada' } };
    const out = await run({ assignments: [{ path: 'customer.email', value: 'ada@example.com' }, { path: 'meta.source', value: 'shop' }] }, input);
    expect(out).toEqual({ port: 'out', value: { a: 1, customer: { name: 'Ada', email: 'ada@example.com' }, meta: { source: 'shop' } } });
    expect(input).toEqual({ a: 1, customer: { name: 'Ada' } });
  });

  it('drops the rest when keep is none', async () => {
    expect(await run({ keep: 'none', assignments: [{ path: 'id', value: 7 }] }, { a: 1 })).toEqual({ port: 'out', value: { id: 7 } });
  });

  it('converts to the chosen type', async () => {
    const out = await run({ keep: 'none', assignments: [
      { path: 'n', value: '42.5', type: 'number' }, { path: 's', value: 12, type: 'string' }, { path: 'o', value: { x: 1 }, type: 'string' },
      { path: 'b', value: 'true', type: 'boolean' }, { path: 'f', value: 0, type: 'boolean' }, { path: 'j', value: '{"k":[1,2]}', type: 'json' },
      { path: 'raw', value: [1, 'a'] }, { path: 'list[1]', value: 'x' },
    ] }, {});
    expect(out).toEqual({ port: 'out', value: { n: 42.5, s: '12', o: '{"x":1}', b: true, f: false, j: { k: [1, 2] }, raw: [1, 'a'], list: { 1: 'x' } } });
  });

  it('sets array elements by index on an existing array', async () => {
    expect(await run({ assignments: [{ path: 'items[1].qty', value: 3 }] }, { items: [{ qty: 1 }, { qty: 2 }] }))
      .toEqual({ port: 'out', value: { items: [{ qty: 1 }, { qty: 3 }] } });
  });

  it('fails permanently, naming the assignment, on a value that is not of its type', async () => {
    await expect(run({ assignments: [{ path: 'a', value: 'x' }, { path: 'n', value: 'abc', type: 'number' }] }, {}))
      .rejects.toMatchObject({ code: 'set_value_invalid', retryable: false, message: 'assignments.1: "abc" is not a number' });
    await expect(run({ assignments: [{ path: 'b', value: 'maybe', type: 'boolean' }] }, {})).rejects.toMatchObject({ code: 'set_value_invalid' });
    await expect(run({ assignments: [{ path: 'j', value: '{nope', type: 'json' }] }, {})).rejects.toMatchObject({ code: 'set_value_invalid' });
  });

  it('never writes through __proto__ and refuses such paths at save', async () => {
    expect(setNode.check?.({ assignments: [{ path: 'a.__proto__.x', value: 1 }] } as never)).toEqual([{ field: 'assignments.0.path', message: '"__proto__" cannot be set' }]);
    await expect(run({ assignments: [{ path: '__proto__.polluted', value: 1 }] }, {})).rejects.toMatchObject({ code: 'invalid_params' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('checks literal values against their type at save, not templated ones', () => {
    expect(setNode.check?.({ assignments: [{ path: 'n', value: 'abc', type: 'number' }, { path: 'm', value: '{{ input.n }}', type: 'number' }] } as never))
      .toEqual([{ field: 'assignments.0.value', message: '"abc" is not a number' }]);
  });

  it('replaces the whole output with path "."', async () => {
    expect(await run({ assignments: [{ path: '.', value: [1, 2] }] }, { a: 1 })).toEqual({ port: 'out', value: [1, 2] });
  });
});
