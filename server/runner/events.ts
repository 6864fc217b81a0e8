/** Runner events (for SSE, sync callers and metrics) and a tiny bus keyed by execution id. */
import type { SyncResponse } from '../../nodes/contract.js';
import type { ErrorRecord, ExecutionMode, FinalStatus } from '../store/types.js';

export type RunnerEvent =
  | { type: 'execution.started'; executionId: string; flowId: string; mode?: ExecutionMode }
  | { type: 'step.started'; executionId: string; nodeId: string; attempt: number }
  | { type: 'step.finished'; executionId: string; nodeId: string; status: string; port?: string; attempt: number; dueAt?: number; error?: ErrorRecord }
  | { type: 'step.skipped'; executionId: string; nodeId: string; reason?: string }
  | { type: 'execution.responded'; executionId: string; response: SyncResponse }
  | { type: 'execution.waiting'; executionId: string; dueAt: number }
  | { type: 'execution.finished'; executionId: string; status: FinalStatus; error?: ErrorRecord; response?: SyncResponse };

export type Listener = (e: RunnerEvent) => void;

export interface EventBus {
  emit(e: RunnerEvent): void;
  /**
   * Events of one execution; returns the unsubscribe function. `live`: the subscriber follows every step (the
   * execution page); in a cluster the process running it is asked to relay them (cluster/event-relay.ts).
   */
  subscribe(executionId: string, fn: Listener, opts?: { live?: boolean }): () => void;
  /** Every event (metrics, logs). */
  subscribeAll(fn: Listener): () => void;
}

export function createEventBus(): EventBus {
  const byId = new Map<string, Set<Listener>>();
  const all = new Set<Listener>();
  const safeCall = (fn: Listener, e: RunnerEvent): void => {
    try {
      fn(e);
    } catch {
      // A listener's failure must never break the runner; listeners log their own errors.
    }
  };
  return {
    emit(e) {
      const set = byId.get(e.executionId);
      if (set) for (const fn of set) safeCall(fn, e);
      for (const fn of all) safeCall(fn, e);
    },
    subscribe(id, fn) {
      let set = byId.get(id);
      if (!set) byId.set(id, (set = new Set()));
      set.add(fn);
      return () => {
        set.delete(fn);
        if (set.size === 0) byId.delete(id);
      };
    },
    subscribeAll(fn) {
      all.add(fn);
      return () => all.delete(fn);
    },
  };
}
