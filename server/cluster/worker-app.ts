/** The HTTP face of a `worker` process: /healthz, /readyz and /metrics only (it serves no webhooks, API or editor). */
import express, { type Express } from 'express';
import type { ObservabilityRoutes } from '../observability/mount.js';

export interface WorkerAppDeps {
  health(): { ok: boolean; details: Record<string, unknown> };
  observability: Pick<ObservabilityRoutes, 'metrics' | 'readyz'>;
}

export function createWorkerApp(d: WorkerAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/healthz', (_req, res) => {
    const h = d.health();
    res.status(h.ok ? 200 : 503).json({ status: h.ok ? 'ok' : 'unhealthy', role: 'worker', ...h.details });
  });
  app.get('/metrics', d.observability.metrics);
  app.get('/readyz', d.observability.readyz);
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'this process is a worker (HOOKFLOW_ROLE=worker): it serves only /healthz, /readyz and /metrics' } });
  });
  return app;
}
