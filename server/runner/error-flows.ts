/**
 * Error flows (docs/flow-nodes.md, "Error flows"): when an execution of a flow whose `settings.onError` names another
 * flow fails, that flow runs once with the failure — execution id, flow, node, error and attempts, secrets of the
 * failed flow's credentials scrubbed out. It is accepted (durably, keyed `error:<executionId>` so a repeated failure
 * of the same execution never starts it twice) before the failed execution is marked finished. An error flow's own
 * failure (mode `error`) never starts another; test runs and shadow replays start none.
 */
import type { Clock, Logger } from '../../nodes/contract.js';
import { createScrub, scrubDeep } from '../../nodes/secret-scrub.js';
import type { Ids } from '../adapters/ids.js';
import { credentialRefs } from '../credentials/flow-refs.js';
import type { CompiledFlow } from '../flows/compile-flow.js';
import type { ErrorRecord, ExecutionRecord, ExecutionStore, FlowStore, StepRecord } from '../store/types.js';

export interface ErrorFlowDeps {
  flows: Pick<FlowStore, 'get'>;
  executions: Pick<ExecutionStore, 'accept'>;
  /** A credential's secret strings, to scrub them from what the error flow receives. */
  secretValues?(credentialId: string): Promise<string[]>;
  clock: Clock;
  ids: Ids;
  log: Logger;
  /** Told after the error flow's execution is stored. */
  wake(): void;
}

export interface FailedRun {
  execution: ExecutionRecord;
  flow: CompiledFlow;
  error: ErrorRecord;
  steps: readonly StepRecord[];
}

/** What an error flow's trigger receives as its body. */
export interface ErrorFlowPayload {
  execution: { id: string; mode: string; startedAt?: string; failedAt: string };
  flow: { id: string; name: string; version: number };
  node: { id: string; type: string; name?: string } | null;
  error: { code: string; message: string };
  attempts: number;
}

const SILENT_MODES = new Set(['error', 'test', 'shadow']);
const KEY_WINDOW_MS = 30 * 86_400_000;

export type OnFailed = (run: FailedRun) => Promise<void>;

export function createErrorFlows(d: ErrorFlowDeps): OnFailed {
  return async ({ execution, flow, error, steps }) => {
    const target = flow.flow.settings?.onError;
    if (!target || SILENT_MODES.has(execution.mode)) return;
    try {
      const ef = await d.flows.get(target);
      if (!ef) {
        d.log.warn({ executionId: execution.id, flowId: flow.flow.id, errorFlow: target }, 'the error flow of this flow no longer exists');
        return;
      }
      const node = error.nodeId ? flow.nodes.get(error.nodeId) : undefined;
      const step = error.nodeId ? steps.find((s) => s.nodeId === error.nodeId) : undefined;
      const now = d.clock.now();
      const payload: ErrorFlowPayload = {
        execution: { id: execution.id, mode: execution.mode, ...(execution.startedAt ? { startedAt: new Date(execution.startedAt).toISOString() } : {}), failedAt: new Date(now).toISOString() },
        flow: { id: flow.flow.id, name: flow.flow.name, version: flow.flow.version },
        node: node ? { id: node.doc.id, type: node.doc.type, ...(node.doc.name ? { name: node.doc.name } : {}) } : null,
        error: { code: error.code, message: error.message },
        attempts: step?.attempts ?? 0,
      };
      const scrub = createScrub(await secretsOf(d, flow));
      await d.executions.accept({
        flowId: ef.id, flowVersion: ef.publishedVersion ?? ef.version, mode: 'error',
        envelope: { method: 'POST', headers: { 'x-hookflow-failed-execution': execution.id }, query: {}, body: scrubDeep(payload, scrub), receivedAt: new Date(now).toISOString(), eventId: d.ids.next('evt') },
        idempotency: { key: `error:${execution.id}`, windowMs: KEY_WINDOW_MS },
        parent: { executionId: execution.id, nodeId: error.nodeId ?? '' },
      });
      d.wake();
    } catch (e) {
      // The failed execution still ends failed; its record keeps the error. Losing the notice is logged.
      d.log.error({ executionId: execution.id, errorFlow: target, err: String(e) }, 'could not start the error flow');
    }
  };
}

async function secretsOf(d: ErrorFlowDeps, flow: CompiledFlow): Promise<string[]> {
  if (!d.secretValues) return [];
  const ids = new Set<string>();
  for (const n of flow.flow.nodes) for (const r of credentialRefs(n)) if (typeof r.credentialId === 'string') ids.add(r.credentialId);
  const out: string[] = [];
  for (const id of ids) out.push(...(await d.secretValues(id)));
  return out;
}
