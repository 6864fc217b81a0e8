/** Correlation view of one execution: the inbound event, every node attempt in time order, each outgoing delivery with its idempotency key. */
import type { TriggerEnvelope } from '../../nodes/contract.js';
import type { NodeRegistry } from '../../nodes/registry.js';
import type { Flow } from '../flows/flow-doc.js';
import type { AttemptRecord, ExecutionDetail, ExecutionStatus } from '../store/types.js';
import { baseId, itemOf } from '../runner/items.js';

export interface TraceAttempt extends AttemptRecord {
  nodeType: string;
}

/** One side-effect node's outgoing call (http delivery, email, stock move): the key it carried and its last outcome. */
export interface TraceDelivery {
  nodeId: string;
  nodeType: string;
  idempotencyKey: string;
  attempts: number;
  status: string;
  port?: string;
  output?: unknown;
  error?: { code: string; message: string };
}

export interface ExecutionTrace {
  executionId: string;
  flowId: string;
  flowVersion: number;
  status: ExecutionStatus;
  event: { id: string; receivedAt?: string; method?: string; headers?: Record<string, string>; query?: unknown; body?: unknown };
  attempts: TraceAttempt[];
  deliveries: TraceDelivery[];
}

export interface TraceDeps {
  getExecution(id: string): Promise<ExecutionDetail | undefined>;
  getFlowVersion(id: string, version: number): Promise<Flow | undefined>;
  registry: NodeRegistry;
}

const eventOf = (e: ExecutionDetail): ExecutionTrace['event'] => {
  const t: Partial<TriggerEnvelope> = e.trigger;
  return { id: e.eventId, receivedAt: t.receivedAt, method: t.method, headers: t.headers, query: t.query, body: t.body };
};

/** Undefined when the execution is unknown (or pruned). Built only from what the store already records. */
export async function buildTrace(d: TraceDeps, executionId: string): Promise<ExecutionTrace | undefined> {
  const e = await d.getExecution(executionId);
  if (!e) return undefined;
  const flow = await d.getFlowVersion(e.flowId, e.flowVersion);
  const typeOf = new Map((flow?.nodes ?? []).map((n) => [n.id, n.type]));
  const type = (nodeId: string) => typeOf.get(baseId(nodeId)) ?? 'unknown'; // `inv@3`: an item's step of node `inv`
  const attempts = e.attempts
    .map((a) => ({ ...a, nodeType: type(a.nodeId) }))
    .sort((a, b) => a.startedAt - b.startedAt || a.attempt - b.attempt);
  const deliveries = e.steps
    .filter((s) => d.registry.get(type(s.nodeId))?.effect === 'side-effect')
    .map((s): TraceDelivery => ({
      nodeId: s.nodeId, nodeType: type(s.nodeId), idempotencyKey: itemOf(s.nodeId) === undefined ? `${e.id}:${s.nodeId}` : `${e.id}:${baseId(s.nodeId)}:${itemOf(s.nodeId)}`, attempts: s.attempts,
      status: s.status, port: s.port, output: s.output, error: s.error && { code: s.error.code, message: s.error.message },
    }));
  return { executionId: e.id, flowId: e.flowId, flowVersion: e.flowVersion, status: e.status, event: eventOf(e), attempts, deliveries };
}
