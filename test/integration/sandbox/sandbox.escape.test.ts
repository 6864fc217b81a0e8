/** THREATS S-1…S-7, S-9, S-20, S-24: escape attempts, prototype pollution and hostile throws against the real sandbox child. */
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type SupervisedSandbox } from '../../../server/sandbox/supervisor.js';
import { expectFailure, expectTrivialRuns, req } from './sandbox-helpers.js';

let sb: SupervisedSandbox;
const canaryFile = join(tmpdir(), `hookflow-sandbox-canary-${process.pid}`);

beforeAll(async () => {
  sb = createSandbox({ timeoutMs: 500 });
  await sb.ready();
});
afterAll(() => sb.close());
afterEach(async () => {
  await expectTrivialRuns(sb);
  expect(existsSync(canaryFile)).toBe(false);
});

/** Code that would write the canary file if it ever reached Node's `process`. */
const touch = `try { process.mainModule.require('fs').writeFileSync(${JSON.stringify(canaryFile)}, 'x') } catch (e) {}`;

describe('S-1 constructor chains', () => {
  const variants: Record<string, string> = {
    'this': `return this.constructor.constructor('return typeof process')()`,
    '[].map': `return [].map.constructor('return typeof process')()`,
    'Promise.resolve()': `return Promise.resolve().constructor.constructor('return typeof process')()`,
    'new Error()': `return new Error().constructor.constructor('return typeof process')()`,
    'catch parameter': `try { null.x } catch (e) { return e.constructor.constructor('return typeof process')() }`,
    'async function constructor': `return await (async () => {}).constructor('return typeof process')()`,
    'canary write': `this.constructor.constructor(${JSON.stringify(touch)})(); return typeof process`,
  };
  for (const [name, code] of Object.entries(variants)) {
    it(`via ${name} finds no process`, async () => {
      await expect(sb.run(req(code))).resolves.toBe('undefined');
    });
  }
});

describe('S-2 n8n bypass shapes', () => {
  const undefinedOrReferenceError = async (code: string): Promise<void> => {
    const outcome = await sb.run(req(code)).then(
      (v) => v,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    expect(['undefined', 'process is not defined']).toContain(outcome);
  };
  it('computed constructor names', () => undefinedOrReferenceError("return Object[`constr${'uct'}or`]('return typeof process')()"));
  it('String.fromCharCode-built names', () =>
    undefinedOrReferenceError("const n = String.fromCharCode(99,111,110,115,116,114,117,99,116,111,114); return ({})[n][n]('return typeof process')()"));
  it('destructured constructor', () => undefinedOrReferenceError("const {['constructor']: c} = () => 1; return c('return typeof process')()"));
  it('with() in a sloppy function', () => undefinedOrReferenceError('with ({}) { return typeof process }'));
  it('sloppy this', () => undefinedOrReferenceError('return typeof (function(){ return this })().process'));
  it('reaching process directly', () => undefinedOrReferenceError('return process.env'));
});

describe('S-3 global inventory', () => {
  it('holds only JS built-ins plus console', async () => {
    const names = await sb.run({ cacheKey: 's3', kind: 'expression', code: 'Object.getOwnPropertyNames(globalThis)', input: null, ctx: null });
    const allowed = new Set(['AggregateError', 'Array', 'ArrayBuffer', 'Atomics', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean',
      'DataView', 'Date', 'Error', 'EvalError', 'Float32Array', 'Float64Array', 'Function', 'Infinity', 'Int16Array', 'Int32Array',
      'Int8Array', 'Intl', 'JSON', 'Map', 'Math', 'NaN', 'Number', 'Object', 'Promise', 'Proxy', 'RangeError', 'ReferenceError',
      'Reflect', 'RegExp', 'Set', 'String', 'Symbol', 'SyntaxError', 'TypeError', 'URIError', 'Uint16Array', 'Uint32Array',
      'Uint8Array', 'Uint8ClampedArray', 'WeakMap', 'WeakRef', 'WeakSet', 'console', 'decodeURI', 'decodeURIComponent', 'encodeURI',
      'encodeURIComponent', 'escape', 'eval', 'globalThis', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'undefined', 'unescape',
      // ECMAScript built-ins that Node 24's V8 (13.6) adds: iterator helpers, explicit resource management, half floats.
      'Iterator', 'SuppressedError', 'DisposableStack', 'AsyncDisposableStack', 'Float16Array']);
    expect(Array.isArray(names)).toBe(true);
    const list = Array.isArray(names) ? names.map(String) : [];
    expect(list.filter((n) => !allowed.has(n))).toEqual([]);
    for (const bad of ['_ivm', 'ivm', 'Reference', 'ExternalCopy', 'Isolate', 'Context', 'require', 'process', 'Buffer', 'module',
      'setTimeout', 'fetch', 'WebAssembly', 'SharedArrayBuffer', 'FinalizationRegistry']) {
      expect(list).not.toContain(bad);
    }
  });
});

describe('S-4 helper introspection (console.* are plain in-isolate functions, not ivm Callbacks)', () => {
  it('gives nothing through a helper', async () => {
    const out = await sb.run(req(`return ['log', 'info', 'warn', 'error', 'debug'].map((k) => {
      const h = console[k];
      return [h.constructor.constructor('return typeof process')(), Object.getPrototypeOf(h) === Function.prototype, h.toString(), h('x')];
    })`));
    // Recorded: h.toString() is the harness's own JS ('function () { write(level, arguments); }'), no host source.
    expect(out).toEqual(Array.from({ length: 5 }, () => ['undefined', true, 'function () { write(level, arguments); }', null]));
  });
});

describe('S-5 Error.prepareStackTrace tricks', () => {
  it('gets the message back and leaves the host hook alone', async () => {
    const before = Error.prepareStackTrace;
    const err = await expectFailure(sb.run(req("Error.prepareStackTrace = (e, f) => f[0].getThis(); throw new Error('x')")), 'user_code_error');
    expect(err.message).toBe('x');
    expect(typeof err.stack).toBe('string');
    expect(Error.prepareStackTrace).toBe(before);
  });
});

describe('S-6 prototype pollution', () => {
  it('(a) never pollutes the host', async () => {
    await sb.run(req("Object.prototype.polluted = 1; input.__proto__.x = 1; Array.prototype.evil = 1; return 'ok'", { cacheKey: 's6', input: {} }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('(b) a __proto__ key in the output stays an own key', async () => {
    const out = await sb.run(req(`return JSON.parse('{"__proto__":{"isAdmin":true}}')`));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).toBe(true);
    const merged: Record<string, unknown> = { ...{ earlier: 1 }, ...(out as object) };
    expect(merged.isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('(c) other cacheKeys, and the next run of the same one, start clean', async () => {
    await sb.run(req('Object.prototype.polluted = 1; globalThis.leak = input; return 1', { cacheKey: 's6c', input: 'secret' }));
    const probe = "return [typeof ({}).polluted, typeof globalThis.leak, typeof [].evil]";
    await expect(sb.run(req(probe, { cacheKey: 's6c-other' }))).resolves.toEqual(['undefined', 'undefined', 'undefined']);
    // The same cacheKey reuses its context, but the harness saw the pollution and dropped that context.
    await expect(sb.run(req(probe, { cacheKey: 's6c' }))).resolves.toEqual(['undefined', 'undefined', 'undefined']);
  });
});

describe('S-7 non-Error throws', () => {
  it('throw {} is described like isolated-vm does', async () => {
    const err = await expectFailure(sb.run(req('throw {}')), 'user_code_error');
    expect(err.message.startsWith('An object was thrown from supplied code within isolated-vm')).toBe(true);
  });
  it("throw 'str' propagates the string (recorded: the harness copies primitives as text)", async () => {
    expect((await expectFailure(sb.run(req("throw 'str'")), 'user_code_error')).message).toBe('str');
  });
  it('throw Symbol() is handled', async () => {
    expect((await expectFailure(sb.run(req("throw Symbol('s')")), 'user_code_error')).message).toBe('A symbol was thrown: Symbol(s)');
  });
  it('throw null / undefined / 42 are handled', async () => {
    for (const [v, msg] of [['null', 'null'], ['undefined', 'undefined'], ['42', '42']]) {
      expect((await expectFailure(sb.run(req(`throw ${v}`)), 'user_code_error')).message).toBe(msg);
    }
  });
});

describe('S-9 Proxy output', () => {
  it('runs traps only inside the isolate, under the timeout', async () => {
    await expectFailure(sb.run(req('return new Proxy({}, { get() { for (;;) {} } })', { timeoutMs: 200 })), 'sandbox_timeout');
    await expectFailure(sb.run(req('return new Proxy({}, { ownKeys() { for (;;) {} } })', { timeoutMs: 200 })), 'sandbox_timeout');
  });
  it('serialises a harmless Proxy through its traps', async () => {
    await expect(sb.run(req('return new Proxy({a: 1}, {})'))).resolves.toEqual({ a: 1 });
  });
});

describe('S-20 eval / Function', () => {
  it('allows eval of small code', async () => {
    await expect(sb.run(req("return eval('1+1') === 2 && Function('return 3')() === 3"))).resolves.toBe(true);
  });
  it('refuses eval of a huge source', async () => {
    const err = await expectFailure(sb.run(req("return eval('1'.repeat(40).repeat(1e7))")), 'user_code_error');
    expect(err.message).toMatch(/Code generation from strings disallowed/);
  });
});

describe('S-24 secret canary', () => {
  it('cannot be found by scanning everything reachable from globalThis', async () => {
    const canary = `hookflow-canary-${Math.random().toString(36).slice(2)}`;
    process.env.HOOKFLOW_SANDBOX_TEST_CANARY = canary;
    try {
      const scan = `const seen = new Set(), out = [];
        const walk = (v, depth) => {
          if (depth > 6 || v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v)) return;
          seen.add(v);
          for (const k of Reflect.ownKeys(v)) {
            out.push(String(k));
            let d; try { d = Object.getOwnPropertyDescriptor(v, k) } catch (e) { continue }
            for (const x of [d.value, d.get, d.set]) {
              if (typeof x === 'string') out.push(x);
              if (typeof x === 'function') { try { out.push(Function.prototype.toString.call(x)) } catch (e) {} }
              walk(x, depth + 1);
            }
          }
          walk(Object.getPrototypeOf(v), depth + 1);
        };
        walk(globalThis, 0);
        for (const k of ['log', 'info', 'warn', 'error', 'debug']) out.push(String(console[k]('probe')));
        return out.join('\\n').slice(0, 900000)`;
      const dump = await sb.run(req(scan, { timeoutMs: 5000 }));
      expect(typeof dump).toBe('string');
      expect(String(dump).length).toBeGreaterThan(1000);
      expect(String(dump)).not.toContain(canary);
      expect(String(dump)).not.toContain('HOOKFLOW_');
    } finally {
      delete process.env.HOOKFLOW_SANDBOX_TEST_CANARY;
    }
  });
});

afterAll(() => rmSync(canaryFile, { force: true }));
