/**
 * One lane of the sandbox child: an isolated-vm isolate that runs one call at a time on isolated-vm's own thread
 * (asynchronous `apply`), so the child's main thread stays free to take other lanes' calls, cancel, and dispose.
 * Warm contexts per cacheKey (each locked down, see bootstrap.ts), limits, watchdog, failure classification.
 */
import type ivm from 'isolated-vm';
import { requireNative } from '../runtime/native.js';
import { HARNESS_SOURCE } from './bootstrap.js';
import { toAnswer } from './answer.js';
import { clip, type CheckRequest, type ChildConfig, type CompileProblem, type RunAnswer, type RunRequest, type SandboxErrorCode } from './protocol.js';
import { CHECK_FILE, checkBody, checkMessage, checkScript, userPosition } from './compile-check.js';

export interface IsolateHost {
  /**
   * Runs the lane's calls in order, taking them off the front of `queue` (calls may be added meanwhile) and answering
   * each through `answer`. Up to BATCH calls with warm contexts are handed to the isolate at once, so its thread runs
   * them back to back; a call that breaks the isolate puts the calls issued after it back on the queue (they are
   * re-run on a new isolate: sandbox code is pure). Returns when the queue is empty or the lane is wedged.
   */
  drain(queue: RunRequest[], answer: (req: RunRequest, a: RunAnswer) => void): Promise<void>;
  /** Stops call `id` if this lane has started it: its isolate is disposed and the call answers `sandbox_canceled`. */
  cancel(id: number): boolean;
  /** Frees the isolate (and every warm context) when nothing runs; the next call makes a new one. */
  release(): void;
  /** A disposed isolate did not stop: this lane cannot run anything any more. */
  readonly wedged: boolean;
  /** The call this lane is waiting on, if any. */
  readonly running: number | undefined;
}

export interface IsolateHostHooks {
  /** isolated-vm lost control of this isolate while running call `id`; the process must end. */
  onCatastrophic(message: string, id: number | undefined): void;
}

interface Entry {
  kind: RunRequest['kind'];
  code: string;
  context: ivm.Context;
  step: ivm.Reference<unknown>;
}

/** Heap reserved per cached context on top of the user's limit (a locked-down context measured ~290 KB; few are ever cached at once). */
const CONTEXT_RESERVE_MB = 0.25;
/** How long a disposed isolate may take to hand back control before the child is considered wedged. */
const WEDGE_GRACE_MS = 500;
/** Calls with warm contexts handed to the isolate at once. */
const BATCH = 8;
/** Time allowed for setting up a new context: the harness, its lockdown and compiling the user's code. */
export const BOOT_TIMEOUT_MS = 3000;

const fail = (code: SandboxErrorCode, message: string, logs?: string): RunAnswer => ({ ok: false, code, message, logs });
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
interface Issued {
  req: RunRequest;
  /** Resolves with step(2)'s string once the call has run; rejects if step(1) failed (timeout, memory, disposal). */
  outcome: Promise<unknown>;
  canceled: boolean;
}

type Guarded<T> = { ok: true; value: T } | { ok: false; answer: RunAnswer };

export function createIsolateHost(cfg: ChildConfig, hooks: IsolateHostHooks): IsolateHost {
  // In the single binary the extracted addon is loaded directly; elsewhere this is require('isolated-vm').
  const vm = requireNative<typeof ivm>('isolated-vm', { addon: 'isolated_vm.node', exportName: 'ivm' });
  const entries = new Map<string, Entry>();
  const memoryLimit = Math.ceil(cfg.memoryMb + cfg.maxContexts * CONTEXT_RESERVE_MB);
  let isolate: ivm.Isolate | undefined;
  /** Isolates disposed by us (watchdog, cancel, failures), not by isolated-vm's memory limit. */
  const disposedByUs = new WeakSet<ivm.Isolate>();
  let running: { id: number; canceled: boolean; stop(why: 'wall' | 'cancel'): void } | undefined;
  let batch: Issued[] = [];
  let wedged = false;

  const dropIsolate = (): void => {
    const iso = isolate;
    isolate = undefined;
    entries.clear();
    if (iso && !iso.isDisposed) {
      disposedByUs.add(iso);
      iso.dispose();
    }
  };
  const ensureIsolate = (): ivm.Isolate => {
    if (isolate?.isDisposed) dropIsolate();
    if (!isolate) {
      isolate = new vm.Isolate({ memoryLimit, onCatastrophicError: (m) => hooks.onCatastrophic(m, running?.id) });
    }
    return isolate;
  };

  const warm = (req: RunRequest): Entry | undefined => {
    const hit = entries.get(req.cacheKey);
    return hit && hit.code === req.code && hit.kind === req.kind ? hit : undefined;
  };

  async function entryFor(iso: ivm.Isolate, req: RunRequest): Promise<Entry> {
    const hit = warm(req);
    if (hit) {
      entries.delete(req.cacheKey);
      entries.set(req.cacheKey, hit);
      return hit;
    }
    forget(req.cacheKey);
    const context = await iso.createContext();
    // Our own code (lockdown, ~5 ms of CPU) and the compilation of the user's: not counted against the user's limit.
    const boot: ivm.Reference<unknown> = await context.eval(HARNESS_SOURCE, { reference: true, timeout: BOOT_TIMEOUT_MS });
    const args = [req.kind, req.code, cfg.maxOutputBytes, cfg.maxDepth, cfg.maxLogBytes];
    const step: ivm.Reference<unknown> = await boot.apply(undefined, args, { result: { reference: true }, timeout: BOOT_TIMEOUT_MS });
    boot.release();
    const entry: Entry = { kind: req.kind, code: req.code, context, step };
    entries.set(req.cacheKey, entry);
    for (const [key] of entries) {
      if (entries.size <= cfg.maxContexts) break;
      forget(key);
    }
    return entry;
  }

  function forget(key: string): void {
    const e = entries.get(key);
    entries.delete(key);
    if (e) {
      e.step.release();
      e.context.release();
    }
  }

  function classify(e: unknown, req: RunRequest, iso: ivm.Isolate, watchdogFired: boolean, canceled: boolean): RunAnswer {
    const msg = messageOf(e);
    if (canceled) return fail('sandbox_canceled', 'the call was canceled and its isolate disposed');
    // Memory first (isolated-vm #113): a memory-limit disposal must not be reported as a generic one. isolated-vm
    // disposes an isolate itself only for its memory limit, so a disposal we did not ask for is one too.
    if (msg.includes('memory limit') || (iso.isDisposed && !disposedByUs.has(iso))) return fail('sandbox_memory', `user code exceeded the memory limit of ${cfg.memoryMb} MB`);
    if (watchdogFired) return fail('sandbox_timeout', `user code exceeded the wall-clock limit of ${req.wallMs} ms`);
    if (msg === 'Script execution timed out.') return fail('sandbox_timeout', `user code exceeded the CPU time limit of ${req.timeoutMs} ms`);
    if (iso.isDisposed) return fail('sandbox_crash', `isolate disposed: ${clip(msg, 500)}`);
    return fail('sandbox_crash', `sandbox failure: ${clip(msg, 500)}`);
  }

  /**
   * Awaits `work` for call `req` under its wall-clock watchdog and cancellation. Past `wallMs`, or on cancel, the
   * isolate is disposed; if it has not handed back control WEDGE_GRACE_MS later, the lane is wedged. A failure
   * drops the isolate (S-10, S-15, S-27: nothing half-run is reused).
   */
  async function guarded<T>(req: RunRequest, wallMs: number, iso: ivm.Isolate, work: Promise<T>, canceled = false): Promise<Guarded<T>> {
    let watchdogFired = false;
    let wedgeTimer: NodeJS.Timeout | undefined;
    let settleWedged: (a: Guarded<T>) => void = () => undefined;
    const wedgedP = new Promise<Guarded<T>>((resolve) => {
      settleWedged = resolve;
    });
    const stop = (why: 'wall' | 'cancel'): void => {
      if (isolate === iso) dropIsolate();
      wedgeTimer ??= setTimeout(() => {
        wedged = true;
        settleWedged({ ok: false, answer: why === 'cancel'
          ? fail('sandbox_canceled', 'the call was canceled and its isolate did not stop')
          : fail('sandbox_timeout', `user code exceeded the wall-clock limit of ${req.wallMs} ms and did not stop`) });
      }, WEDGE_GRACE_MS);
    };
    const r = { id: req.id, canceled, stop };
    running = r;
    const watchdog = setTimeout(() => {
      watchdogFired = true;
      stop('wall');
    }, wallMs);
    if (canceled) stop('cancel');
    try {
      const done = work.then(
        (value): Guarded<T> => ({ ok: true, value }),
        (e: unknown): Guarded<T> => {
          const answer = classify(e, req, iso, watchdogFired, r.canceled);
          if (isolate === iso) dropIsolate();
          return { ok: false, answer };
        },
      );
      return await Promise.race([done, wedgedP]);
    } finally {
      running = undefined;
      clearTimeout(watchdog);
      clearTimeout(wedgeTimer);
    }
  }

  /**
   * Hands call `req` to the isolate: both steps are queued at once and isolated-vm runs them in order on the
   * isolate's thread. step(1) runs user code and every microtask it queues under the timeout; step(2) only reads.
   */
  function issue(req: RunRequest, entry: Entry): Issued {
    const started = entry.step.apply(undefined, [1, req.input, req.ctx, req.alias ?? ''], { timeout: req.timeoutMs });
    const read = entry.step.apply(undefined, [2], { timeout: req.timeoutMs });
    const outcome = started.then(() => read);
    // A call put back on the queue is never awaited here; no rejection may end the process.
    read.catch(() => undefined);
    outcome.catch(() => undefined);
    return { req, outcome, canceled: false };
  }

  /** The answer in step(2)'s string; a context that is no longer pristine is dropped. */
  function kept(req: RunRequest, out: unknown): { answer: RunAnswer; rerun: boolean } {
    const { answer, keep, rerun } = toAnswer(out, cfg);
    if (!keep) forget(req.cacheKey);
    return { answer, rerun: rerun === true };
  }

  async function drain(queue: RunRequest[], answer: (req: RunRequest, a: RunAnswer) => void): Promise<void> {
    while (queue.length > 0 && !wedged) {
      const first = queue.shift() as RunRequest;
      const iso = ensureIsolate();
      const made = await guarded(first, Math.max(first.wallMs, BOOT_TIMEOUT_MS + 1000), iso, entryFor(iso, first));
      if (!made.ok) {
        answer(first, made.answer);
        continue;
      }
      batch = [issue(first, made.value)];
      for (let e = queue[0] && warm(queue[0]); e && batch.length < BATCH; e = queue[0] && warm(queue[0])) {
        batch.push(issue(queue.shift() as RunRequest, e));
      }
      for (let i = 0; i < batch.length; i++) {
        const call = batch[i] as Issued;
        const got = await guarded(call.req, call.req.wallMs, iso, call.outcome, call.canceled);
        const done = got.ok ? { ...kept(call.req, got.value), broke: false } : { answer: got.answer, rerun: false, broke: true };
        if (!done.rerun) answer(call.req, done.answer);
        if (wedged) return;
        if (done.broke || done.rerun) {
          // The calls issued after it ran on (or were dropped with) the disposed isolate, or found their context
          // spoiled by an earlier call: run them again (a rerun call too), in a fresh context.
          const rest = batch.slice(done.rerun ? i : i + 1);
          for (const c of rest) if (c.canceled) answer(c.req, fail('sandbox_canceled', 'the call was canceled before it ran'));
          queue.unshift(...rest.filter((c) => !c.canceled).map((c) => c.req));
          break;
        }
      }
      batch = [];
    }
  }

  function cancel(id: number): boolean {
    if (running?.id === id) {
      running.canceled = true;
      running.stop('cancel');
      return true;
    }
    const call = batch.find((c) => c.req.id === id);
    if (call) call.canceled = true;
    return call !== undefined;
  }

  return {
    drain,
    cancel,
    release: () => {
      if (!running && batch.length === 0) dropIsolate();
    },
    get wedged() {
      return wedged;
    },
    get running() {
      return running?.id;
    },
  };
}

/** Compiles user code as the harness would, in a small isolate of its own, and never runs it (the save-time check). */
export interface CompileChecker {
  check(req: CheckRequest): Promise<CompileProblem | undefined>;
}

const CHECK_TIMEOUT_MS = 2000;

export function createCompileChecker(memoryMb: number): CompileChecker {
  const vm = requireNative<typeof ivm>('isolated-vm', { addon: 'isolated_vm.node', exportName: 'ivm' });
  let iso: ivm.Isolate | undefined;
  let ctor: ivm.Reference<unknown> | undefined;
  const ready = async (): Promise<{ iso: ivm.Isolate; ctor: ivm.Reference<unknown> }> => {
    if (!iso || iso.isDisposed || !ctor) {
      iso = new vm.Isolate({ memoryLimit: Math.max(8, Math.min(memoryMb, 32)) });
      const context = await iso.createContext();
      // The constructor the harness uses: it parses the body as a function body (no escape through `})`), runs nothing.
      ctor = await context.eval('Object.getPrototypeOf(async function () {}).constructor', { reference: true });
    }
    return { iso, ctor };
  };
  return {
    async check(req) {
      const body = checkBody(req);
      const r = await ready();
      try {
        // Only strings cross into the isolate (S-22).
        await r.ctor.apply(undefined, ['input', 'ctx', body], { timeout: CHECK_TIMEOUT_MS });
        return undefined;
      } catch (e) {
        // `new AsyncFunction` says what is wrong but not where; compiling the same body as a script says where.
        const where = await r.iso.compileScript(checkScript(body), { filename: CHECK_FILE }).then(
          (script) => { script.release(); return {}; },
          (err: unknown) => userPosition(err instanceof Error ? err.message : '', req.kind));
        return { message: checkMessage(e), ...where };
      }
    },
  };
}
