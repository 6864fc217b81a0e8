/** Composition root: read config, open the store (SQLite or PostgreSQL), build what the role needs (runner, ingress, API), and listen. */
import type { Server } from 'node:http';
import { createServer } from './runtime/node-http.js';
import { createServer as createHttpsServer } from 'node:https';
import { mkdirSync, readFileSync, existsSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { Config } from './config.js';
import type { NodeType } from '../nodes/contract.js';
import { createIds } from './adapters/ids.js';
import { createHttpClient } from './adapters/http-client.js';
import { withEndpointHealth } from './adapters/endpoint-health.js';
import { createCaptureService } from './flows/capture-service.js';
import { createMailer } from './adapters/mailer.js';
import { createInventory } from './inventory/index.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/types.js';
import { deriveKey } from './secrets/crypto.js';
import { createNodeRegistry } from '../nodes/registry.js';
import { createParamsValidator } from './flows/params-validator.js';
import { createFlowCache } from './flows/compile-flow.js';
import { createFlowService } from './flows/flow-service.js';
import { createHookCache } from './ingress/hook-cache.js';
import { createHooksHandler } from './ingress/hooks-router.js';
import { createResumeHandler, isResumeUrl } from './ingress/resume-router.js';
import { createResumeTokens, RESUME_PREFIX } from './ingress/resume-token.js';
import { sendJson } from './ingress/answer.js';
import { destination, hostOf } from './http/host-split.js';
import { createRateLimiter } from './ingress/rate-limit.js';
import { createInflightBudget } from './ingress/inflight-budget.js';
import { openCredentials } from './credentials/open-credentials.js';
import { createRunner } from './runner/runner.js';
import { createErrorFlows } from './runner/error-flows.js';
import { createSubflows } from './runner/subflows.js';
import { createScheduler } from './runner/scheduler.js';
import { createNodeRunner } from './flows/run-node.js';
import { createExecutionService } from './runner/execution-service.js';
import { createSandbox } from './sandbox/supervisor.js';
import { createSafeRegex } from '../nodes/safe-regex.js';
import { extraNodeTypes } from './node-set.js';
import { bundledDir } from './runtime/native.js';
import { tightenDataFiles } from './runtime/private-files.js';
import { createApp } from './http/app.js';
import { staticTokenAuthenticator, apiTokenAuthenticator, sessionAuthenticator } from './http/auth.js';
import { bootAccounts, announceSetup } from './accounts/boot.js';
import type { ScryptCost } from './accounts/passwords.js';
import { createObservability } from './observability/mount.js';
import { prepareRetention } from './retention/index.js';
import { createLogger, logFormatFor, useColor } from './observability/log.js';
import { loadTlsPair, createTlsReloader, describePair, type TlsReloadResult } from './http/tls.js';
import { clusterHookCache, eventBusFor, wireRunner } from './cluster/wiring.js';
import { createWorkerApp } from './cluster/worker-app.js';
import { noSandbox } from './cluster/no-sandbox.js';
import { registerNode } from './cluster/node-registry.js';

export interface Hookflow {
  server: Server;
  store: Store;
  url: string;
  /** `<public url>/setup?token=…` while no owner account exists, else undefined. */
  setupUrl(): string | undefined;
  /** The Express app behind every non-webhook request (tests walk its routes); a worker's has only health and metrics. */
  httpApp: ReturnType<typeof createApp>;
  close(): Promise<void>;
  /** Re-read HOOKFLOW_TLS_CERT/KEY for new handshakes (the CLI calls it on SIGHUP); a bad pair keeps the old one. */
  reloadTls(): TlsReloadResult;
}

const WEB_DIST = bundledDir('web', fileURLToPath(new URL('../web/dist/', import.meta.url)));

/** A stable worker id per data directory, so a restarted process can take back its own leases at once. */
function nodeIdFor(cfg: Config): string {
  if (cfg.nodeId) return cfg.nodeId;
  const file = join(cfg.dataDir, 'node-id');
  if (!existsSync(file)) writeFileSync(file, `node_${randomBytes(6).toString('hex')}\n`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** Says at start that data files are private (D-10); warns when files were tightened or the directory itself is open. */
function announceFileModes(dataDir: string, tightened: string[], log: ReturnType<typeof createLogger>): void {
  if (tightened.length > 0) log.warn({ dataDir, files: tightened }, 'data files were readable by group or others; set to mode 0600');
  log.info({ dataDir, fileMode: '0600' }, 'data files (database, WAL, key file) are readable by this user only');
  const dirMode = statSync(dataDir).mode & 0o777;
  if ((dirMode & 0o077) !== 0) log.warn({ dataDir, mode: dirMode.toString(8) }, 'the data directory is open to group or others; chmod 700 is advised');
}

/** Test seams: extra node types (e.g. a deliberately flaky one), shorter slow-client limits. */
export interface StartOptions {
  extraNodes?: NodeType[];
  /** @default { headersTimeout: 10000, requestTimeout: 30000 } */
  timeouts?: { headersTimeout: number; requestTimeout: number };
  /** scrypt cost for owner passwords. @default DEFAULT_COST of accounts/passwords.ts */
  passwordCost?: ScryptCost;
  /** Overrides HOOKFLOW_ENDPOINT_DISABLE_AFTER_HOURS with a window in ms (tests use a short one). */
  endpointDisableAfterMs?: number;
  /** Stub every side effect (ctx.dryRun) — `hookflow run --dry-run`. @default false */
  dryRun?: boolean;
}

/** Slow clients (slowloris) are cut off: headers within 10 s, the whole request within 30 s, checked every second. */
const slowClientLimits = (opts: StartOptions) => {
  const t = opts.timeouts ?? { headersTimeout: 10_000, requestTimeout: 30_000 };
  return { ...t, connectionsCheckingInterval: Math.min(1000, t.headersTimeout) };
};

export async function startHookflow(cfg: Config, opts: StartOptions = {}): Promise<Hookflow> {
  const tty = process.stdout.isTTY === true;
  const log = createLogger({ level: cfg.logLevel, format: logFormatFor(cfg.logFormat, tty), color: useColor(tty, process.env) });
  const tlsFiles = cfg.tlsCert && cfg.tlsKey ? { cert: cfg.tlsCert, key: cfg.tlsKey } : undefined;
  const tls = tlsFiles && loadTlsPair(tlsFiles); // a bad pair stops start-up here, naming the variable
  mkdirSync(cfg.dataDir, { recursive: true, mode: 0o700 });
  const tightened = tightenDataFiles(cfg.dataDir); // files an older version left 0644 (D-10)
  const clock = { now: () => Date.now() };
  const ids = createIds();
  const store = await openStore({ dataDir: cfg.dataDir, databaseUrl: cfg.databaseUrl, databasePool: cfg.databasePool, log }, ids);
  const owner = nodeIdFor(cfg);
  const serves = cfg.role !== 'worker';
  const runs = cfg.role !== 'ingress';
  try {
    return await assemble(cfg, opts, { log, tls, tlsFiles, clock, ids, store, owner, serves, runs, tightened });
  } catch (e) {
    await store.close();
    throw e;
  }
}

interface Parts {
  log: ReturnType<typeof createLogger>;
  tls: ReturnType<typeof loadTlsPair> | undefined;
  tlsFiles: { cert: string; key: string } | undefined;
  clock: { now(): number };
  ids: ReturnType<typeof createIds>;
  store: Store;
  owner: string;
  /** Serves webhooks, the API and the editor (roles all and ingress). */
  serves: boolean;
  /** Runs flows (roles all and worker). */
  runs: boolean;
  /** Data files whose modes were tightened at start (D-10). */
  tightened: ReturnType<typeof tightenDataFiles>;
}

async function assemble(cfg: Config, opts: StartOptions, p: Parts): Promise<Hookflow> {
  const { log, tls, tlsFiles, clock, ids, store, owner, serves, runs, tightened } = p;
  const cluster = store.cluster;
  const node = await registerNode(store, { nodeId: owner, role: cfg.role, leaseMs: cfg.leaseMs, now: clock.now });
  // A wrong HOOKFLOW_SECRET_KEY stops start-up here (credentials/key-check.ts); a key is never regenerated for old data.
  const credentials = await openCredentials({ store: store.credentials, cluster, secretKey: cfg.secretKey, keyFile: join(cfg.dataDir, 'secret.key'), ids, clock, log });
  const master = credentials.master;
  const accounts = await bootAccounts({ users: store.users, sharedLimits: store.limits, master, ids, clock, log, owner: cfg.owner, passwordCost: opts.passwordCost });
  const sandbox = runs ? createSandbox({ log }) : noSandbox();
  const regex = createSafeRegex();
  const outgoing = withEndpointHealth(createHttpClient({ allowPrivateNetworks: cfg.allowPrivateNetworks, allowList: cfg.allowedHosts }),
    { repo: store.endpoints, clock, ids, log, disableAfterMs: opts.endpointDisableAfterMs ?? cfg.endpointDisableAfterMs });
  const inventory = createInventory(store.inventory, clock);
  const registry = createNodeRegistry([...extraNodeTypes({ maxSplitItems: cfg.maxSplitItems }), ...(opts.extraNodes ?? [])]);
  const params = createParamsValidator();
  const events = eventBusFor(store);
  const flowCache = createFlowCache((id, v) => store.flows.getVersion(id, v), registry);
  const pruner = await prepareRetention(store, log, clock, { days: cfg.retentionDays, maxExecutions: cfg.retentionMaxExecutions });
  const observability = createObservability({ store, sandbox, events, registry, log, now: clock.now, metricsToken: cfg.metricsToken });
  await store.executions.releaseLeases(owner);
  const resumeTokens = createResumeTokens(deriveKey(master, 'resume-url'));
  let listenUrl = `http://${cfg.host}:${cfg.port}`;
  const hooksBase = (): string => cfg.hooksUrl ?? cfg.publicUrl ?? listenUrl;
  const subflows = createSubflows({ flows: store.flows, executions: store.executions, signals: store.signals, clock, ids, log, wake: () => local.wake() });
  const capabilities = {
    credentials: credentials.reader, http: outgoing, inventory: inventory.port, mailer: createMailer({ guard: { allowPrivateNetworks: cfg.allowPrivateNetworks, allowList: cfg.allowedHosts } }),
    subflows: { start: subflows.start, result: subflows.result },
  };
  const local = createRunner(
    { store, flows: flowCache, params, events, clock, rng: Math.random, log, sandbox, regex, capabilities, dryRun: opts.dryRun,
      onSettled: subflows.onSettled,
      onFailed: createErrorFlows({ flows: store.flows, executions: store.executions, secretValues: credentials.secretValues, clock, ids, log, wake: () => local.wake() }),
      resumeUrl: (executionId, nodeId) => `${hooksBase()}${RESUME_PREFIX}${resumeTokens.token(executionId, nodeId)}` },
    { owner, concurrency: cfg.workers, leaseMs: cfg.leaseMs, pollMs: 250 },
  );
  wireRunner(cluster, local);
  // A cancel through this process also aborts the node calls of whichever process runs the execution.
  const runner = { ...local, abort: (id: string) => { local.abort(id); cluster?.publish({ k: 'cancel', id }); } };
  const hooks = clusterHookCache(createHookCache(store.flows, cfg.maxBody), cluster);
  const scheduler = runs ? createScheduler({ store, clock, ids, log, wake: () => local.wake() }) : undefined;
  cluster?.onMessage((m) => { if (m.k === 'flow') scheduler?.invalidate(); });
  const flowChanged = { ...hooks, invalidate: (id: string) => { hooks.invalidate(id); scheduler?.invalidate(); } };
  const flows = createFlowService({
    flows: store.flows, registry, params, hooks: flowChanged, ids, tokenKey: deriveKey(master, 'webhook-token'), publicUrl: hooksBase,
    checkCredentialRefs: credentials.checkRefs, compileCode: sandbox.check, userEmail: async (id) => (await store.users.get(id))?.email,
  });
  const executions = createExecutionService({
    executions: store.executions, runner, events, ids, clock,
    currentVersion: async (id) => (await store.flows.get(id))?.version,
    liveVersion: async (id) => { const f = await store.flows.get(id); return f ? f.publishedVersion ?? f.version : undefined; },
    hasVersion: async (id, v) => (await store.flows.getVersion(id, v)) !== undefined,
    idempotencyHeader: async (id, v) => {
      const h = (await flowCache.get(id, v).catch(() => undefined))?.trigger.doc.params.idempotencyHeader;
      return typeof h === 'string' ? h.toLowerCase() : undefined;
    },
    sideEffectNodes: async (id, v) =>
      new Set([...((await flowCache.get(id, v))?.nodes.values() ?? [])].filter((n) => n.type.effect === 'side-effect').map((n) => n.doc.id)),
  });
  const captures = await createCaptureService({ repo: store.captures, cluster, flows, clock, ids });
  const limiter = store.limits ?? createRateLimiter({ clock });
  const hooksHandler = observability.wrapHooks(createHooksHandler({
    hooks, executions: store.executions, runner, events, ids, clock, limiter,
    maxQueue: cfg.maxQueue, inflight: createInflightBudget(cfg.maxInflightBytes), flowCaps: { maxQueued: cfg.flowMaxQueued, maxWaiting: cfg.flowMaxWaiting }, secrets: credentials.authSecrets, trustProxy: cfg.trustProxy, captures: captures.sink, log,
  }), hooks);
  const resumeHandler = createResumeHandler({
    tokens: resumeTokens, executions: store.executions, signals: store.signals, flows: flowCache, secrets: credentials.authSecrets,
    clock, ids, limiter, maxBody: cfg.maxBody, wake: () => runner.wake(), trustProxy: cfg.trustProxy,
  });
  const health = () => ({ ok: true, details: { queueDepth: store.executions.queueDepth(), parked: store.executions.parkedDepth(), inFlight: local.inFlight(), role: cfg.role, store: store.kind } });
  const app = serves ? createApp({
    credentials: credentials.service,
    inventory: inventory.service,
    endpoints: { repo: store.endpoints, clock },
    captures: { captures, flows, secrets: credentials.authSecrets, clock, ids },
    log, registry, flows, executions, events, webDist: WEB_DIST,
    authenticators: [staticTokenAuthenticator(cfg.apiToken), apiTokenAuthenticator(accounts.tokens), sessionAuthenticator(accounts.sessions)],
    accounts, security: { publicUrl: cfg.publicUrl, trustProxy: cfg.trustProxy },
    observability: observability.routes,
    nodeRun: createNodeRunner({ flows, registry, params, sandbox, regex, capabilities, clock, ids, log }),
    maxBody: cfg.maxBody,
    health,
  }) : createWorkerApp({ health, observability: observability.routes });
  const split = { hooksHost: hostOf(cfg.hooksUrl), appHost: hostOf(cfg.publicUrl) };
  const handler = (req: Parameters<typeof hooksHandler>[0], res: Parameters<typeof hooksHandler>[1]): void => {
    if (!serves) return void app(req, res);
    const to = destination(split, req.headers.host, req.url ?? '/');
    if (to === 'hooks') void (isResumeUrl(req.url ?? '') ? resumeHandler(req, res) : hooksHandler(req, res));
    else if (to === 'app') app(req, res);
    else sendJson(res, 404, { error: { code: 'not_found', message: 'not served on this host' } });
  };
  const https = tls && createHttpsServer({ cert: tls.cert, key: tls.key, ...slowClientLimits(opts) }, handler);
  const server = https ?? createServer(slowClientLimits(opts), handler);
  server.keepAliveTimeout = 5_000;
  // The sandbox child starts in the background: ingress does not need it, and calls queue until it is up.
  if (runs) local.start();
  scheduler?.start();
  pruner.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, cfg.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
  const url = `${cfg.tlsCert ? 'https' : 'http'}://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${port}`;
  listenUrl = url;
  log.info({ url, role: cfg.role, store: store.kind, location: store.location, nodeId: owner, dataDir: cfg.dataDir, apiLocked: cfg.apiToken === undefined }, 'hookflow listening');
  if (tls) log.info(describePair(tls, clock.now()), 'TLS certificate loaded');
  announceFileModes(cfg.dataDir, tightened, log);
  if (cfg.trustProxy !== false && !cfg.publicUrl) log.warn({}, 'HOOKFLOW_TRUST_PROXY is set but HOOKFLOW_PUBLIC_URL is not: webhook URLs show the listen address');
  const setupUrl = serves ? announceSetup(accounts, cfg.publicUrl ?? url, log) : () => undefined;
  let closed = false;
  return {
    server: server as Server,
    store,
    url,
    setupUrl,
    httpApp: app as ReturnType<typeof createApp>,
    reloadTls: createTlsReloader(https, tlsFiles, log),
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeIdleConnections?.(); });
      await pruner.stop();
      await scheduler?.stop();
      observability.close();
      await local.stop(5_000);
      await sandbox.close();
      events.close();
      await node.stop();
      await store.close();
    },
  };
}
