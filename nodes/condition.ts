/** The `condition` node: path rules (or a sandboxed expression) decide between ports `true` and `false`. */
import { Type, type Static } from '@sinclair/typebox';
import { defineNode, permanent, type NodeContext, type NodeError, NO_RETRY, SANDBOX_ANSWER_GRACE_MS } from './contract.js';
import { lookup, parsePath, PathSyntaxError } from './paths.js';
import { compileCheck } from './safe-regex.js';

/** CPU limit of a sandboxed expression. */
const EXPRESSION_TIMEOUT_MS = 1000;

const OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'exists', 'contains', 'matches'] as const;
const ROOTS: ReadonlySet<string> = new Set(['input', 'trigger', 'nodes']);
/** How the editor names each operator. */
const OP_LABELS: Record<(typeof OPS)[number], string> = {
  eq: 'equals', ne: 'does not equal', gt: 'is greater than', gte: 'is at least', lt: 'is less than', lte: 'is at most',
  exists: 'exists', contains: 'contains', matches: 'matches the pattern',
};

export const ConditionRule = Type.Object({
  /** Looked up on `{ input, trigger, nodes }`, e.g. `input.total`, `trigger.headers.x-kind`, `nodes.calc.total`. */
  path: Type.String({ minLength: 1, maxLength: 1000, title: 'Path' }),
  op: Type.Union(OPS.map((op) => Type.Literal(op)), { title: 'Operator', 'x-labels': OP_LABELS }),
  /** Any JSON value (may be a template rendered before execute); unused by `exists`. */
  value: Type.Optional(Type.Unknown()),
}, { additionalProperties: false });

export const ConditionParams = Type.Object({
  rules: Type.Optional(Type.Array(ConditionRule, { minItems: 1, maxItems: 100, title: 'Rules' })),
  /** @default 'all' */
  combine: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('any')], {
    default: 'all', title: 'Match', 'x-labels': { all: 'all rules', any: 'any rule' },
  })),
  /** One JavaScript expression run in the sandbox with `input` and `ctx` ({trigger, nodes}); truthy → `true`. */
  expression: Type.Optional(Type.String({ minLength: 1, maxLength: 10_000, 'x-widget': 'expression', title: 'Expression' })),
}, { additionalProperties: false, 'x-widget': 'condition' });
export type Rule = Static<typeof ConditionRule>;

/** Structural equality of JSON values, no coercion (`1` ≠ `"1"`); iterative, so deep data cannot overflow the stack. */
export function deepEqual(a: unknown, b: unknown): boolean {
  const stack: Array<[unknown, unknown]> = [[a, b]];
  for (let pair = stack.pop(); pair !== undefined; pair = stack.pop()) {
    const [x, y] = pair;
    if (x === y) continue;
    if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object' || Array.isArray(x) !== Array.isArray(y)) return false;
    const kx = Object.keys(x);
    if (kx.length !== Object.keys(y).length) return false;
    for (const k of kx) {
      if (!Object.hasOwn(y, k)) return false;
      stack.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]]);
    }
  }
  return true;
}

const ISO = /^\d{4}-\d{2}-\d{2}(?:[Tt ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch ms of an ISO 8601 date or date-time; a date-time without an offset is read as UTC. */
function isoTime(s: string): number | null {
  const m = ISO.exec(s);
  const t = m === null ? NaN : Date.parse(m[1] !== undefined && m[2] === undefined ? `${s}Z` : s);
  return Number.isNaN(t) ? null : t;
}

/** Sign of a − b for two numbers, two ISO dates (as instants) or two strings (code-unit order); null otherwise. */
function order(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a - b) ? null : Math.sign(a - b);
  if (typeof a !== 'string' || typeof b !== 'string') return null;
  const [ta, tb] = [isoTime(a), isoTime(b)];
  if (ta !== null && tb !== null) return Math.sign(ta - tb);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `"/pat/flags"` (flags from i, m, s, g, u) → [pat, flags]; any other string is the whole pattern. */
export function splitPattern(v: string): [string, string] {
  const last = v.lastIndexOf('/');
  return v[0] === '/' && last > 0 && /^[imsgu]*$/.test(v.slice(last + 1)) ? [v.slice(1, last), v.slice(last + 1)] : [v, ''];
}

const badRule = (i: number, field: string, msg: string, at = 'rules'): NodeError => permanent('invalid_params', `${at}.${i}.${field}: ${msg}`);

function evaluate(ctx: NodeContext, rule: Rule, i: number, left: unknown, at = 'rules'): boolean {
  const { op, value } = rule;
  switch (op) {
    case 'eq': return deepEqual(left, value);
    case 'ne': return !deepEqual(left, value);
    case 'gt': case 'gte': case 'lt': case 'lte': {
      const sign = order(left, value); // null: not comparable, so every ordering op is false
      return sign !== null && (op === 'gt' ? sign > 0 : op === 'gte' ? sign >= 0 : op === 'lt' ? sign < 0 : sign <= 0);
    }
    case 'exists': return left !== undefined && left !== null;
    case 'contains':
      if (typeof left === 'string') return typeof value === 'string' && left.includes(value);
      return Array.isArray(left) && left.some((el) => deepEqual(el, value));
    case 'matches':
      if (typeof value !== 'string') throw badRule(i, 'value', 'matches needs a pattern string', at);
      return typeof left === 'string' && ctx.regex.test(...splitPattern(value), left);
  }
}

/** The rule's path as keys, or why it is unusable. */
function parseRulePath(path: string): string[] | string {
  try {
    const keys = parsePath(path);
    return ROOTS.has(keys[0] ?? '') ? keys : 'must start with input, trigger or nodes';
  } catch (e) {
    if (e instanceof PathSyntaxError) return e.message;
    throw e;
  }
}

/** Save-time problems of one rule; `at` is the field path of its list (`rules`, `cases.0.rules`). */
export function ruleProblems(rule: Rule, i: number, at = 'rules'): Array<{ field: string; message: string }> {
  const problem = (field: string, message: string) => [{ field: `${at}.${i}.${field}`, message }];
  const { op, value } = rule;
  const keys = parseRulePath(rule.path);
  if (typeof keys === 'string') return problem('path', keys);
  if (op !== 'exists' && value === undefined) return problem('value', `required for op "${op}"`);
  if (op !== 'matches' || (typeof value === 'string' && value.includes('{{'))) return [];
  const msg = typeof value === 'string' ? compileCheck(...splitPattern(value)) : 'must be a pattern string';
  return msg === null ? [] : problem('value', msg);
}

/** Whether `rules` hold on `{ input, trigger, nodes }`, all of them or any (both short-circuit). `at` names the list in errors. */
export function rulesHold(ctx: NodeContext, input: unknown, rules: readonly Rule[], combine: 'all' | 'any' | undefined, at = 'rules'): boolean {
  const scope = { input, trigger: ctx.trigger, nodes: ctx.nodes };
  const holds = (rule: Rule, i: number): boolean => {
    const keys = parseRulePath(rule.path);
    if (typeof keys === 'string') throw badRule(i, 'path', keys, at);
    return evaluate(ctx, rule, i, lookup(scope, keys), at);
  };
  return combine === 'any' ? rules.some(holds) : rules.every(holds);
}

/** The look-up root of a rule or switch path, or why it is unusable. */
export const rulePathKeys = (path: string): string[] | string => parseRulePath(path);

export const conditionNode = defineNode({
  type: 'condition',
  title: 'Condition',
  category: 'logic',
  description: 'Routes the input to true or false by rules on paths or by a sandboxed expression.',
  params: ConditionParams,
  rawParams: ['expression'],
  defaults: { rules: [{ path: 'input.body', op: 'exists' }], combine: 'all' },
  ports: ['true', 'false'] as const,
  retry: NO_RETRY,
  timeoutMs: 2000,
  // An expression gets the sandbox's CPU limit; the node waits at least that long plus the sandbox's grace.
  timeoutFloorMs: (params) => (params.expression === undefined ? 0 : EXPRESSION_TIMEOUT_MS + SANDBOX_ANSWER_GRACE_MS),
  effect: 'pure',

  check(params) {
    const hasRules = params.rules !== undefined;
    if (hasRules && params.expression !== undefined) return [{ field: 'expression', message: 'set either rules or expression, not both' }];
    if (!hasRules && params.expression === undefined) return [{ field: 'rules', message: 'set rules or an expression' }];
    return (params.rules ?? []).flatMap((r, i) => ruleProblems(r, i));
  },

  async execute(ctx, input, params) {
    const { rules, expression } = params;
    if ((rules === undefined) === (expression === undefined)) throw permanent('invalid_params', 'set exactly one of rules or expression');
    if (expression !== undefined) {
      const { flowId, flowVersion, nodeId } = ctx.execution;
      const result = await ctx.sandbox.run({
        kind: 'expression', code: expression, input, ctx: { trigger: ctx.trigger, nodes: ctx.nodes },
        cacheKey: `${flowId}:${flowVersion}:${nodeId}`, group: flowId, timeoutMs: EXPRESSION_TIMEOUT_MS, signal: ctx.signal,
      });
      return { port: result ? 'true' : 'false', value: input };
    }
    return { port: rulesHold(ctx, input, rules ?? [], params.combine) ? 'true' : 'false', value: input };
  },
});
