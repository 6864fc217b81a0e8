/** Prometheus metrics on a private prom-client registry: counters fed by runner events and ingress, gauges read on scrape. */
import { statSync } from 'node:fs';
import { Registry, Counter, Histogram, Gauge, collectDefaultMetrics } from 'prom-client';
import type { RunnerEvent } from '../runner/events.js';
import type { Logger } from '../../nodes/contract.js';
import { baseId } from '../runner/items.js';

export interface MetricsDeps {
  /** Queued and running executions (runnable work, what HOOKFLOW_MAX_QUEUE bounds). */
  queueDepth(): number;
  /** Parked executions (a delay or a retry pending). */
  parkedDepth(): number;
  /** created_at of the oldest queued execution, or undefined. */
  oldestQueuedAt(): Promise<number | undefined>;
  sandboxRestarts(): number;
  /** The SQLite database file; its -wal sibling is counted too. */
  /** The SQLite file (its size is a gauge); absent on PostgreSQL. */
  dbFile?: string;
  /** Node types of a flow's current version, by node id. */
  nodeTypes(flowId: string): Promise<ReadonlyMap<string, string> | undefined>;
  now(): number;
  log: Logger;
}

export interface Metrics {
  registry: Registry;
  /** Feed every runner event here (events.subscribeAll). */
  onRunnerEvent(e: RunnerEvent): void;
  /** One webhook answer; `flowId` is 'unknown' when the token matched no flow. */
  webhookAnswered(flowId: string, status: number): void;
}

const STEP_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const E2E_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600];

const fileSize = (f: string): number => {
  try {
    return statSync(f).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
};

function buildInstruments(registry: Registry, d: MetricsDeps) {
  const registers = [registry];
  return {
    webhooks: new Counter({ name: 'hookflow_webhooks_received_total', help: 'Webhook requests answered, by flow and HTTP status', labelNames: ['flow_id', 'status'], registers }),
    executions: new Counter({ name: 'hookflow_executions_finished_total', help: 'Executions that reached a final status', labelNames: ['status'], registers }),
    attempts: new Counter({ name: 'hookflow_node_attempts_total', help: 'Node attempts, by node type', labelNames: ['node_type'], registers }),
    failures: new Counter({ name: 'hookflow_node_failures_total', help: 'Node attempts that failed (retried or final), by node type', labelNames: ['node_type'], registers }),
    stepSeconds: new Histogram({ name: 'hookflow_step_duration_seconds', help: 'Duration of one node attempt', labelNames: ['node_type'], buckets: STEP_BUCKETS, registers }),
    e2eSeconds: new Histogram({ name: 'hookflow_execution_duration_seconds', help: 'Runner pick-up to final status of one execution (this process)', labelNames: ['status'], buckets: E2E_BUCKETS, registers }),
    gauges: [
      new Gauge({ name: 'hookflow_queue_depth', help: 'Executions queued or running (what HOOKFLOW_MAX_QUEUE bounds)', registers, collect() { this.set(d.queueDepth()); } }),
      new Gauge({ name: 'hookflow_parked_executions', help: 'Executions waiting for a delay or a retry', registers, collect() { this.set(d.parkedDepth()); } }),
      new Gauge({ name: 'hookflow_queue_oldest_age_seconds', help: 'Age of the oldest queued execution (0 when none)', registers,
        async collect() { const t = await d.oldestQueuedAt(); this.set(t === undefined ? 0 : Math.max(0, (d.now() - t) / 1000)); } }),
      new Gauge({ name: 'hookflow_sandbox_restarts', help: 'Times the sandbox child was restarted', registers, collect() { this.set(d.sandboxRestarts()); } }),
      ...(d.dbFile === undefined ? [] : [new Gauge({ name: 'hookflow_sqlite_size_bytes', help: 'SQLite database file plus its WAL', registers,
        collect() { this.set(fileSize(d.dbFile as string) + fileSize(`${d.dbFile as string}-wal`)); } })]),
    ],
  };
}

type Instruments = ReturnType<typeof buildInstruments>;

/** Turns runner events into counters and histograms; keeps start times per execution and step until they finish. */
function trackRunner(m: Instruments, d: MetricsDeps): (e: RunnerEvent) => void {
  const flowOf = new Map<string, { flowId: string; startedAt: number }>();
  const stepStart = new Map<string, number>();
  const typeCache = new Map<string, ReadonlyMap<string, string>>();
  const typeOf = async (flowId: string, stepId: string): Promise<string> => {
    const nodeId = baseId(stepId); // one item's step after a split (`inv@3`) counts as its node's
    let types = typeCache.get(flowId);
    if (!types?.has(nodeId)) {
      types = await d.nodeTypes(flowId);
      if (types) typeCache.set(flowId, types);
      if (typeCache.size > 1000) typeCache.delete(typeCache.keys().next().value ?? '');
    }
    return types?.get(nodeId) ?? 'unknown';
  };
  const onStep = async (e: Extract<RunnerEvent, { type: 'step.finished' }>): Promise<void> => {
    const key = `${e.executionId}\u0000${e.nodeId}`;
    const started = stepStart.get(key);
    stepStart.delete(key);
    const flow = flowOf.get(e.executionId);
    const type = flow ? await typeOf(flow.flowId, e.nodeId) : 'unknown';
    m.attempts.inc({ node_type: type });
    if (e.status === 'failed' || e.error !== undefined) m.failures.inc({ node_type: type });
    if (started !== undefined) m.stepSeconds.observe({ node_type: type }, (d.now() - started) / 1000);
  };
  const onFinished = (e: Extract<RunnerEvent, { type: 'execution.finished' }>): void => {
    const f = flowOf.get(e.executionId);
    flowOf.delete(e.executionId);
    m.executions.inc({ status: e.status });
    if (f) m.e2eSeconds.observe({ status: e.status }, (d.now() - f.startedAt) / 1000);
  };
  return (e) => {
    if (e.type === 'execution.started') {
      if (!flowOf.has(e.executionId)) flowOf.set(e.executionId, { flowId: e.flowId, startedAt: d.now() });
      // Executions parked here and finished by another worker would otherwise stay: keep the map bounded.
      if (flowOf.size > 100_000) flowOf.delete(flowOf.keys().next().value ?? '');
    } else if (e.type === 'step.started') {
      stepStart.set(`${e.executionId}\u0000${e.nodeId}`, d.now());
      if (stepStart.size > 100_000) stepStart.delete(stepStart.keys().next().value ?? '');
    } else if (e.type === 'step.finished') {
      onStep(e).catch((err: unknown) => d.log.warn({ err: (err as Error).message }, 'metrics: node type lookup failed'));
    } else if (e.type === 'execution.finished') {
      onFinished(e);
    }
  };
}

export function createMetrics(d: MetricsDeps): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const m = buildInstruments(registry, d);
  return {
    registry,
    onRunnerEvent: trackRunner(m, d),
    webhookAnswered(flowId, status) {
      m.webhooks.inc({ flow_id: flowId, status: String(status) });
    },
  };
}
