/** Runs user code in one isolated-vm isolate (inside the sandbox child): warm contexts per cacheKey, limits, watchdog, failure classification. */
import type ivm from 'isolated-vm';
import { requireNative } from '../runtime/native.js';
import { HARNESS_SOURCE } from './bootstrap.js';
import { isRec, type ChildConfig, type RunAnswer, type RunRequest, type SandboxErrorCode } from './protocol.js';

export interface IsolateHost {
  run(req: RunRequest): Promise<RunAnswer>;
}

export interface IsolateHostHooks {
  /** isolated-vm lost control of an isolate; the process must end. */
  onCatastrophic(message: string): void;
  /** A disposed isolate did not stop; the process should end after answering. */
  onWedged(): void;
}

interface Entry {
  kind: RunRequest['kind'];
  code: string;
  context: ivm.Context;
  step: ivm.Reference<unknown>;
}

/** Heap one cached context costs (measured ~165 KB); reserved on top of the user's memory limit. */
const CONTEXT_RESERVE_MB = 0.2;
/** How long a disposed isolate may take to hand back control before the child is considered wedged. */
const WEDGE_GRACE_MS = 500;

const fail = (code: SandboxErrorCode, message: string, logs?: string): RunAnswer => ({ ok: false, code, message, logs });
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
const optStr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `step(2)` result: {status, a, b, c, logs, dropped, dirty}; see bootstrap.ts. */
function toAnswer(o: unknown): { answer: RunAnswer; keep: boolean } {
  if (!isRec(o)) return { answer: fail('sandbox_crash', 'harness returned no outcome'), keep: false };
  const dropped = typeof o.dropped === 'number' && o.dropped > 0 ? `[${o.dropped} console calls dropped: log cap reached]\n` : '';
  const logs = (optStr(o.logs) ?? '') + dropped || undefined;
  const keep = o.dirty !== true;
  switch (o.status) {
    case 'ok':
      return { answer: { ok: true, json: optStr(o.a), logs }, keep };
    case 'output':
      return { answer: fail('sandbox_output', optStr(o.a) ?? 'output rejected', logs), keep };
    case 'error': {
      const message = optStr(o.a) ?? 'user code failed';
      const code: SandboxErrorCode = message === 'Array buffer allocation failed' ? 'sandbox_memory' : 'user_code_error';
      return { answer: { ok: false, code, message, details: { name: optStr(o.b), stack: optStr(o.c) }, logs }, keep };
    }
    case 'pending':
      return { answer: fail('sandbox_timeout', 'the returned promise never settles (nothing is left to wait for)', logs), keep: false };
    default:
      return { answer: fail('sandbox_crash', 'harness returned an unknown outcome'), keep: false };
  }
}

export function createIsolateHost(cfg: ChildConfig, hooks: IsolateHostHooks): IsolateHost {
  // In the single binary the extracted addon is loaded directly; elsewhere this is require('isolated-vm').
  const vm = requireNative<typeof ivm>('isolated-vm', { addon: 'isolated_vm.node', exportName: 'ivm' });
  const entries = new Map<string, Entry>();
  const memoryLimit = Math.ceil(cfg.memoryMb + cfg.maxContexts * CONTEXT_RESERVE_MB);
  let isolate: ivm.Isolate | undefined;

  const release = (e: Entry): void => {
    e.step.release();
    e.context.release();
  };
  const dropIsolate = (): void => {
    const iso = isolate;
    isolate = undefined;
    entries.clear();
    if (iso && !iso.isDisposed) iso.dispose();
  };
  const ensureIsolate = (): ivm.Isolate => {
    if (isolate?.isDisposed) dropIsolate();
    isolate ??= new vm.Isolate({ memoryLimit, onCatastrophicError: hooks.onCatastrophic });
    return isolate;
  };

  async function entryFor(iso: ivm.Isolate, req: RunRequest): Promise<Entry> {
    const hit = entries.get(req.cacheKey);
    if (hit && hit.code === req.code && hit.kind === req.kind) {
      entries.delete(req.cacheKey);
      entries.set(req.cacheKey, hit);
      return hit;
    }
    if (hit) forget(req.cacheKey);
    const context = await iso.createContext();
    const boot: ivm.Reference<unknown> = await context.eval(HARNESS_SOURCE, { reference: true, timeout: req.timeoutMs });
    const args = [req.kind, req.code, cfg.maxOutputBytes, cfg.maxDepth, cfg.maxLogBytes];
    const step: ivm.Reference<unknown> = await boot.apply(undefined, args, { result: { reference: true }, timeout: req.timeoutMs });
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
    if (e) release(e);
  }

  function classify(e: unknown, req: RunRequest, iso: ivm.Isolate, watchdogFired: boolean): RunAnswer {
    const msg = messageOf(e);
    // Memory first (isolated-vm #113): a memory-limit disposal must not be reported as a generic one.
    if (msg.includes('memory limit')) return fail('sandbox_memory', `user code exceeded the memory limit of ${cfg.memoryMb} MB`);
    if (watchdogFired) return fail('sandbox_timeout', `user code exceeded the wall-clock limit of ${req.wallMs} ms`);
    if (msg === 'Script execution timed out.') return fail('sandbox_timeout', `user code exceeded the CPU time limit of ${req.timeoutMs} ms`);
    if (iso.isDisposed) return fail('sandbox_crash', `isolate disposed: ${msg}`);
    return fail('sandbox_crash', `sandbox failure: ${msg}`);
  }

  async function attempt(req: RunRequest, iso: ivm.Isolate, fired: () => boolean): Promise<RunAnswer> {
    try {
      const entry = await entryFor(iso, req);
      // Synchronous on purpose (~5× cheaper than the async apply): user code and every microtask it queues
      // run inside this one call under the CPU `timeout`; a promise still pending afterwards can never settle.
      // A call that ignores termination blocks this process: the host's deadline and RSS watch replace it.
      entry.step.applySync(undefined, [1, req.input, req.ctx], { timeout: req.timeoutMs });
      const out: unknown = entry.step.applySync(undefined, [2], { result: { copy: true }, timeout: req.timeoutMs });
      const { answer, keep } = toAnswer(out);
      if (!keep) forget(req.cacheKey);
      return answer;
    } catch (e) {
      const answer = classify(e, req, iso, fired());
      // Timeouts and memory failures recreate the isolate (S-10, S-15); nothing half-run is reused.
      if (isolate === iso) dropIsolate();
      return answer;
    }
  }

  async function run(req: RunRequest): Promise<RunAnswer> {
    const iso = ensureIsolate();
    let watchdogFired = false;
    let wedgeTimer: NodeJS.Timeout | undefined;
    const watchdog = setTimeout(() => {
      watchdogFired = true;
      if (isolate === iso) dropIsolate();
    }, req.wallMs);
    const wedged = new Promise<RunAnswer>((resolve) => {
      wedgeTimer = setTimeout(() => {
        hooks.onWedged();
        resolve(fail('sandbox_timeout', `user code exceeded the wall-clock limit of ${req.wallMs} ms and did not stop`));
      }, req.wallMs + WEDGE_GRACE_MS);
    });
    try {
      return await Promise.race([attempt(req, iso, () => watchdogFired), wedged]);
    } finally {
      clearTimeout(watchdog);
      clearTimeout(wedgeTimer);
    }
  }

  return { run };
}
