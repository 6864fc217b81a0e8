/** THREATS S-8, S-10…S-16, S-18, S-19, S-21…S-23: CPU, wall-clock, memory and output limits of the real sandbox child. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type SupervisedSandbox } from '../../../server/sandbox/supervisor.js';
import { cpuTicks, expectFailure, expectTrivialRuns, pidOf, procStatusMb, recordingLogger, req } from './sandbox-helpers.js';

const log = recordingLogger();
let sb: SupervisedSandbox;

beforeAll(async () => {
  sb = createSandbox({ log, timeoutMs: 200 });
  await sb.ready();
});
afterAll(() => sb.close());
afterEach(async () => {
  await expectTrivialRuns(sb);
  expect(sb.stats().restarts).toBe(0);
});

/** Runs `code`, expects `codes`, and returns the elapsed milliseconds. */
async function timed(code: string, codes: string[], extra: Parameters<typeof req>[1] = {}): Promise<number> {
  const t = Date.now();
  await expectFailure(sb.run(req(code, extra)), ...codes);
  return Date.now() - t;
}

describe('CPU and wall-clock limits', () => {
  it('S-8 a looping getter on a thrown object is stopped by the timeout (recorded: sandbox_timeout at ~timeoutMs)', async () => {
    expect(await timed('throw { get message() { for (;;); } }', ['sandbox_timeout'])).toBeLessThan(2000);
  });

  it('S-10 a sync infinite loop times out, non-retryable, well inside 1.5 s', async () => {
    const err = await expectFailure(sb.run(req('for (;;) {}')), 'sandbox_timeout');
    expect(err.message).toMatch(/CPU time limit of 200 ms/);
    expect(await timed('while (true) {}', ['sandbox_timeout'])).toBeLessThan(1500);
  });

  it('S-11 a microtask loop times out', async () => {
    await timed('function f() { Promise.resolve().then(f) } f(); return 1', ['sandbox_timeout']);
    await timed('for (;;) { await null }', ['sandbox_timeout']);
  });

  it('S-12 a never-resolving promise fails as a timeout without holding the child', async () => {
    // Recorded: detected right after the call's microtasks drain (nothing can settle it later), so no 2× wait.
    const err = await expectFailure(sb.run(req('return new Promise(() => {})')), 'sandbox_timeout');
    expect(err.message).toMatch(/never settles/);
    await expectFailure(sb.run(req('await new Promise(() => {}); return 1')), 'sandbox_timeout');
  });

  it('S-13 busy loops after await time out and the child stops burning CPU', async () => {
    // Recorded: post-await code runs in the microtask checkpoint of the same isolated-vm call, so the CPU `timeout`
    // already covers it; the wall-clock watchdog is the backstop.
    await timed('await null; for (;;);', ['sandbox_timeout']);
    await timed('await console.log("x"); while (true) {}', ['sandbox_timeout']);
    const pid = pidOf(sb);
    const before = cpuTicks(pid);
    await new Promise((r) => setTimeout(r, 300));
    expect(cpuTicks(pid) - before).toBeLessThan(10);
  });

  it('S-14 catastrophic regex backtracking times out', async () => {
    await timed("return /(a+)+$/.test('a'.repeat(40) + '!')", ['sandbox_timeout']);
  });
});

describe('memory limits', () => {
  it('S-15 a heap bomb fails as sandbox_memory and child RSS stays under 3× the limit + baseline', async () => {
    const pid = pidOf(sb);
    const baseline = procStatusMb(pid, 'VmHWM');
    // Typed arrays: recorded "RangeError: Array buffer allocation failed" (classified sandbox_memory).
    await timed('const a = []; for (;;) a.push(new Uint8Array(2 * 1024 * 1024))', ['sandbox_memory'], { timeoutMs: 10_000 });
    // Plain objects: recorded "Isolate was disposed during execution due to memory limit".
    // Near its limit V8 spends most of its time in GC: on a loaded machine this takes several seconds to end.
    const err = await expectFailure(sb.run(req('const a = []; for (;;) a.push({ i: a.length, s: "y" + a.length })', { timeoutMs: 15_000 })), 'sandbox_memory');
    expect(err.message).toMatch(/memory limit of 64 MB/);
    expect(procStatusMb(pid, 'VmHWM')).toBeLessThan(3 * 64 + baseline);
  }, 40_000);

  it('S-16 a string bomb fails with a RangeError or a memory error; the host survives', async () => {
    // Recorded: user_code_error "Invalid string length" (V8's string cap is hit before the heap limit).
    const err = await expectFailure(sb.run(req("let s = 'x'; for (;;) s += s;")), 'user_code_error', 'sandbox_memory');
    expect(err.message).toMatch(/Invalid string length|memory/);
  });

  it('S-23 WebAssembly is not there (recorded: a 1 GiB wasm Memory is outside memoryLimit and its fill ignores the timeout, so the global is deleted)', async () => {
    const err = await expectFailure(sb.run(req('return new WebAssembly.Memory({ initial: 16384 })')), 'user_code_error');
    expect(err.message).toBe('WebAssembly is not defined');
    expect(procStatusMb(pidOf(sb), 'VmRSS')).toBeLessThan(512);
  });

  it('S-22 Atomics.wait cannot block (recorded: SharedArrayBuffer is deleted; with it, Atomics.wait is cut by the timeout)', async () => {
    const err = await expectFailure(sb.run(req('return Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)')), 'user_code_error');
    expect(err.message).toBe('SharedArrayBuffer is not defined');
    await timed('return Atomics.wait(new Int32Array(4), 0, 0)', ['user_code_error']);
  });
});

describe('output limits', () => {
  it('S-18 a 200 MB string is refused inside the isolate; host heap grows < 10 MB', async () => {
    const before = process.memoryUsage().heapUsed;
    const err = await expectFailure(sb.run(req("return 'x'.repeat(200 * 1024 * 1024)")), 'sandbox_output');
    expect(err.message).toMatch(/larger than 1048576 bytes/);
    await expectFailure(sb.run(req("return { a: ['x'.repeat(200 * 1024 * 1024)] }")), 'sandbox_output');
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(10 * 1024 * 1024);
  });

  it('S-18 escaping cannot smuggle past the cap (control characters expand 6×)', async () => {
    // A CPU limit of 2 s, not the suite's 200 ms: copying 1 MB out must not time out on a loaded machine.
    await expectFailure(sb.run(req("return '\\u0001'.repeat(500000)", { timeoutMs: 2000 })), 'sandbox_output');
    await expect(sb.run(req("return 'x'.repeat(1000000)", { timeoutMs: 2000 }))).resolves.toHaveLength(1000000);
  });

  it('S-19 deep output is rejected by the depth check, not by a stack overflow', async () => {
    // Recorded: a 1e6-deep array also ends as sandbox_output (~1.7 s to build under a 3 s timeout); 2e5 keeps this fast.
    const err = await expectFailure(sb.run(req('let a = []; for (let i = 0; i < 2e5; i++) a = [a]; return a', { timeoutMs: 3000 })), 'sandbox_output');
    expect(err.message).toBe('output is nested deeper than 64 levels');
    await expect(sb.run(req('let a = 1; for (let i = 0; i < 63; i++) a = [a]; return a'))).resolves.toBeDefined();
  });

  it('S-21 console output is capped per call and the flood is bounded by the timeout', async () => {
    await sb.run(req("for (let i = 0; i < 1000; i++) console.log('x'.repeat(1024 * 1024)); return 1", { cacheKey: 's21' }));
    const rec = log.records.find((r) => r.msg === 'sandbox console output' && JSON.stringify(r.obj).includes('"s21"'));
    const text = rec && 'console' in rec.obj ? String(rec.obj.console) : '';
    expect(text.length).toBeGreaterThan(16 * 1024 - 10);
    expect(text.length).toBeLessThan(16 * 1024 + 200);
    expect(text).toMatch(/\[999 console calls dropped: log cap reached\]/);
    await timed("for (let i = 0; i < 1e6; i++) console.log('x'.repeat(1024 * 1024) + i); for (;;);", ['sandbox_timeout']);
  });
});
