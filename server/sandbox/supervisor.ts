/**
 * Supervises the sandbox child process: schedules calls fairly onto its lanes (scheduler.ts), backs off groups whose
 * code keeps exceeding limits (backoff.ts), cancels calls whose caller gave up, restarts a dead child with backoff
 * and re-runs the calls of other groups it was running (sandbox code is pure), kills it past a hard deadline.
 */
import { readFileSync } from 'node:fs';
import { NodeError, type Sandbox, type SandboxRequest } from '../../nodes/contract.js';
import { createBackoff, type BackedOff } from './backoff.js';
import { spawnChild, type ChildHandle } from './child-handle.js';
import { childLimits, type SandboxOptions } from './options.js';
import type { CheckRequest, ChildMessage, CompileProblem, RunRequest } from './protocol.js';
import { clipLogs, resultOf, sandboxError } from './result.js';
import { createLaneScheduler } from './scheduler.js';

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
  /**
   * Compiles user code in the child as the harness would, without running it (the save-time check): the syntax
   * error with its line and column in the user's code, or undefined when it compiles. Absent where no sandbox runs.
   */
  check?(kind: 'function' | 'expression', code: string): Promise<CompileProblem | undefined>;
}

export type { CompileProblem } from './protocol.js';

/** A compile check waits this long for the child (restarts included) before the caller gets `sandbox_crash`. */
const CHECK_TIMEOUT_MS = 10_000;

interface PendingCheck {
  msg: CheckRequest;
  sent: boolean;
  resolve(p: CompileProblem | undefined): void;
  reject(e: NodeError): void;
  timer: NodeJS.Timeout;
}

interface Job {
  msg: RunRequest;
  group: string;
  resolve(value: unknown): void;
  reject(err: NodeError): void;
  /** Answered or given up: later answers for it are dropped. */
  settled: boolean;
  /** Child deaths nobody could be blamed for while this call was running. */
  tries: number;
  lane?: number;
  detach?: () => void;
  /** When it became the oldest unanswered call of its lane (it runs from then on). */
  headAt?: number;
}

/**
 * Added to a call's wall-clock limit before the host kills an unanswering child: room for a new context (up to 3 s),
 * the child's 500 ms wedge grace, and IPC. A backstop: the child's own watchdog answers first unless its main thread is stuck.
 */
const HARD_DEADLINE_GRACE_MS = 4500;
const MAX_TIMEOUT_MS = 60_000;
/** Default wall-clock allowance beyond the CPU limit: the CPU limit stops a call itself; this catches what ignores it. */
const WALL_GRACE_MS = 1000;
const BACKOFF_MIN_MS = 50;
const BACKOFF_MAX_MS = 5000;
/** Deaths in a row, the last one before 'ready', after which waiting calls are rejected instead of queued. */
const FAILURES_BEFORE_REJECT = 3;
/**
 * Calls of one group sent to its lane before earlier ones are answered: hides the IPC round trip under load, and sets
 * how many calls share one IPC message and, downstream, one group commit of their executions' finishes. A group whose
 * last call answered within `FAST_CALL_MS` gets the deep pipeline (a backlog of 20,000 queued runs: 10–19 % less CPU
 * per execution at 32–64 than at 8; bench/RESULTS.md); a new group, or one whose last call was slower, the shallow one.
 * A group waiting for a busy lane so waits behind at most 32 calls that were each under 50 ms when last seen, or
 * `PIPELINE` slower ones as before. (The host's event-loop lag counts in a call's time: the threshold is well above it.)
 */
const PIPELINE = 8;
const PIPELINE_FAST = 32;
const FAST_CALL_MS = 50;
/** Groups remembered as fast (bounded; the least recently answered forgotten first). */
const FAST_GROUPS = 1000;

/** How many calls of a group may be sent ahead of answers: 1 after a strike, deep when its last call was fast, else shallow. */
export function pipelineDepth(suspect: boolean, fast: boolean): number {
  return suspect ? 1 : fast ? PIPELINE_FAST : PIPELINE;
}

/** A call running during this many unexplained child deaths is failed instead of run again. */
const MAX_TRIES = 2;
const RSS_CHECK_MS = 100;
const HOST_RSS_MARGIN = 1.25;

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
const backoffError = (group: string, b: BackedOff, now: number): NodeError =>
  sandboxError('sandbox_backoff', `this code exceeded the sandbox's limits ${b.strikes} times recently (last: ${b.last}); ` +
    `calls of "${group}" fail at once for ${Math.ceil((b.until - now) / 1000)} s more`, { group, until: new Date(b.until).toISOString(), last: b.last });

function encode(value: unknown, what: string): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch (e) {
    throw sandboxError('sandbox_input', `${what} is not JSON-serialisable: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `ctx.trigger` and `ctx.nodes[id]` that are the input object itself go as null plus an alias note (RunRequest.alias). */
export function aliased(input: unknown, ctx: unknown): { ctx: unknown; alias?: string } {
  if (typeof input !== 'object' || input === null || !isObj(ctx)) return { ctx };
  const t = ctx.trigger === input;
  const nodes = isObj(ctx.nodes) ? ctx.nodes : undefined;
  const n = nodes ? Object.keys(nodes).filter((k) => nodes[k] === input) : [];
  if (!t && n.length === 0) return { ctx };
  const out: Record<string, unknown> = { ...ctx };
  if (t) out.trigger = null;
  if (nodes && n.length > 0) {
    const copy: Record<string, unknown> = { ...nodes };
    for (const k of n) copy[k] = null;
    out.nodes = copy;
  }
  return { ctx: out, alias: JSON.stringify({ t, n }) };
}

export function createSandbox(opts: SandboxOptions = {}): SupervisedSandbox {
  const limits = childLimits(opts);
  const log = opts.log;
  const backoff = createBackoff(opts.backoff);
  /** Groups whose last call held its lane no longer than FAST_CALL_MS, least recently answered first. */
  const fastGroups = new Set<string>();
  // A group whose code recently hit a limit gets no calls sent ahead: a back-off then stops the rest at once.
  const sched = createLaneScheduler<Job>(limits.lanes, (group) => pipelineDepth(backoff.suspect(group), fastGroups.has(group)));
  /** A call's time at the head of its lane (it ran then: the ones before it had answered) marks its group fast or not. */
  const timed = (job: Job): void => {
    if (job.headAt === undefined) return;
    fastGroups.delete(job.group);
    if (Date.now() - job.headAt > FAST_CALL_MS) return;
    fastGroups.add(job.group);
    if (fastGroups.size > FAST_GROUPS) fastGroups.delete(fastGroups.values().next().value as string);
  };
  const sent = new Map<number, Job>();
  const laneTimers: Array<NodeJS.Timeout | undefined> = [];
  /** The call each lane's deadline timer is armed for. */
  const laneHeads: Array<Job | undefined> = [];
  const waiters: Array<{ resolve(): void; reject(e: Error): void }> = [];
  let child: ChildHandle | undefined;
  /** Why the host killed the child, and the call that is blamed for it if known. */
  let hostKill: { id?: number; code: string; message: string } | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let closed = false;
  let restarts = 0;
  let failures = 0;
  let nextId = 1;
  let sweeps = 0;
  const checks = new Map<number, PendingCheck>();

  const settle = (job: Job, fn: () => void): void => {
    if (job.settled) return;
    job.settled = true;
    job.detach?.();
    fn();
  };
  const rejectJob = (job: Job, err: NodeError): void => settle(job, () => job.reject(err));

  /** A limit was hit by `job`'s code; past the threshold its group's queued calls fail at once. */
  const strike = (job: Job, code: string, weight = 1): void => {
    const b = backoff.strike(job.group, code, weight);
    if (!b) return;
    const now = Date.now();
    log?.warn({ group: job.group, strikes: b.strikes, last: code, untilMs: b.until - now }, 'sandbox: backing off a group whose code keeps exceeding limits');
    const err = backoffError(job.group, b, now);
    for (const j of sched.dropGroup(job.group)) rejectJob(j, err);
    for (const j of sched.sentBehind(job.group)) cancel(j, err);
  };

  function start(): void {
    const c: ChildHandle = spawnChild(limits, { message: (m) => onMessage(c, m), exit: (how) => onExit(c, how) }, log);
    child = c;
  }

  /**
   * Backstop for a child whose own RSS check cannot run (it checks every 100 ms and can name the call to blame): 25 %
   * over the cap the host kills it, and nobody is blamed.
   */
  const rssWatch = setInterval(() => {
    if (++sweeps % 600 === 0) backoff.sweep();
    const c = child;
    const rssMb = c?.pid === undefined ? undefined : readRssMb(c.pid);
    if (!c || rssMb === undefined || rssMb <= limits.childRssMb * HOST_RSS_MARGIN) return;
    log?.error({ pid: c.pid, rssMb }, 'sandbox child over its RSS cap; killing it');
    hostKill = { code: 'sandbox_memory', message: `sandbox process RSS ${Math.round(rssMb)} MB exceeds its cap of ${limits.childRssMb} MB` };
    c.kill();
  }, RSS_CHECK_MS);
  rssWatch.unref();

  function onMessage(c: ChildHandle, m: ChildMessage): void {
    if (child !== c) return;
    if (m.t === 'ready') {
      log?.info({ pid: m.pid, startMs: Date.now() - c.startedAt, restarts }, 'sandbox child ready');
      for (let w = waiters.shift(); w; w = waiters.shift()) w.resolve();
    }
    if (m.t === 'checked') {
      const pc = checks.get(m.id);
      checks.delete(m.id);
      if (pc) {
        clearTimeout(pc.timer);
        pc.resolve(m.problem);
      }
    }
    if (m.t === 'result') {
      const job = sent.get(m.id);
      if (job && job.lane !== undefined) {
        sent.delete(m.id);
        sched.done(job.lane, job);
        timed(job);
        armDeadline(job.lane);
        if (!job.settled) deliver(job, m, c.retiring?.id === m.id);
      } else log?.warn({ id: m.id }, 'sandbox answer for a call no longer waiting');
    }
    pump();
  }

  function deliver(job: Job, m: Extract<ChildMessage, { t: 'result' }>, killedChild: boolean): void {
    failures = 0;
    if (m.logs) log?.debug({ cacheKey: job.msg.cacheKey, console: clipLogs(m.logs, limits.maxLogBytes) }, 'sandbox console output');
    if (!m.ok && (m.code === 'sandbox_timeout' || m.code === 'sandbox_memory')) strike(job, m.code, killedChild ? backoff.threshold : 1);
    try {
      const value = resultOf(m, limits, job.msg.kind);
      settle(job, () => job.resolve(value));
    } catch (e) {
      rejectJob(job, e instanceof NodeError ? e : sandboxError('sandbox_output', String(e)));
    }
  }

  /**
   * A dead child's calls: the one it died of fails (and its group is backed off at once); the others were innocent
   * and run again on the next child. When nobody can be blamed (killed from outside, a crash without a word), each
   * call that was running gets one more run; one running during a second such death fails.
   */
  function onExit(c: ChildHandle, how: string): void {
    if (child !== c) return;
    child = undefined;
    laneTimers.forEach((t) => clearTimeout(t));
    // Compiling runs no user code: a check the dead child had is simply sent again to the next one.
    for (const pc of checks.values()) pc.sent = false;
    const why = c.fatal ?? hostKill;
    const blamed = why?.id;
    hostKill = undefined;
    const explained = blamed !== undefined || c.retiring !== undefined;
    const again: Job[] = [];
    for (const { job, running } of sched.drainSent()) {
      sent.delete(job.msg.id);
      if (job.settled) continue;
      const err = sandboxError(why?.code ?? 'sandbox_crash', why?.message ?? `the sandbox process died (${how}) while running this code`);
      if (job.msg.id === blamed) {
        rejectJob(job, err);
        strike(job, err.code, backoff.threshold);
      } else if (running && !explained && ++job.tries >= MAX_TRIES) {
        rejectJob(job, err);
        strike(job, err.code);
      } else again.push(job);
    }
    sched.requeue(again.filter((j) => !j.settled));
    if (closed) return;
    failures++;
    log?.warn({ pid: c.pid, how, fatal: c.fatal?.message, restarts, rerun: again.length }, 'sandbox child exited; restarting');
    restartLater(c.wasReady ? undefined : `${how}: ${c.stderrTail}`);
  }

  /** `startFailure` is set when the child never got ready; enough of those in a row fail the waiting calls. */
  function restartLater(startFailure?: string): void {
    if (startFailure !== undefined && failures >= FAILURES_BEFORE_REJECT) {
      const err = sandboxError('sandbox_crash', `the sandbox process keeps failing to start (${startFailure})`);
      for (const job of sched.drainQueued()) rejectJob(job, err);
      for (let w = waiters.shift(); w; w = waiters.shift()) w.reject(err);
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
    if (!c?.accepting || closed) return;
    for (const pc of checks.values()) {
      if (pc.sent) continue;
      pc.sent = true;
      c.send(pc.msg, () => { pc.sent = false; });
    }
    for (const { lane, job } of sched.take()) {
      job.lane = lane;
      job.msg.lane = lane;
      sent.set(job.msg.id, job);
      c.send(job.msg, (err) => {
        log?.warn({ pid: c.pid, err: err.message }, 'could not send to the sandbox child; killing it');
        c.kill();
      });
      armDeadline(lane);
    }
  }

  /** A lane's oldest unanswered call is the one running there: it alone has a deadline, counted from when it became the oldest. */
  function armDeadline(lane: number): void {
    const job = sched.head(lane);
    const armed = laneTimers[lane];
    if (armed && laneHeads[lane] === job) return;
    clearTimeout(armed);
    laneTimers[lane] = undefined;
    laneHeads[lane] = job;
    if (job) job.headAt ??= Date.now();
    const c = child;
    if (!job || !c) return;
    const hardMs = job.msg.wallMs + HARD_DEADLINE_GRACE_MS;
    const timer = setTimeout(() => {
      if (sched.head(lane) !== job || child !== c) return;
      log?.error({ pid: c.pid, cacheKey: job.msg.cacheKey, hardMs }, 'sandbox child did not answer in time; killing it');
      const message = `the sandbox process did not answer within ${hardMs} ms; it was killed and restarted`;
      hostKill = { id: job.msg.id, code: 'sandbox_crash', message };
      rejectJob(job, sandboxError('sandbox_crash', message));
      strike(job, 'sandbox_crash', backoff.threshold);
      c.kill();
    }, hardMs);
    laneTimers[lane] = timer;
  }

  /**
   * The caller gave up (node timeout, cancel) or the group was backed off: a queued call is dropped, a sent one is
   * stopped in the child (dropped from its lane, or its isolate disposed if it runs). `err` is what the caller gets.
   */
  function cancel(job: Job, reason: unknown): void {
    if (job.settled) return;
    if (!sched.remove(job) && job.lane !== undefined) child?.send({ t: 'cancel', id: job.msg.id }, () => undefined);
    const err = reason instanceof NodeError ? reason : sandboxError('sandbox_canceled', `the sandbox call was stopped: ${reason instanceof Error ? reason.message : 'aborted'}`);
    rejectJob(job, err);
  }

  function run(req: SandboxRequest): Promise<unknown> {
    if (closed) return Promise.reject(closedError());
    return new Promise<unknown>((resolve, reject) => {
      if (typeof req.code !== 'string' || typeof req.cacheKey !== 'string' || (req.kind !== 'function' && req.kind !== 'expression')) {
        throw sandboxError('sandbox_input', 'a sandbox request needs string code and cacheKey, and kind function|expression');
      }
      const group = typeof req.group === 'string' ? req.group : req.cacheKey;
      const blocked = backoff.check(group);
      if (blocked) throw backoffError(group, blocked, Date.now());
      if (req.signal?.aborted) throw sandboxError('sandbox_canceled', 'the sandbox call was stopped before it started');
      const timeoutMs = Math.min(Math.max(Math.floor(req.timeoutMs ?? opts.timeoutMs ?? 1000), 1), MAX_TIMEOUT_MS);
      const wallMs = Math.max(opts.wallMs ?? timeoutMs + WALL_GRACE_MS, timeoutMs);
      const { ctx, alias } = aliased(req.input, req.ctx);
      const msg: RunRequest = {
        t: 'run', id: nextId++, lane: 0, cacheKey: req.cacheKey, kind: req.kind, code: req.code,
        input: encode(req.input, 'input'), ctx: encode(ctx, 'ctx'), timeoutMs, wallMs, ...(alias ? { alias } : {}),
      };
      const job: Job = { msg, group, resolve, reject, settled: false, tries: 0 };
      const signal = req.signal;
      if (signal) {
        const onAbort = (): void => cancel(job, signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        job.detach = () => signal.removeEventListener('abort', onAbort);
      }
      sched.enqueue(job);
      pump();
    });
  }

  function check(kind: 'function' | 'expression', code: string): Promise<CompileProblem | undefined> {
    if (closed) return Promise.reject(closedError());
    return new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        checks.delete(id);
        reject(sandboxError('sandbox_crash', `the sandbox did not compile the code within ${CHECK_TIMEOUT_MS} ms`));
      }, CHECK_TIMEOUT_MS);
      checks.set(id, { msg: { t: 'check', id, kind, code }, sent: false, resolve, reject, timer });
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
    laneTimers.forEach((t) => clearTimeout(t));
    for (const { job } of sched.drainSent()) rejectJob(job, closedError());
    for (const job of sched.drainQueued()) rejectJob(job, closedError());
    sent.clear();
    for (let w = waiters.shift(); w; w = waiters.shift()) w.reject(closedError());
    for (const pc of checks.values()) { clearTimeout(pc.timer); pc.reject(closedError()); }
    checks.clear();
    const c = child;
    c?.kill();
    return c ? c.exited() : Promise.resolve();
  }

  const stats = (): SandboxStats => ({ restarts, pid: child?.pid, pending: sched.queued() + sched.sent() });

  start();
  return { run, ready, close, stats, check };
}
