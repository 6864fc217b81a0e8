/** Shared helpers for the sandbox tests: a recording logger, NodeError assertions and child-process probes. */
import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { NodeError, type Logger, type SandboxRequest } from '../../../nodes/contract.js';
import type { SupervisedSandbox } from '../../../server/sandbox/supervisor.js';

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg?: string;
}

export function recordingLogger(): Logger & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return {
    records,
    debug: (obj, msg) => records.push({ level: 'debug', obj, msg }),
    info: (obj, msg) => records.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => records.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => records.push({ level: 'error', obj, msg }),
  };
}

/** A request with defaults: a function body under a unique cache key. */
export function req(code: string, extra: Partial<SandboxRequest> = {}): SandboxRequest {
  return { cacheKey: `k:${code}`, kind: 'function', code, input: null, ctx: {}, ...extra };
}

/** Runs the call, expects it to fail with a permanent NodeError of one of `codes`, and returns that error. */
export async function expectFailure(p: Promise<unknown>, ...codes: string[]): Promise<NodeError> {
  const err: unknown = await p.then(
    (value) => expect.fail(`expected ${codes.join('|')}, got result ${JSON.stringify(value)?.slice(0, 200)}`),
    (e: unknown) => e,
  );
  if (!(err instanceof NodeError)) return expect.fail(`expected a NodeError, got ${String(err)}`);
  expect(codes).toContain(err.code);
  expect(err.retryable).toBe(false);
  return err;
}

/** The unless-stated-otherwise clause of THREATS §S: after a hostile call the runner still executes a trivial script. */
export async function expectTrivialRuns(sb: SupervisedSandbox): Promise<void> {
  await expect(sb.run(req('return input + 1', { cacheKey: 'trivial', input: 41 }))).resolves.toBe(42);
}

/** utime + stime of a process, in clock ticks (Linux /proc). */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** A field of /proc/<pid>/status in MB (VmRSS, VmHWM). */
export function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

export function pidOf(sb: SupervisedSandbox): number {
  const pid = sb.stats().pid;
  if (pid === undefined) return expect.fail('the sandbox has no child process');
  return pid;
}

/** Pids of the sandbox children this process started (found through /proc, for tests that start a whole server). */
export function sandboxChildPids(parent = process.pid): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('sandbox/child')) out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** Child CPU time (ticks of 10 ms) spent over `ms`: a stopped call leaves the child idle. */
export async function cpuTicksOver(pid: number, ms: number): Promise<number> {
  const before = cpuTicks(pid);
  await new Promise((r) => setTimeout(r, ms));
  return cpuTicks(pid) - before;
}

/** Resolves with `p`'s outcome, or rejects after `ms` (a failed bound, not a hang until the test timeout). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
