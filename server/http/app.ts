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
import { readerView } from './reader-view.js';
import { ApiError, errorMiddleware } from './errors.js';
import { flowsRouter } from './routes/flows.js';
import { executionsRouter } from './routes/executions.js';
import { nodeTypesRouter } from './routes/node-types.js';
import { credentialsRouter } from './routes/credentials.js';
import type { CredentialService } from '../credentials/credential-service.js';
import { placeholderPage } from './placeholder-page.js';
import { inventoryRouter } from './routes/inventory.js';
import type { InventoryService } from '../inventory/stock-service.js';
import { endpointsRouter, type EndpointsDeps } from './routes/endpoints.js';
import type { Accounts } from '../accounts/accounts.js';
import { publicAccountsRouter, privateAccountsRouter } from './routes/setup-auth.js';
import { csrfGuard, securityHeaders, type SecurityOptions } from './security.js';
import type { ObservabilityRoutes } from '../observability/mount.js';
import { openApiRouter } from '../openapi/route.js';
import { capturesRouter, type CapturesRouterDeps } from './routes/captures.js';
import { nodeRunRouter } from './routes/node-run.js';
import type { NodeRunner } from '../flows/run-node.js';

export interface AppDeps {
  log: Logger;
  registry: NodeRegistry;
  flows: FlowService;
  executions: ExecutionService;
  events: EventBus;
  authenticators: readonly Authenticator[];
  webDist: string;
  health(): { ok: boolean; details: Record<string, unknown> };
  /** Mounted at /api/credentials when given. */
  credentials?: CredentialService;
  /** Mounted at /api/inventory when given. */
  inventory?: InventoryService;
  /** Mounted at /api/endpoints when given (outgoing-endpoint health, THREATS H-15). */
  endpoints?: EndpointsDeps;
  /** /api/flows/:id/listen, /captures and /sign when given (docs/listen.md). */
  captures?: CapturesRouterDeps;
  /** Mounts /api/setup, /api/auth/* and /api/tokens when given. */
  accounts?: Accounts;
  /** @default { trustProxy: false } */
  security?: SecurityOptions;
  /** /metrics, /readyz and /api/executions/:id/trace when given. */
  observability?: ObservabilityRoutes;
  /** POST /api/flows/:id/nodes/:nodeId/run when given. */
  nodeRun?: NodeRunner;
  /** HOOKFLOW_MAX_BODY: test payloads obey the same webhook body limit. @default 1 MiB */
  maxBody?: number;
}

export function createApp(d: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const security = d.security ?? { trustProxy: false };
  app.use(securityHeaders(security));
  app.get('/healthz', (_req, res) => {
    const h = d.health();
    res.status(h.ok ? 200 : 503).json({ status: h.ok ? 'ok' : 'unhealthy', ...h.details });
  });
  if (d.observability) app.get('/metrics', d.observability.metrics).get('/readyz', d.observability.readyz);
  const api = express.Router();
  if (d.accounts) api.use(publicAccountsRouter({ accounts: d.accounts, security }));
  api.use(requireAuth(d.authenticators));
  api.use(csrfGuard(security));
  api.use(readerView); // read-only tokens never see a webhook URL, wherever it stands (A-16)
  api.use(express.json({ limit: '5mb', strict: false }));
  if (d.accounts) api.use(privateAccountsRouter({ accounts: d.accounts, security }));
  api.use('/flows', flowsRouter(d.flows, d.executions, d.maxBody));
  if (d.observability) api.use('/executions', d.observability.trace);
  api.use('/executions', executionsRouter(d.executions, d.events));
  api.use('/node-types', nodeTypesRouter(d.registry));
  api.use(openApiRouter(d.registry));
  if (d.credentials) api.use('/credentials', credentialsRouter(d.credentials));
  if (d.inventory) api.use('/inventory', inventoryRouter(d.inventory));
  if (d.endpoints) api.use('/endpoints', endpointsRouter(d.endpoints));
  if (d.captures) api.use('/flows', capturesRouter(d.captures));
  if (d.nodeRun) api.use('/flows', nodeRunRouter(d.nodeRun));
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
