import { describe, expect, it } from 'vitest';
import { conditionNode, deepEqual, splitPattern } from '../../../nodes/condition.js';
import { NodeError } from '../../../nodes/contract.js';
import { aTrigger, fakeCtx } from './fake-ctx.js';

type Op = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'exists' | 'contains' | 'matches';

/** Runs one rule against `left` (at input.v) and returns the chosen port. */
async function holds(left: unknown, op: Op, value?: unknown): Promise<boolean> {
  const params = { rules: [{ path: 'input.v', op, ...(value === undefined ? {} : { value }) }] };
  const out = await conditionNode.execute(fakeCtx(), { v: left }, params);
  if (!('port' in out)) throw new Error('unexpected wait');
  return out.port === 'true';
}

describe('condition node: contract', () => {
  it('declares ports, retry and timeouts', () => {
    expect(conditionNode.type).toBe('condition');
    expect(conditionNode.ports).toEqual(['true', 'false']);
    expect(conditionNode.category).toBe('logic');
    expect(conditionNode.timeoutMs).toBe(2000);
    expect(conditionNode.rawParams).toEqual(['expression']);
    expect(conditionNode.retry).toEqual({ maxAttempts: 1, backoff: 'fixed', initialDelayMs: 0, maxDelayMs: 0, jitter: 0 });
  });
});

describe('condition node: operators', () => {
  it.each<[unknown, Op, unknown, boolean]>([
    // eq / ne: deep equality of JSON values, no type coercion
    [5, 'eq', 5, true],
    [5, 'eq', '5', false],
    ['5', 'eq', 5, false],
    [0, 'eq', false, false],
    [null, 'eq', null, true],
    [undefined, 'eq', null, false],
    ['a', 'eq', 'a', true],
    [true, 'eq', true, true],
    [{ a: [1, { b: 2 }] }, 'eq', { a: [1, { b: 2 }] }, true],
    [{ a: 1, b: 2 }, 'eq', { b: 2, a: 1 }, true],
    [{ a: 1 }, 'eq', { a: 1, b: undefined }, false],
    [[1, 2], 'eq', [2, 1], false],
    [[], 'eq', {}, false],
    [5, 'ne', '5', true],
    [5, 'ne', 5, false],
    [{ a: 1 }, 'ne', { a: 2 }, true],
    // ordering: numbers
    [10, 'gt', 9, true],
    [9, 'gt', 9, false],
    [9, 'gte', 9, true],
    [8, 'lt', 9, true],
    [9, 'lte', 9, true],
    [10, 'lte', 9, false],
    [-1.5, 'lt', 0, true],
    // ordering: mixed types never compare
    ['10', 'gt', 9, false],
    ['10', 'lt', 9, false],
    [10, 'gte', '9', false],
    [null, 'lt', 1, false],
    [undefined, 'lte', 1, false],
    [true, 'gt', false, false],
    [[2], 'gt', [1], false],
    // ordering: ISO dates compare as instants
    ['2024-03-01', 'gt', '2024-02-29', true],
    ['2024-03-01T10:00:00Z', 'lt', '2024-03-01T10:00:01Z', true],
    ['2024-03-01T10:00:00+02:00', 'lt', '2024-03-01T09:00:00Z', true], // 08:00Z < 09:00Z
    ['2024-03-01T10:00:00+0200', 'eq', '2024-03-01T10:00:00+0200', true],
    ['2024-03-01T10:00:00', 'gte', '2024-03-01T10:00:00Z', true], // no offset = UTC
    ['2024-03-01T10:00:00.500Z', 'gt', '2024-03-01T10:00:00.499Z', true],
    ['2024-03-02', 'gt', '2024-03-01T23:59:59Z', true],
    // ordering: other strings by code unit
    ['b', 'gt', 'a', true],
    ['B', 'gt', 'a', false],
    ['abc', 'gte', 'abc', true],
    ['10', 'lt', '9', true], // strings, not numbers
    // exists
    [0, 'exists', undefined, true],
    ['', 'exists', undefined, true],
    [false, 'exists', undefined, true],
    [null, 'exists', undefined, false],
    [undefined, 'exists', undefined, false],
    // contains
    ['hello world', 'contains', 'o w', true],
    ['hello', 'contains', 'x', false],
    ['hello', 'contains', 5, false],
    [['a', 'b'], 'contains', 'b', true],
    [[1, 2], 'contains', '2', false],
    [[{ sku: 'A' }, { sku: 'B' }], 'contains', { sku: 'B' }, true],
    [[[1, 2]], 'contains', [1, 2], true],
    [{ a: 1 }, 'contains', 'a', false],
    [undefined, 'contains', 'a', false],
    // matches
    ['order-123', 'matches', '^order-\\d+$', true],
    ['ORDER-123', 'matches', '^order-\\d+$', false],
    ['ORDER-123', 'matches', '/^order-\\d+$/i', true],
    ['a\nb', 'matches', '/^b$/m', true],
    ['a\nb', 'matches', '/a.b/s', true],
    ['a\nb', 'matches', 'a.b', false],
    ['/api/users', 'matches', '^/api/', true],
    [123, 'matches', '\\d+', false],
    [undefined, 'matches', '.*', false],
    ['😀', 'matches', '^.$', true],
  ])('%j %s %j → %s', async (left, op, value, expected) => {
    expect(await holds(left, op, value)).toBe(expected);
  });

  it('V-1 shape: a ReDoS pattern in matches finishes fast and right', async () => {
    const t0 = performance.now();
    expect(await holds('a'.repeat(31) + 'b', 'matches', '^(a|a)*$')).toBe(false);
    expect(await holds('a'.repeat(100_000) + 'b', 'matches', '/^(a+)+$/')).toBe(false);
    const ms = performance.now() - t0;
    console.log(`condition matches ReDoS shapes: ${ms.toFixed(2)} ms`);
    expect(ms).toBeLessThan(500);
  });

  it('fails permanently with invalid_regex for unsupported syntax', async () => {
    const err = await holds('aa', 'matches', '(a)\\1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeError);
    expect(err).toMatchObject({ code: 'invalid_regex', retryable: false });
  });

  it('fails permanently when matches gets a non-string value', async () => {
    const err = await holds('a', 'matches', 5).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'invalid_params', message: expect.stringMatching(/^rules\.0\.value/) });
  });
});

describe('condition node: paths and combine', () => {
  const ctx = fakeCtx({
    trigger: aTrigger({ headers: { 'x-kind': 'order' }, body: { total: 5 } }),
    nodes: { calc: { total: 42, tags: ['vip'] } },
  });
  const input = { total: 120, items: [{ sku: 'A', qty: 1 }], country: 'DE' };
  const run = async (params: Parameters<typeof conditionNode.execute>[2]) => conditionNode.execute(ctx, input, params);

  it('reads input, trigger and nodes, and emits the input unchanged', async () => {
    const out = await run({
      rules: [
        { path: 'input.total', op: 'gt', value: 100 },
        { path: 'input.items[0].sku', op: 'eq', value: 'A' },
        { path: 'trigger.headers.x-kind', op: 'eq', value: 'order' },
        { path: 'trigger.body.total', op: 'eq', value: 5 },
        { path: 'nodes.calc.total', op: 'eq', value: 42 },
        { path: 'nodes.calc.tags', op: 'contains', value: 'vip' },
        { path: 'input.items.length', op: 'eq', value: 1 },
      ],
    });
    expect(out).toEqual({ port: 'true', value: input });
    expect('port' in out && out.value).toBe(input);
  });

  it.each<['all' | 'any' | undefined, boolean[], 'true' | 'false']>([
    [undefined, [true, true], 'true'],
    [undefined, [true, false], 'false'],
    ['all', [true, true, true], 'true'],
    ['all', [false, true], 'false'],
    ['all', [true], 'true'],
    ['any', [false, false], 'false'],
    ['any', [false, true], 'true'],
    ['any', [true, false], 'true'],
    ['any', [false], 'false'],
  ])('combine %s over %j → %s', async (combine, truths, port) => {
    const rules = truths.map((t) => ({ path: 'input.total', op: 'eq' as const, value: t ? 120 : 0 }));
    expect(await run({ rules, ...(combine ? { combine } : {}) })).toEqual({ port, value: input });
  });

  it('short-circuits: a later bad rule is not reached once the outcome is known', async () => {
    const bad = { path: 'input.country', op: 'matches' as const, value: '(a)\\1' };
    expect(await run({ rules: [{ path: 'input.total', op: 'eq', value: 0 }, bad] })).toMatchObject({ port: 'false' });
    expect(await run({ combine: 'any', rules: [{ path: 'input.total', op: 'eq', value: 120 }, bad] })).toMatchObject({ port: 'true' });
  });

  it('never reaches prototypes through a rule path', async () => {
    expect(await run({ rules: [{ path: 'input.constructor', op: 'exists' }] })).toMatchObject({ port: 'false' });
    expect(await run({ rules: [{ path: 'input.__proto__', op: 'exists' }] })).toMatchObject({ port: 'false' });
    expect(await run({ rules: [{ path: 'input.total.toFixed', op: 'exists' }] })).toMatchObject({ port: 'false' });
  });

  it('fails permanently on a malformed or rootless path', async () => {
    await expect(run({ rules: [{ path: 'input.items[0', op: 'exists' }] })).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringMatching(/^rules\.0\.path: invalid path/) });
    await expect(run({ rules: [{ path: 'total', op: 'exists' }] })).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringMatching(/must start with input, trigger or nodes/) });
  });

  it('fails permanently when both or neither of rules and expression are set', async () => {
    await expect(run({})).rejects.toMatchObject({ code: 'invalid_params', retryable: false });
    await expect(run({ rules: [{ path: 'input.total', op: 'exists' }], expression: 'true' })).rejects.toMatchObject({ code: 'invalid_params' });
  });
});

describe('helpers', () => {
  it('deepEqual handles deep data without recursion', () => {
    let a: unknown = 1;
    let b: unknown = 1;
    for (let i = 0; i < 100_000; i++) {
      a = [a];
      b = [b];
    }
    expect(deepEqual(a, b)).toBe(true);
    expect(deepEqual({ x: a }, { x: [b] })).toBe(false);
  });

  it.each<[string, [string, string]]>([
    ['/abc/i', ['abc', 'i']],
    ['/a/b/ms', ['a/b', 'ms']],
    ['/abc/', ['abc', '']],
    ['abc', ['abc', '']],
    ['/api/users', ['/api/users', '']], // "users" are not flags
    ['/api/v1', ['/api/v1', '']],
    ['/', ['/', '']],
    ['^/x$', ['^/x$', '']],
  ])('splitPattern(%j) → %j', (v, parts) => {
    expect(splitPattern(v)).toEqual(parts);
  });
});
