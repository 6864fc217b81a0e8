/** Supervises the sandbox child process: restarts it with backoff, pipelines calls (the child runs them one at a time), kills it past a hard deadline. */
import { readFileSync } from 'node:fs';
import { NodeError, type Sandbox, type SandboxRequest } from '../../nodes/contract.js';
import { spawnChild, type ChildHandle } from './child-handle.js';
import { childLimits, type SandboxOptions } from './options.js';
import type { ChildMessage, RunRequest } from './protocol.js';
import { resultOf, sandboxError } from './result.js';

export type { SandboxOptions } from './options.js';

export interface SandboxStats {
  restarts: number;
  pid?: number;
  /** Calls queued or running. */
  pending: number;
}

export interface SupervisedSandbox extends Sandbox {
  /** Kills the child, stops restarts, rejects pending calls with `sandbox_crash`. Required for the host process to exit. */
  close(): Promise<void>;
  /** Resolves once a child is ready to run code. */
  ready(): Promise<void>;
  stats(): SandboxStats;
}

interface Job {
  msg: RunRequest;
  resolve(value: unknown): void;
  reject(err: NodeError): void;
  timer?: NodeJS.Timeout;
}

/** Added to the wall-clock limit before the host gives up on the child and kills it. */
const HARD_DEADLINE_GRACE_MS = 1000;
const MAX_TIMEOUT_MS = 60_000;
const BACKOFF_MIN_MS = 50;
const BACKOFF_MAX_MS = 5000;
/** Deaths in a row, the last one before 'ready', after which waiting calls are rejected instead of queued. */
const FAILURES_BEFORE_REJECT = 3;
/**
 * Calls sent to the child before earlier ones are answered. The child still runs them one at a time; sending
 * ahead hides the IPC round trip and the host's event-loop latency, which otherwise bound throughput under load.
 */
const MAX_PIPELINE = 32;

const RSS_CHECK_MS = 100;

/** Resident set size of a process in MB, from /proc (Linux); undefined where it cannot be read. */
function readRssMb(pid: number): number | undefined {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return Number.isFinite(pages) ? (pages * 4096) / (1024 * 1024) : undefined;
  } catch {
    return undefined;
  }
}

const closedError = (): NodeError => sandboxError('sandbox_crash', 'the sandbox is closed');

function encode(value: unknown, what: string): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch (e) {
    throw sandboxError('sandbox_input', `${what} is not JSON-serialisable: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function createSandbox(opts: SandboxOptions = {}): SupervisedSandbox {
  const limits = childLimits(opts);
  const log = opts.log;
  const queue: Job[] = [];
  const waiters: Array<{ resolve(): void; reject(e: Error): void }> = [];
  let child: ChildHandle | undefined;
  /** Sent and not yet answered, oldest first; the oldest is the one the child is running. */
  let inflight: Job[] = [];
  let restartTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let restarts = 0;
  let failures = 0;
  let nextId = 1;

  const failAll = (err: NodeError): void => {
    for (let job = queue.shift(); job; job = queue.shift()) job.reject(err);
    for (let w = waiters.shift(); w; w = waiters.shift()) w.reject(err);
  };
  /** Removes the call the child is running (the oldest sent) and stops its deadline. */
  const takeHead = (): Job | undefined => {
    const job = inflight.shift();
    if (job) clearTimeout(job.timer);
    return job;
  };
  /** Calls sent to a child that is gone but never started there go back to the front of the queue. */
  const requeueInflight = (): void => {
    for (const j of inflight) {
      clearTimeout(j.timer);
      j.timer = undefined;
    }
    queue.unshift(...inflight);
    inflight = [];
  };

  function start(): void {
    const c: ChildHandle = spawnChild(limits, { message: (m) => onMessage(c, m), exit: (how) => onExit(c, how) }, log);
    child = c;
  }

  /**
   * The host watches the child's RSS: user code runs synchronously in the child, so the child cannot watch
   * itself while a call is running. Over the cap, the running call fails as sandbox_memory and the child is replaced.
   */
  const rssWatch = setInterval(() => {
    const c = child;
    const rssMb = c?.pid === undefined ? undefined : readRssMb(c.pid);
    if (!c || rssMb === undefined || rssMb <= limits.childRssMb) return;
    const job = takeHead();
    log?.error({ pid: c.pid, rssMb }, 'sandbox child over its RSS cap; killing it');
    job?.reject(sandboxError('sandbox_memory', `sandbox process RSS ${Math.round(rssMb)} MB exceeds its cap of ${limits.childRssMb} MB`));
    requeueInflight();
    c.kill();
  }, RSS_CHECK_MS);
  rssWatch.unref();

  function onMessage(c: ChildHandle, m: ChildMessage): void {
    if (child !== c) return;
    if (m.t === 'ready') {
      log?.info({ pid: m.pid, startMs: Date.now() - c.startedAt, restarts }, 'sandbox child ready');
      for (let w = waiters.shift(); w; w = waiters.shift()) w.resolve();
    }
    if (m.t === 'result') {
      const job = inflight[0]?.msg.id === m.id ? takeHead() : undefined;
      if (job) deliver(job, m);
      else log?.warn({ id: m.id }, 'sandbox answer for a call no longer waiting');
      armDeadline(c);
    }
    pump();
  }

  function deliver(job: Job, m: Extract<ChildMessage, { t: 'result' }>): void {
    failures = 0;
    if (m.logs) log?.debug({ cacheKey: job.msg.cacheKey, console: m.logs }, 'sandbox console output');
    try {
      job.resolve(resultOf(m, limits, job.msg.kind));
    } catch (e) {
      job.reject(e instanceof NodeError ? e : sandboxError('sandbox_output', String(e)));
    }
  }

  function onExit(c: ChildHandle, how: string): void {
    if (child !== c) return;
    child = undefined;
    takeHead()?.reject(sandboxError(c.fatal?.code ?? 'sandbox_crash', c.fatal?.message ?? `the sandbox process died (${how}) while running this code`));
    requeueInflight();
    if (closed) return;
    failures++;
    log?.warn({ pid: c.pid, how, fatal: c.fatal?.message, restarts }, 'sandbox child exited; restarting');
    restartLater(c.wasReady ? undefined : `${how}: ${c.stderrTail}`);
  }

  /** `startFailure` is set when the child never got ready; enough of those in a row fail the waiting calls. */
  function restartLater(startFailure?: string): void {
    if (startFailure !== undefined && failures >= FAILURES_BEFORE_REJECT) {
      failAll(sandboxError('sandbox_crash', `the sandbox process keeps failing to start (${startFailure})`));
    }
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (closed) return;
      restarts++;
      try {
        start();
      } catch (e) {
        failures++;
        log?.error({ err: e instanceof Error ? e.message : String(e) }, 'could not spawn the sandbox child');
        restartLater(e instanceof Error ? e.message : String(e));
      }
    }, Math.min(BACKOFF_MIN_MS * 2 ** (failures - 1), BACKOFF_MAX_MS));
  }

  function pump(): void {
    const c = child;
    while (c?.accepting && !closed && inflight.length < MAX_PIPELINE && queue.length > 0) {
      const job = queue.shift() as Job;
      inflight.push(job);
      c.send(job.msg, (err) => {
        log?.warn({ pid: c.pid, err: err.message }, 'could not send to the sandbox child; killing it');
        c.kill();
      });
    }
    if (c) armDeadline(c);
  }

  /** The oldest unanswered call is the one running: it alone has a deadline, counted from when it became the oldest. */
  function armDeadline(c: ChildHandle): void {
    const job = inflight[0];
    if (!job || job.timer) return;
    const hardMs = job.msg.wallMs + HARD_DEADLINE_GRACE_MS;
    job.timer = setTimeout(() => {
      if (inflight[0] !== job) return;
      takeHead();
      log?.error({ pid: c.pid, cacheKey: job.msg.cacheKey, hardMs }, 'sandbox child did not answer in time; killing it');
      job.reject(sandboxError('sandbox_crash', `the sandbox process did not answer within ${hardMs} ms; it was killed and restarted`));
      requeueInflight();
      c.kill();
    }, hardMs);
  }

  function run(req: SandboxRequest): Promise<unknown> {
    if (closed) return Promise.reject(closedError());
    return new Promise<unknown>((resolve, reject) => {
      if (typeof req.code !== 'string' || typeof req.cacheKey !== 'string' || (req.kind !== 'function' && req.kind !== 'expression')) {
        throw sandboxError('sandbox_input', 'a sandbox request needs string code and cacheKey, and kind function|expression');
      }
      const timeoutMs = Math.min(Math.max(Math.floor(req.timeoutMs ?? opts.timeoutMs ?? 1000), 1), MAX_TIMEOUT_MS);
      const wallMs = Math.max(opts.wallMs ?? 2 * timeoutMs + 500, timeoutMs);
      const msg: RunRequest = {
        t: 'run', id: nextId++, cacheKey: req.cacheKey, kind: req.kind, code: req.code,
        input: encode(req.input, 'input'), ctx: encode(req.ctx, 'ctx'), timeoutMs, wallMs,
      };
      queue.push({ msg, resolve, reject });
      pump();
    });
  }

  function ready(): Promise<void> {
    if (child?.accepting) return Promise.resolve();
    if (closed) return Promise.reject(closedError());
    return new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
  }

  function close(): Promise<void> {
    closed = true;
    clearInterval(rssWatch);
    clearTimeout(restartTimer);
    for (let job = takeHead(); job; job = takeHead()) job.reject(closedError());
    failAll(closedError());
    const c = child;
    c?.kill();
    return c ? c.exited() : Promise.resolve();
  }

  const stats = (): SandboxStats => ({ restarts, pid: child?.pid, pending: queue.length + inflight.length });

  start();
  return { run, ready, close, stats };
}
