/** Follow a running execution over server-sent events, reporting each node's status until it finishes. */
import { api } from '../api/client';

const FINAL = ['succeeded', 'failed', 'canceled', 'rejected'];

import type { StepDetail } from './run-note';

interface StepEvent extends StepDetail { nodeId: string; status?: string; attempts?: number }

/**
 * Resolves when the execution finishes, the stream breaks, or `timeoutMs` passes — the caller then reads
 * the finished execution. `onStatus` gets `running`, `retrying`, `waiting`, `succeeded`, `failed`, `skipped`.
 */
export function followRun(executionId: string, onStatus: (nodeId: string, status: string, detail?: StepDetail) => void, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve) => {
    const es = new EventSource(`/api/executions/${encodeURIComponent(executionId)}/events`);
    const done = (): void => { clearTimeout(timer); es.close(); resolve(); };
    const timer = setTimeout(done, timeoutMs);
    const on = (type: string, fn: (data: StepEvent & { status?: string }) => void): void =>
      es.addEventListener(type, (e) => fn(JSON.parse((e as MessageEvent<string>).data) as StepEvent));
    // Steps that ran before the stream opened arrive in the snapshot.
    es.addEventListener('snapshot', (e) => {
      const snap = JSON.parse((e as MessageEvent<string>).data) as { status: string; steps?: StepEvent[] };
      for (const st of snap.steps ?? []) if (st.status) onStatus(st.nodeId, st.status, { attempt: st.attempts, dueAt: st.dueAt, error: st.error, reason: st.reason });
      if (FINAL.includes(snap.status)) done();
    });
    on('step.started', (d) => onStatus(d.nodeId, 'running', { attempt: d.attempt }));
    on('step.finished', (d) => onStatus(d.nodeId, d.status ?? 'running', { attempt: d.attempt, dueAt: d.dueAt, error: d.error }));
    on('step.skipped', (d) => onStatus(d.nodeId, 'skipped', { reason: d.reason }));
    // A parked run (a retry or a delay) has its steps committed by now: read them, in case the run got
    // ahead of this stream before it opened.
    on('execution.waiting', () => {
      void api.getExecution(executionId).then((r) => {
        if (r.ok) for (const st of r.value.steps) onStatus(st.nodeId, st.status, { attempt: st.attempts, dueAt: st.dueAt, error: st.error, reason: st.reason });
      });
    });
    on('execution.finished', () => done());
    es.onerror = () => done();
  });
}
