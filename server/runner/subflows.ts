/**
 * Sub-flows for the `call` node: start a child execution linked to the calling step (idempotent per step: the
 * accept key `call:<parent execution>:<node>` on the child flow), read its outcome, and tell a waiting parent when a
 * child finishes (a signal for the calling step, which makes the parked parent due at once).
 */
import type { Clock, Logger, SubflowPort, SubflowResult, SyncResponse } from '../../nodes/contract.js';
import { permanent } from '../../nodes/contract.js';
import { CALL_DEPTH_HEADER } from '../../nodes/call.js';
import type { Ids } from '../adapters/ids.js';
import type { ErrorRecord, ExecutionRecord, ExecutionStore, FlowStore, SignalStore } from '../store/types.js';

export interface SubflowDeps {
  flows: Pick<FlowStore, 'get'>;
  executions: Pick<ExecutionStore, 'accept' | 'get' | 'children'>;
  signals: Pick<SignalStore, 'put' | 'clear'>;
  clock: Clock;
  ids: Ids;
  log: Logger;
  /** Told after a child is stored or a parent signalled. */
  wake(): void;
}

/** A call is remembered for a year: a step resumed within that time finds the child it started. */
const KEY_WINDOW_MS = 366 * 86_400_000;
const FINAL = new Set(['succeeded', 'failed', 'canceled', 'rejected']);
const UNSUCCESSFUL = new Set(['failed', 'canceled', 'rejected']);

export function createSubflows(d: SubflowDeps): SubflowPort & { onSettled: OnSettled } {
  return {
    async start({ flowId, input, parentExecutionId, parentNodeId, depth, fresh }) {
      // The children this step started before: a crash, a retry or the wake-up after waiting finds the latest; a fresh
      // attempt after that child failed (the step is replayed) starts the next generation, keyed so it happens once.
      const before = await d.executions.children(parentExecutionId, 1000, parentNodeId);
      const latest = before.at(-1);
      if (latest && !(fresh && UNSUCCESSFUL.has(latest.status))) return { executionId: latest.id, createdAt: latest.createdAt };
      const f = await d.flows.get(flowId);
      if (!f) throw permanent('flow_missing', `there is no flow "${flowId}" to call`);
      // The failed child's result was delivered to this step: forget it before its successor can finish.
      if (latest) await d.signals.clear(parentExecutionId, parentNodeId);
      const now = d.clock.now();
      const base = `call:${parentExecutionId}:${parentNodeId}`;
      const r = await d.executions.accept({
        // The published version, like a webhook's; a flow never published (only ever called) runs its latest save.
        flowId, flowVersion: f.publishedVersion ?? f.version, mode: 'call',
        envelope: { method: 'POST', headers: { 'x-hookflow-parent-execution': parentExecutionId, [CALL_DEPTH_HEADER]: String(depth) }, query: {}, body: input ?? null, receivedAt: new Date(now).toISOString(), eventId: d.ids.next('evt') },
        idempotency: { key: before.length === 0 ? base : `${base}#${before.length + 1}`, windowMs: KEY_WINDOW_MS },
        parent: { executionId: parentExecutionId, nodeId: parentNodeId },
      });
      if (!r.duplicate) d.wake();
      const createdAt = r.duplicate ? (await d.executions.get(r.executionId))?.createdAt ?? now : now;
      return { executionId: r.executionId, createdAt };
    },
    async result(executionId) {
      const e = await d.executions.get(executionId);
      if (!e) return { executionId, status: 'failed', error: { code: 'subflow_missing', message: 'the called execution no longer exists' } };
      return FINAL.has(e.status) ? resultOf(e) : undefined;
    },
    async onSettled(e, status, response, error) {
      if (e.mode !== 'call' || !e.parent) return;
      try {
        const payload: SubflowResult = { executionId: e.id, status, ...(response ? { output: response.body } : {}), ...(error ? { error: { code: error.code, message: error.message, nodeId: error.nodeId } } : {}) };
        if (await d.signals.put({ executionId: e.parent.executionId, nodeId: e.parent.nodeId, payload }, d.clock.now())) d.wake();
      } catch (err) {
        // The parent also reads the child's state every CALL_POLL_MS: a lost notice only delays it.
        d.log.warn({ executionId: e.id, parent: e.parent.executionId, err: String(err) }, 'could not tell the calling execution that its call finished');
      }
    },
  };
}

/** Told after an execution is marked finished. */
export type OnSettled = (e: ExecutionRecord, status: SubflowResult['status'], response?: SyncResponse, error?: ErrorRecord) => Promise<void>;

const resultOf = (e: ExecutionRecord): SubflowResult => ({
  executionId: e.id, status: e.status as SubflowResult['status'],
  ...(e.response ? { output: e.response.body } : {}),
  ...(e.error ? { error: { code: e.error.code, message: e.error.message, nodeId: e.error.nodeId } } : {}),
});
