/** S-29…S-32 (docs/security.md): nothing one execution does to its context reaches the next, and nothing leaves the isolate unclipped. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type SupervisedSandbox } from '../../../server/sandbox/supervisor.js';
import { expectFailure, expectTrivialRuns } from './sandbox-helpers.js';
import { FINGERPRINT, SWEEP } from './sweep-source.js';

let sb: SupervisedSandbox;

beforeAll(async () => {
  sb = createSandbox({ timeoutMs: 2000 });
  await sb.ready();
});
afterAll(() => sb.close());
afterEach(() => expectTrivialRuns(sb));

/** Two executions of the same node (same cacheKey and code, so the same warm context) with different callers' inputs. */
const twice = async (code: string, first: unknown, second: unknown, key: string): Promise<[unknown, unknown]> => {
  const run = (input: unknown): Promise<unknown> => sb.run({ cacheKey: key, kind: 'function', code, input, ctx: {}, timeoutMs: 5000 });
  const a = await run(first).catch((e: unknown) => e);
  return [a, await run(second)];
};

describe('S-29 a warm context carries nothing from one execution to the next', () => {
  const cases: Record<string, string> = {
    'a new member of Math': 'const prev = Math.stash; Math.stash = input.secret; return prev ?? null',
    'a new member of JSON': 'const prev = JSON.stash; JSON.stash = input.secret; return prev ?? null',
    'an overwritten member': "const prev = Math.max(1, 2); Math.max = () => input.secret; return prev === 2 ? null : prev",
    'a property on a built-in function': 'const prev = Array.prototype.map.stash; Array.prototype.map.stash = input.secret; return prev ?? null',
    'a property on the compiled function (arguments.callee)': 'const prev = arguments.callee.stash; arguments.callee.stash = input.secret; return prev ?? null',
    'an implicit global (sloppy assignment)': "const prev = typeof stash === 'undefined' ? null : stash; stash = input.secret; return prev",
    'a global defined as a getter': "const prev = globalThis.stash2 ?? null; Object.defineProperty(globalThis, 'stash2', { get: () => input.secret, configurable: true }); return prev",
    'a non-configurable global': "const prev = globalThis.stash3 ?? null; Object.defineProperty(globalThis, 'stash3', { value: input.secret }); return prev",
    'the global object\'s prototype': "const prev = globalThis.stash4 ?? null; Object.setPrototypeOf(globalThis, { stash4: input.secret }); return prev",
    'the legacy RegExp statics': "const prev = typeof RegExp.input === 'string' && RegExp.input ? RegExp.input : null; /./.test(input.secret); return prev",
    'a hidden intrinsic (the array iterator prototype)': 'const P = Object.getPrototypeOf([][Symbol.iterator]()); const prev = P.stash ?? null; P.stash = input.secret; return prev',
  };
  for (const [name, code] of Object.entries(cases)) {
    it(`via ${name}`, async () => {
      const [, second] = await twice(code, { secret: 'caller-A-secret' }, { secret: 'caller-B' }, `s29:${name}`);
      expect(second).toBeNull();
    });
  }
});

describe('S-29 executions handed to the isolate together (one batch)', () => {
  it('each start pristine, although each spoils the global object for good', async () => {
    const code = `const seen = Object.getOwnPropertyNames(globalThis).filter((k) => k.startsWith('leak'));
      Object.defineProperty(globalThis, 'leak' + input, { value: input });
      Object.setPrototypeOf(globalThis, { ['inherited' + input]: input });
      return seen.concat(Object.keys(Object.getPrototypeOf(globalThis)).filter((k) => k !== 'inherited' + input));`;
    const runs = Array.from({ length: 12 }, (_, i) => sb.run({ cacheKey: 's29-batch', group: 's29-batch', kind: 'function', code, input: i, ctx: {} }));
    expect(await Promise.all(runs)).toEqual(Array.from({ length: 12 }, () => []));
  });
});

describe('S-30 prototype pollution through a naive deep merge', () => {
  const code = `const merge = (t, s) => {
      for (const k in s) {
        const v = s[k];
        if (v && typeof v === 'object') { if (!t[k]) t[k] = {}; merge(t[k], v); } else t[k] = v;
      }
      return t;
    };
    const order = merge({ kind: 'order' }, input.body);
    return { order, tag: Object.prototype.toString.call(order), text: String({}), label: \`\${order.kind}\` };`;
  const run = (body: unknown): Promise<unknown> => sb.run({ cacheKey: 's30', kind: 'function', code, input: { body }, ctx: {} });

  it('does not change any later execution\'s output', async () => {
    const before = await run({ id: 1 });
    expect(before).toEqual({ order: { kind: 'order', id: 1 }, tag: '[object Object]', text: '[object Object]', label: 'order' });
    // JSON.parse makes "__proto__" an own key, as the webhook body parser does.
    const attack = JSON.parse('{"__proto__": {"toString": "POLLUTED"}, "id": 2}') as unknown;
    const outcome = await run(attack).then((v) => v, (e: unknown) => e);
    console.log('S-30 the attack execution itself:', outcome instanceof Error ? `${(outcome as { code?: string }).code}: ${outcome.message}` : JSON.stringify(outcome));
    for (let i = 0; i < 3; i++) await expect(run({ id: 1 })).resolves.toEqual(before);
  });
});

describe('S-31 a sweep over every intrinsic reachable from globalThis', () => {
  const run = (key: string, mode: string): Promise<unknown> =>
    sb.run({ cacheKey: key, kind: 'function', code: `${FINGERPRINT}\n${SWEEP}\nreturn input.mode === 'probe' ? fingerprint() : sweep(input.mode, input.secret);`,
      input: { mode, secret: 'SWEPT-SECRET' }, ctx: {}, timeoutMs: 10_000 });

  /** The probe of a context that has only ever been probed. */
  let pristine: string[];
  beforeAll(async () => {
    pristine = (await run('s31-fresh', 'probe')) as string[];
  });

  it('the probe sees every intrinsic (hundreds of objects, thousands of properties)', () => {
    expect(pristine.length).toBeGreaterThan(2000);
    expect(pristine.join('\n')).not.toContain('SWEPT-SECRET');
  });

  for (const mode of ['overwrite', 'redefine', 'add', 'delete', 'all'] as const) {
    it(`finds nothing of a sweep that tries to ${mode === 'all' ? 'do all of these' : mode} on every own property of every intrinsic in the next execution`, async () => {
      const key = `s31-${mode}`;
      const report = (await run(key, mode).catch((e: unknown) => e)) as { tried: number; took: number } | Error;
      console.log(`S-31 sweep ${mode}:`, report instanceof Error ? report.message : JSON.stringify(report));
      if (!(report instanceof Error)) expect(report.tried).toBeGreaterThan(2000);
      const after = (await run(key, 'probe')) as string[];
      const missing = pristine.filter((l) => !after.includes(l));
      const extra = after.filter((l) => !pristine.includes(l));
      expect({ missing: missing.slice(0, 20), extra: extra.slice(0, 20) }).toEqual({ missing: [], extra: [] });
    });
  }
});

describe('S-32 every value leaving the isolate is read without user-reachable prototypes and clipped', () => {
  const big = "'x'.repeat(40 * 1024 * 1024)";
  const attacks: Record<string, string> = {
    'Array.prototype[3] getter, then throw a primitive': `Object.defineProperty(Array.prototype, 3, { get() { return ${big} } }); throw 'boom'`,
    'Array.prototype[3] set by assignment, then throw': `Array.prototype[3] = ${big}; throw 'boom'`,
    'Object.prototype getters for every field the host reads': `for (const k of ['a','b','c','l','stack','name','message','details','logs','json']) Object.defineProperty(Object.prototype, k, { get() { return ${big} } }); throw 'boom'`,
    'an Error whose stack and name are huge': `const e = new Error('m'); Object.defineProperty(e, 'stack', { value: ${big} }); e.name = ${big}; throw e`,
    'a huge message': `throw new Error(${big})`,
    'a thrown huge string': `throw ${big}`,
    'huge console output': `console.log(${big}); console.error(${big}); return 1`,
  };
  for (const [name, code] of Object.entries(attacks)) {
    it(`${name}`, async () => {
      const outcome = await sb.run({ cacheKey: `s32:${name}`, kind: 'function', code, input: null, ctx: {}, timeoutMs: 5000 }).then((v) => v, (e: unknown) => e);
      const size = JSON.stringify(outcome instanceof Error ? { message: outcome.message, details: (outcome as { details?: unknown }).details } : outcome).length;
      expect(size).toBeLessThan(16 * 1024);
    });
  }

  it('a result above the cap is still refused', async () => {
    await expectFailure(sb.run({ cacheKey: 's32-out', kind: 'function', code: `return ${big}`, input: null, ctx: {} }), 'sandbox_output');
  });
});
