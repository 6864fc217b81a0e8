/** The `switch` node: ordered cases (rules as in `condition`, or a value matched against a path), one port per case plus `default`. */
import { Type, type Static } from '@sinclair/typebox';
import { defineNode, permanent, NO_RETRY } from './contract.js';
import { ConditionRule, deepEqual, rulePathKeys, rulesHold, ruleProblems } from './condition.js';
import { lookup } from './paths.js';

/** Case ids are port names: stable, so edges follow their case when cases are reordered or renamed. */
const CASE_ID = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';
const RESERVED = new Set(['default', 'error']);
export const MAX_CASES = 64;

export const SwitchCase = Type.Object({
  /** Stable id and port name of the case (the editor generates one); never `default` or `error`. */
  id: Type.String({ pattern: CASE_ID, title: 'Port' }),
  /** Shown on the canvas instead of the id. */
  name: Type.Optional(Type.String({ maxLength: 200, title: 'Name' })),
  /** `rules` mode: the case matches when its rules hold (all or any). */
  rules: Type.Optional(Type.Array(ConditionRule, { minItems: 1, maxItems: 100, title: 'Rules' })),
  combine: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('any')], { default: 'all', title: 'Match' })),
  /** `value` mode: the case matches when the value at `path` equals this (no coercion); an array matches any of its elements. */
  equals: Type.Optional(Type.Unknown()),
}, { additionalProperties: false });

export const SwitchParams = Type.Object({
  /** `rules`: each case has its own rules; `value`: the value at `path` is compared with each case's `equals`. @default 'rules' */
  mode: Type.Optional(Type.Union([Type.Literal('rules'), Type.Literal('value')], {
    default: 'rules', title: 'Match cases by', 'x-labels': { rules: 'rules per case', value: 'a value compared with each case' },
  })),
  /** `value` mode: looked up on `{ input, trigger, nodes }`, e.g. `trigger.headers.x-github-event`. */
  path: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, title: 'Value at path' })),
  cases: Type.Array(SwitchCase, { minItems: 1, maxItems: MAX_CASES, title: 'Cases' }),
  /** `first`: the first matching case's port only; `all`: every matching case's port. No match: `default`. @default 'first' */
  match: Type.Optional(Type.Union([Type.Literal('first'), Type.Literal('all')], {
    default: 'first', title: 'Send to', 'x-labels': { first: 'the first matching case', all: 'every matching case' },
  })),
}, {
  additionalProperties: false, 'x-widget': 'switch',
  // The editor draws one port per case (its id, labelled by its name) and then `default`, as `portsFrom` does.
  'x-ports': { list: 'cases', key: 'id', label: 'name', then: ['default'] },
});
export type SwitchParamsT = Static<typeof SwitchParams>;
type Case = Static<typeof SwitchCase>;

const casePorts = (params: SwitchParamsT): string[] => [...(params.cases ?? []).map((c) => c.id), 'default'];

function caseProblems(params: SwitchParamsT): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  const mode = params.mode ?? 'rules';
  if (mode === 'value') {
    if (params.path === undefined) out.push({ field: 'path', message: 'required when cases are matched by value' });
    else if (!params.path.includes('{{')) {
      const keys = rulePathKeys(params.path);
      if (typeof keys === 'string') out.push({ field: 'path', message: keys });
    }
  }
  const seen = new Set<string>();
  params.cases.forEach((c, i) => {
    if (RESERVED.has(c.id)) out.push({ field: `cases.${i}.id`, message: `"${c.id}" is a reserved port name` });
    else if (seen.has(c.id)) out.push({ field: `cases.${i}.id`, message: `duplicate case id "${c.id}"` });
    seen.add(c.id);
    if (mode === 'rules') {
      if (c.rules === undefined) out.push({ field: `cases.${i}.rules`, message: 'a case needs at least one rule' });
      else out.push(...c.rules.flatMap((r, j) => ruleProblems(r, j, `cases.${i}.rules`)));
    } else if (c.equals === undefined) out.push({ field: `cases.${i}.equals`, message: 'a case needs a value to compare with' });
  });
  return out;
}

export const switchNode = defineNode({
  type: 'switch',
  title: 'Switch',
  category: 'logic',
  description: 'Routes the input to the port of the first (or every) matching case, or to default.',
  params: SwitchParams,
  defaults: { mode: 'rules', match: 'first', cases: [{ id: 'case1', rules: [{ path: 'input.body', op: 'exists' }], combine: 'all' }] },
  ports: ['default'],
  portsFrom: casePorts,
  retry: NO_RETRY,
  timeoutMs: 2000,
  effect: 'pure',
  check: caseProblems,

  async execute(ctx, input, params) {
    const mode = params.mode ?? 'rules';
    let matches: (c: Case, i: number) => boolean;
    if (mode === 'value') {
      if (params.path === undefined) throw permanent('invalid_params', 'path: required when cases are matched by value');
      const keys = rulePathKeys(params.path);
      if (typeof keys === 'string') throw permanent('invalid_params', `path: ${keys}`);
      const left = lookup({ input, trigger: ctx.trigger, nodes: ctx.nodes }, keys);
      matches = (c) => (Array.isArray(c.equals) ? c.equals.some((v) => deepEqual(left, v)) : deepEqual(left, c.equals));
    } else {
      matches = (c, i) => rulesHold(ctx, input, c.rules ?? [], c.combine, `cases.${i}.rules`);
    }
    const hit: string[] = [];
    for (const [i, c] of params.cases.entries()) {
      if (!matches(c, i)) continue;
      hit.push(c.id);
      if ((params.match ?? 'first') === 'first') break;
    }
    if (hit.length === 0) return { port: 'default', value: input };
    return hit.length === 1 ? { port: hit[0], value: input } : { port: hit[0], value: input, alsoPorts: hit.slice(1) };
  },
});
