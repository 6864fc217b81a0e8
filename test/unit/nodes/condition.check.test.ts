import { describe, expect, it } from 'vitest';
import { conditionNode } from '../../../nodes/condition.js';

const check = (params: Parameters<NonNullable<typeof conditionNode.check>>[0]) => conditionNode.check?.(params);

describe('condition node: save-time check', () => {
  it('accepts rules or an expression', () => {
    expect(check({ rules: [{ path: 'input.total', op: 'gt', value: 100 }] })).toEqual([]);
    expect(check({ expression: 'input.total > 100' })).toEqual([]);
    expect(check({ rules: [{ path: 'trigger.headers.x-kind', op: 'exists' }], combine: 'any' })).toEqual([]);
  });

  it('requires exactly one of rules and expression, naming the field', () => {
    expect(check({})).toEqual([{ field: 'rules', message: 'set rules or an expression' }]);
    expect(check({ rules: [{ path: 'input.a', op: 'exists' }], expression: 'true' })).toEqual([
      { field: 'expression', message: 'set either rules or expression, not both' },
    ]);
  });

  it('names bad paths', () => {
    expect(check({ rules: [{ path: 'input.ok', op: 'exists' }, { path: 'input.items[0', op: 'exists' }] })).toEqual([
      { field: 'rules.1.path', message: expect.stringMatching(/unclosed "\["/) },
    ]);
    expect(check({ rules: [{ path: 'total', op: 'exists' }] })).toEqual([
      { field: 'rules.0.path', message: 'must start with input, trigger or nodes' },
    ]);
  });

  it('requires a value for every op but exists', () => {
    expect(check({ rules: [{ path: 'input.a', op: 'eq' }] })).toEqual([{ field: 'rules.0.value', message: 'required for op "eq"' }]);
    expect(check({ rules: [{ path: 'input.a', op: 'eq', value: null }] })).toEqual([]);
  });

  it('compiles literal matches patterns with the linear-time engine', () => {
    expect(check({ rules: [{ path: 'input.a', op: 'matches', value: '/^a+$/i' }] })).toEqual([]);
    expect(check({ rules: [{ path: 'input.a', op: 'matches', value: '(?<=a)b' }] })).toEqual([
      { field: 'rules.0.value', message: expect.stringMatching(/invalid regular expression .*lookbehind/) },
    ]);
    // "q" is no flag, so the whole text is a (valid) pattern
    expect(check({ rules: [{ path: 'input.a', op: 'matches', value: '/x/q' }] })).toEqual([]);
    expect(check({ rules: [{ path: 'input.a', op: 'matches', value: '/(a)\\1/i' }] })).toEqual([
      { field: 'rules.0.value', message: expect.stringMatching(/backreferences/) },
    ]);
    expect(check({ rules: [{ path: 'input.a', op: 'matches', value: 5 }] })).toEqual([{ field: 'rules.0.value', message: 'must be a pattern string' }]);
  });

  it('leaves templated patterns to run time', () => {
    expect(check({ rules: [{ path: 'input.a', op: 'matches', value: '{{ nodes.cfg.pattern }}' }] })).toEqual([]);
  });
});
