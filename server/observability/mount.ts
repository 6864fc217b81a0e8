/** Builds the observability parts for main.ts: the metrics registry fed by runner events, /metrics, /readyz and the trace route. */
import type { RequestHandler, Router } from 'express';
import type { Logger } from '../../nodes/contract.js';
import type { NodeRegistry } from '../../nodes/registry.js';
import type { Store } from '../store/types.js';
import type { SupervisedSandbox } from '../sandbox/supervisor.js';
import type { EventBus } from '../runner/events.js';
import type { HookCache } from '../ingress/hook-cache.js';
import { createMetrics, type Metrics } from './metrics.js';
import { metricsHandler, readyzHandler, traceRouter } from './routes.js';
import { checkReadiness } from './readiness.js';
import { countWebhooks } from './count-webhooks.js';

export interface ObservabilityRoutes {
  metrics: RequestHandler;
  readyz: RequestHandler;
  trace: Router;
}

export interface ObservabilityDeps {
  store: Store;
  sandbox: SupervisedSandbox;
  events: EventBus;
  registry: NodeRegistry;
  log: Logger;
  now(): number;
  metricsToken?: string;
}

export interface Observability {
  metrics: Metrics;
  routes: ObservabilityRoutes;
  /** Wraps the /hooks handler to count answers by flow and status. */
  wrapHooks: (handler: Parameters<typeof countWebhooks>[0], hooks: HookCache) => ReturnType<typeof countWebhooks>;
  /** Unsubscribes from the event bus. */
  close(): void;
}

export function createObservability(d: ObservabilityDeps): Observability {
  const metrics = createMetrics({
    queueDepth: () => d.store.executions.queueDepth(),
    parkedDepth: () => d.store.executions.parkedDepth(),
    oldestQueuedAt: () => d.store.executions.oldestQueuedAt(),
    sandboxRestarts: () => d.sandbox.stats().restarts,
    dbFile: d.store.kind === 'sqlite' ? d.store.location : undefined,
    nodeTypes: async (flowId) => {
      const f = await d.store.flows.get(flowId);
      return f && new Map(f.nodes.map((n) => [n.id, n.type]));
    },
    now: d.now,
    log: d.log,
  });
  const unsubscribe = d.events.subscribeAll((e) => metrics.onRunnerEvent(e));
  const routes: ObservabilityRoutes = {
    metrics: metricsHandler(metrics.registry, d.metricsToken),
    readyz: readyzHandler(() => checkReadiness({ storeHealth: () => d.store.health(), sandboxReady: () => d.sandbox.ready() })),
    trace: traceRouter({
      getExecution: (id) => d.store.executions.get(id),
      getFlowVersion: (id, v) => d.store.flows.getVersion(id, v),
      registry: d.registry,
    }),
  };
  return { metrics, routes, wrapHooks: (h, hooks) => countWebhooks(h, hooks, metrics), close: unsubscribe };
}
