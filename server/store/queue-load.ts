/**
 * In-memory counts of non-final executions per flow (W-26): `queued` = queued or running (runnable work),
 * `waiting` = parked for a delay or a retry. Loaded once at start, then moved on every transition, so the accept
 * path checks a flow's caps with two map reads instead of a COUNT(*). A store that runs in several processes
 * (PostgreSQL) keeps one per process and counts only what it sees; it is a bound, not a ledger.
 */
import type { FlowLoad } from './types.js';

export type LoadKind = 'queued' | 'waiting';

export interface QueueLoad {
  add(flowId: string, kind: LoadKind, n?: number): void;
  /** queued → waiting (park) or waiting → queued (a parked execution claimed). */
  move(flowId: string, from: LoadKind, to: LoadKind): void;
  of(flowId: string): FlowLoad;
  total(kind: LoadKind): number;
}

const ZERO: FlowLoad = Object.freeze({ queued: 0, waiting: 0 });

export function createQueueLoad(initial: Iterable<{ flowId: string; kind: LoadKind; n: number }> = []): QueueLoad {
  const byFlow = new Map<string, FlowLoad>();
  const totals: FlowLoad = { queued: 0, waiting: 0 };
  const add = (flowId: string, kind: LoadKind, n = 1): void => {
    let l = byFlow.get(flowId);
    if (l === undefined) byFlow.set(flowId, (l = { queued: 0, waiting: 0 }));
    const next = Math.max(0, l[kind] + n);
    totals[kind] += next - l[kind];
    l[kind] = next;
    if (l.queued === 0 && l.waiting === 0) byFlow.delete(flowId);
  };
  for (const r of initial) add(r.flowId, r.kind, r.n);
  return {
    add,
    move(flowId, from, to) {
      add(flowId, from, -1);
      add(flowId, to, 1);
    },
    of: (flowId) => byFlow.get(flowId) ?? ZERO,
    total: (kind) => totals[kind],
  };
}

/** The status of an execution row as a load kind; undefined for final ones. */
export const loadKindOf = (status: string): LoadKind | undefined =>
  status === 'queued' || status === 'running' ? 'queued' : status === 'waiting' ? 'waiting' : undefined;
