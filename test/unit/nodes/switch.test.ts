import { describe, expect, it } from 'vitest';
import { switchNode } from '../../../nodes/switch.js';
import { aTrigger, fakeCtx } from './fake-ctx.js';

const run = (params: Record<string, unknown>, input: unknown, trigger = aTrigger()) =>
  switchNode.execute(fakeCtx({ trigger }), input, params as never);

describe('switch node', () => {
  const byRules = {
    cases: [
      { id: 'big', rules: [{ path: 'input.total', op: 'gte', value: 100 }] },
      { id: 'eu', rules: [{ path: 'input.country', op: 'eq', value: 'DE' }, { path: 'input.country', op: 'eq', value: 'FR' }], combine: 'any' },
    ],
  };

  it('sends the input to the first matching case only, by default', async () => {
    expect(await run(byRules, { total: 150, country: 'DE' })).toEqual({ port: 'big', value: { total: 150, country: 'DE' } });
    expect(await run(byRules, { total: 5, country: 'FR' })).toEqual({ port: 'eu', value: { total: 5, country: 'FR' } });
  });

  it('sends to every matching case in "all" mode', async () => {
    expect(await run({ ...byRules, match: 'all' }, { total: 150, country: 'DE' })).toEqual({ port: 'big', alsoPorts: ['eu'], value: { total: 150, country: 'DE' } });
  });

  it('falls back to default when no case matches', async () => {
    expect(await run(byRules, { total: 5, country: 'US' })).toEqual({ port: 'default', value: { total: 5, country: 'US' } });
  });

  it('matches a value at a path, with no coercion, and an array as any of its elements', async () => {
    const params = { mode: 'value', path: 'trigger.headers.x-github-event', cases: [{ id: 'push', equals: 'push' }, { id: 'pr', equals: ['pull_request', 'pull_request_review'] }, { id: 'one', equals: 1 }] };
    const t = (ev: string) => aTrigger({ headers: { 'x-github-event': ev } });
    expect((await run(params, {}, t('push'))).valueOf()).toMatchObject({ port: 'push' });
    expect(await run(params, {}, t('pull_request_review'))).toMatchObject({ port: 'pr' });
    expect(await run(params, {}, t('1'))).toMatchObject({ port: 'default' });
  });

  it('declares one port per case id plus default', () => {
    expect(switchNode.portsFrom?.(byRules as never)).toEqual(['big', 'eu', 'default']);
  });

  it('refuses at save reserved or duplicate case ids, cases without rules or values, and bad paths', () => {
    const check = (p: unknown) => switchNode.check?.(p as never) ?? [];
    expect(check({ cases: [{ id: 'default', rules: [{ path: 'input.a', op: 'exists' }] }] })).toEqual([{ field: 'cases.0.id', message: '"default" is a reserved port name' }]);
    expect(check({ cases: [{ id: 'a', rules: [{ path: 'input.a', op: 'exists' }] }, { id: 'a', rules: [{ path: 'input.a', op: 'exists' }] }] }))
      .toEqual([{ field: 'cases.1.id', message: 'duplicate case id "a"' }]);
    expect(check({ cases: [{ id: 'a' }] })).toEqual([{ field: 'cases.0.rules', message: 'a case needs at least one rule' }]);
    expect(check({ cases: [{ id: 'a', rules: [{ path: 'body.a', op: 'exists' }] }] })).toEqual([{ field: 'cases.0.rules.0.path', message: 'must start with input, trigger or nodes' }]);
    expect(check({ mode: 'value', cases: [{ id: 'a' }] })).toEqual([
      { field: 'path', message: 'required when cases are matched by value' }, { field: 'cases.0.equals', message: 'a case needs a value to compare with' }]);
  });

  it('names the case and rule of a rule that cannot run', async () => {
    await expect(run({ cases: [{ id: 'a', rules: [{ path: 'input.a', op: 'matches', value: 3 }] }] }, { a: 'x' }))
      .rejects.toMatchObject({ code: 'invalid_params', message: 'cases.0.rules.0.value: matches needs a pattern string' });
  });
});
