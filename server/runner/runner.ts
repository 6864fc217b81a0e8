/** The runner: claims due executions with a lease, advances them with bounded concurrency, renews leases, wakes for due work. */
import { advance } from './advance.js';
import type { RunnerDeps } from './runner-deps.js';
import { LeaseLost, StoreUnavailable, type RunState } from '../store/types.js';

export interface RunnerOptions {
  /** Worker identity written into leases. */
  owner: string;
  /** Executions advanced at once. @default 64 */
  concurrency: number;
  /** @default 15000 */
  leaseMs: number;
  /** Fallback poll for work accepted by other processes. @default 250 */
  pollMs: number;
}

export interface Runner {
  start(): void;
  /** Graceful stop: no new claims; waits for in-flight executions up to `graceMs`, then releases leases. */
  stop(graceMs?: number): Promise<void>;
  /** Check for due work now (after an accept or a replay). */
  wake(): void;
  /** Whether a freshly accepted execution may be leased to this runner directly. */
  hasCapacity(): boolean;
  /** Start an execution already leased to this runner (accepted with `claimFor`), from its state if known. */
  run(id: string, fence: number, state?: RunState): void;
  /** Abort the in-flight node calls of an execution (after a cancel). */
  abort(id: string): void;
  readonly owner: string;
  readonly leaseMs: number;
  inFlight(): number;
}

type RunnerAllDeps = Omit<RunnerDeps, 'onParked'>;

export function createRunner(base: RunnerAllDeps, opts: RunnerOptions): Runner {
  const inflight = new Map<string, AbortController>();
  const done = new Set<() => void>();
  let stopping = false;
  let started = false;
  let tickQueued = false;
  let timer: NodeJS.Timeout | undefined;
  let renewTimer: NodeJS.Timeout | undefined;
  let nextWake = Infinity;

  const deps: RunnerDeps = { ...base, onParked: (dueAt) => scheduleAt(dueAt) };

  const scheduleAt = (at: number): void => {
    if (stopping || !started || at >= nextWake) return;
    nextWake = at;
    clearTimeout(timer);
    timer = setTimeout(() => { nextWake = Infinity; wake(); }, Math.max(0, at - deps.clock.now()));
    timer.unref();
  };

  const wake = (): void => {
    if (tickQueued || stopping || !started) return;
    tickQueued = true;
    setImmediate(() => { tickQueued = false; void tick(); });
  };

  /**
   * One claim at a time: on a store that answers over the network (PostgreSQL) wake-ups arrive while a claim is in
   * flight, and two overlapping claims would each take the free slots. A wake-up during a claim runs one more tick.
   */
  let claiming = false;
  let again = false;
  const tick = async (): Promise<void> => {
    if (claiming) {
      again = true;
      return;
    }
    claiming = true;
    try {
      await claimOnce();
    } finally {
      claiming = false;
      if (again) {
        again = false;
        wake();
      }
    }
  };

  /** Claims in batches: only when at least half the slots are free (finishing executions wake us), or when idle. */
  const claimOnce = async (): Promise<void> => {
    try {
      const now = deps.clock.now();
      const free = opts.concurrency - inflight.size;
      if (inflight.size > 0 && free < Math.ceil(opts.concurrency / 2)) return;
      const limit = Math.min(free, 256);
      const claimed = await deps.store.executions.claimDue(opts.owner, now, opts.leaseMs, limit);
      for (const c of claimed) run(c.id, c.fence, c.state);
      if (claimed.length === limit) return;
      const due = await deps.store.executions.nextDueAt();
      scheduleAt(due !== undefined && due > now ? Math.min(due, now + opts.pollMs) : now + opts.pollMs);
    } catch (e) {
      deps.log.error({ err: String(e) }, 'runner: claim failed');
      scheduleAt(deps.clock.now() + opts.pollMs);
    }
  };

  const run = (id: string, fence: number, known?: RunState): void => {
    if (inflight.has(id)) return;
    const ac = new AbortController();
    inflight.set(id, ac);
    void execute(id, fence, ac.signal, known).finally(() => {
      inflight.delete(id);
      for (const fn of done) fn();
      // Claim in batches: a claim per finished execution would cost a write transaction each.
      if (!stopping && inflight.size <= opts.concurrency / 2) wake();
    });
  };

  const execute = async (id: string, fence: number, cancel: AbortSignal, known?: RunState): Promise<void> => {
    try {
      const state = known ?? (await deps.store.executions.loadRun(id));
      if (!state || !['running'].includes(state.execution.status)) return;
      const flow = await deps.flows.get(state.execution.flowId, state.execution.flowVersion);
      if (!flow) {
        await deps.store.executions.finish(id, fence, 'failed', { code: 'flow_missing', message: 'the flow version of this execution no longer exists' });
        deps.events.emit({ type: 'execution.finished', executionId: id, status: 'failed' });
        return;
      }
      const recorded = state.execution.mode === 'shadow' && state.execution.replayOf
        ? new Map(((await deps.store.executions.get(state.execution.replayOf))?.steps ?? []).map((s) => [s.nodeId, s]))
        : undefined;
      await advance(deps, flow, state, { id, fence, cancel, recorded });
    } catch (e) {
      if (e instanceof LeaseLost) deps.log.warn({ executionId: id }, 'runner: lease lost; another worker or a cancel owns it');
      // The database, not the execution, failed (it stayed unreachable through the store's retries): the lease
      // expires and the execution is claimed again once the database is back; it must not be marked failed.
      else if (e instanceof StoreUnavailable) deps.log.error({ executionId: id, err: e.message }, 'runner: store unavailable; the execution resumes when its lease expires');
      else await failPoisoned(id, fence, e);
    }
  };

  /** An unexpected error while advancing would repeat on every claim: fail the execution instead of looping (D-6). */
  const failPoisoned = async (id: string, fence: number, e: unknown): Promise<void> => {
    deps.log.error({ executionId: id, err: (e as Error).stack ?? String(e) }, 'runner: execution errored unexpectedly');
    const error = { code: 'internal_error', message: `the runner failed on this execution: ${(e as Error).message ?? String(e)}`.slice(0, 2000) };
    try {
      await deps.store.executions.finish(id, fence, 'failed', error);
      deps.events.emit({ type: 'execution.finished', executionId: id, status: 'failed', error });
    } catch (err) {
      deps.log.error({ executionId: id, err: String(err) }, 'runner: could not mark the execution failed; its lease will expire');
    }
  };

  const renew = (): void => {
    if (inflight.size === 0) return;
    deps.store.executions.renewLeases(opts.owner, [...inflight.keys()], deps.clock.now() + opts.leaseMs)
      .catch((e: unknown) => deps.log.error({ err: String(e) }, 'runner: lease renewal failed'));
  };

  return {
    owner: opts.owner,
    leaseMs: opts.leaseMs,
    start() {
      started = true;
      renewTimer = setInterval(renew, Math.max(50, Math.floor(opts.leaseMs / 3)));
      renewTimer.unref();
      wake();
    },
    async stop(graceMs = 10_000) {
      stopping = true;
      clearTimeout(timer);
      clearInterval(renewTimer);
      if (inflight.size > 0) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, graceMs);
          const check = (): void => { if (inflight.size === 0) { clearTimeout(t); resolve(); } };
          done.add(check);
          check();
        });
      }
      for (const ac of inflight.values()) ac.abort();
      await deps.store.executions.releaseLeases(opts.owner);
    },
    wake,
    hasCapacity: () => !stopping && started && inflight.size < opts.concurrency,
    run,
    abort(id) { inflight.get(id)?.abort(); },
    inFlight: () => inflight.size,
  };
}
