/** createApp(deps): the Express app for /api, /healthz and the editor's static files. No module-level state. */
import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../nodes/contract.js';
import type { NodeRegistry } from '../../nodes/registry.js';
import type { FlowService } from '../flows/flow-service.js';
import type { ExecutionService } from '../runner/execution-service.js';
import type { EventBus } from '../runner/events.js';
import { requireAuth, type Authenticator } from './auth.js';
import { ApiError, errorMiddleware } from './errors.js';
import { flowsRouter } from './routes/flows.js';
import { executionsRouter } from './routes/executions.js';
import { nodeTypesRouter } from './routes/node-types.js';
import { placeholderPage } from './placeholder-page.js';

export interface AppDeps {
  log: Logger;
  registry: NodeRegistry;
  flows: FlowService;
  executions: ExecutionService;
  events: EventBus;
  authenticators: readonly Authenticator[];
  webDist: string;
  health(): { ok: boolean; details: Record<string, unknown> };
}

export function createApp(d: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'SAMEORIGIN');
    next();
  });
  app.get('/healthz', (_req, res) => {
    const h = d.health();
    res.status(h.ok ? 200 : 503).json({ status: h.ok ? 'ok' : 'unhealthy', ...h.details });
  });
  const api = express.Router();
  api.use(requireAuth(d.authenticators));
  api.use(express.json({ limit: '5mb', strict: false }));
  api.use('/flows', flowsRouter(d.flows, d.executions));
  api.use('/executions', executionsRouter(d.executions, d.events));
  api.use('/node-types', nodeTypesRouter(d.registry));
  api.use((req, _res, next) => next(new ApiError(404, 'not_found', `no route ${req.method} /api${req.path}`)));
  app.use('/api', api);
  if (existsSync(join(d.webDist, 'index.html'))) {
    app.use(express.static(d.webDist, { index: 'index.html', maxAge: '1h' }));
    app.get(/^\/(?!api\/|hooks\/).*/, (_req, res) => res.sendFile(join(d.webDist, 'index.html')));
  } else {
    app.get('/', (_req, res) => res.type('html').send(placeholderPage));
  }
  app.use(errorMiddleware(d.log));
  return app;
}
