/** Sandbox happy paths in the real child process: transforms, expressions, errors from user code, caching, console, latency. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxRequest } from '../../../nodes/contract.js';
import { createSandbox, type SupervisedSandbox } from '../../../server/sandbox/supervisor.js';
import { expectFailure, expectTrivialRuns, recordingLogger, req } from './sandbox-helpers.js';

const log = recordingLogger();
let sb: SupervisedSandbox;

beforeAll(async () => {
  sb = createSandbox({ log, timeoutMs: 500 });
  await sb.ready();
});
afterAll(() => sb.close());

describe('sandbox: running user code', () => {
  it('runs a transform with input and ctx in scope', async () => {
    const out = await sb.run(req('return {...input, total: input.a + input.b, node: ctx.nodeId}', { input: { a: 2, b: 3 }, ctx: { nodeId: 'calc' } }));
    expect(out).toEqual({ a: 2, b: 3, total: 5, node: 'calc' });
  });

  it('evaluates an expression', async () => {
    const run = (input: unknown): Promise<unknown> => sb.run({ cacheKey: 'expr', kind: 'expression', code: 'input.total > 10 && ctx.ok', input, ctx: { ok: true } });
    await expect(run({ total: 11 })).resolves.toBe(true);
    await expect(run({ total: 9 })).resolves.toBe(false);
    await expect(sb.run({ cacheKey: 'expr;', kind: 'expression', code: 'input.a + 1; \n', input: { a: 1 }, ctx: null })).resolves.toBe(2);
  });

  it('awaits async code and returned promises', async () => {
    await expect(sb.run(req('const v = await Promise.resolve(input); return [v, await new Promise((r) => r(2))]', { input: 1 }))).resolves.toEqual([1, 2]);
    await expect(sb.run({ cacheKey: 'expr-p', kind: 'expression', code: 'Promise.resolve(input * 2)', input: 4, ctx: null })).resolves.toBe(8);
  });

  it('returns undefined, null and primitives as they are', async () => {
    await expect(sb.run(req('return'))).resolves.toBeUndefined();
    await expect(sb.run(req('return null'))).resolves.toBeNull();
    await expect(sb.run(req('return "s"'))).resolves.toBe('s');
    await expect(sb.run(req('return typeof input', { input: undefined }))).resolves.toBe('undefined');
  });

  it('gives user code a copy: mutations never reach the host object', async () => {
    const input = { list: [1, 2], nested: { x: 1 } };
    await sb.run(req('input.list.push(3); input.nested.x = 99; return null', { input }));
    expect(input).toEqual({ list: [1, 2], nested: { x: 1 } });
  });

  it('reports a thrown Error as user_code_error with its message and stack', async () => {
    const err = await expectFailure(sb.run(req('const x = 1;\nthrow new TypeError("bad " + x)')), 'user_code_error');
    expect(err.message).toBe('bad 1');
    expect(err.details).toMatchObject({ name: 'TypeError', stack: expect.stringContaining('bad 1') });
  });

  it('reports a syntax error as user_code_error', async () => {
    const err = await expectFailure(sb.run(req('return {')), 'user_code_error');
    expect(err.message).toMatch(/Unexpected/);
    await expectTrivialRuns(sb);
  });

  it('bounds the message of a huge throw to about 2 KB', async () => {
    const err = await expectFailure(sb.run(req('throw new Error("x".repeat(1e6))')), 'user_code_error');
    expect(err.message.length).toBeLessThanOrEqual(2049);
  });

  it('rejects values JSON cannot carry as sandbox_output', async () => {
    await expectFailure(sb.run(req('return 1n')), 'sandbox_output');
    await expectFailure(sb.run(req('const a = {}; a.self = a; return a')), 'sandbox_output');
  });

  it('recompiles when the code under a cacheKey changes', async () => {
    await expect(sb.run({ cacheKey: 'same', kind: 'function', code: 'return 1', input: null, ctx: null })).resolves.toBe(1);
    await expect(sb.run({ cacheKey: 'same', kind: 'function', code: 'return 2', input: null, ctx: null })).resolves.toBe(2);
    await expect(sb.run({ cacheKey: 'same', kind: 'expression', code: '3', input: null, ctx: null })).resolves.toBe(3);
  });

  it('keeps working when more cacheKeys are used than contexts are kept', async () => {
    const small = createSandbox({ maxContexts: 2 });
    try {
      for (let round = 0; round < 2; round++) {
        for (let k = 0; k < 5; k++) {
          await expect(small.run({ cacheKey: `lru${k}`, kind: 'expression', code: `input + ${k}`, input: 10, ctx: null })).resolves.toBe(10 + k);
        }
      }
    } finally {
      await small.close();
    }
  });

  it('answers many concurrent calls in order, each with its own result', async () => {
    const calls = Array.from({ length: 100 }, (_, i) => sb.run({ cacheKey: `c${i % 7}`, kind: 'expression', code: `input * ${(i % 7) + 1}`, input: i, ctx: null }));
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 100 }, (_, i) => i * ((i % 7) + 1)));
  });

  it('forwards console output to log.debug', async () => {
    await sb.run(req('console.log("hello", {a: 1}); console.warn("careful"); return 1', { cacheKey: 'console' }));
    const rec = log.records.find((r) => r.msg === 'sandbox console output' && JSON.stringify(r.obj).includes('hello'));
    expect(rec?.obj).toEqual({ cacheKey: 'console', console: 'hello {"a":1}\nwarn: careful\n' });
  });

  it('rejects a request without string code as sandbox_input', async () => {
    const bad: SandboxRequest = JSON.parse('{"cacheKey":"bad","kind":"function","code":42,"input":null,"ctx":null}');
    await expectFailure(sb.run(bad), 'sandbox_input');
    await expectFailure(sb.run(req('return 1', { input: 1n })), 'sandbox_input');
  });

  it('warm call latency (printed, not asserted)', async () => {
    const r = req('return {...input, total: input.a + input.b}', { cacheKey: 'warm', input: { a: 1, b: 2 } });
    await sb.run(r);
    const us: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const t = process.hrtime.bigint();
      await sb.run(r);
      us.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    us.sort((a, b) => a - b);
    console.log(`sandbox warm call over IPC: median ${us[500].toFixed(0)} µs, p90 ${us[900].toFixed(0)} µs, p99 ${us[990].toFixed(0)} µs`);
    expect(us.length).toBe(1000);
  });
});
