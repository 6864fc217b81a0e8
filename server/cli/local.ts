/** Opens the store for a CLI command without listening (SQLite data directory or PostgreSQL): verified master key, flow service, API tokens. */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Config } from '../config.js';
import { createIds } from '../adapters/ids.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/types.js';
import { openCredentials } from '../credentials/open-credentials.js';
import { createNodeRegistry, type NodeRegistry } from '../../nodes/registry.js';
import { extraNodeTypes } from '../node-set.js';
import { createParamsValidator } from '../flows/params-validator.js';
import { createHookCache } from '../ingress/hook-cache.js';
import { clusterHookCache } from '../cluster/wiring.js';
import { createFlowService, type FlowService } from '../flows/flow-service.js';
import { deriveKey } from '../secrets/crypto.js';
import { createApiTokens, type ApiTokens } from '../accounts/api-tokens.js';
import { createLogger, logFormatFor, useColor } from '../observability/log.js';

export interface Local {
  store: Store;
  registry: NodeRegistry;
  flows: FlowService;
  tokens: ApiTokens;
  close(): Promise<void>;
}

/** Same file, same key check and same flow validation as the server, so what the CLI writes the server reads. */
export async function openLocal(cfg: Config): Promise<Local> {
  mkdirSync(cfg.dataDir, { recursive: true, mode: 0o700 });
  const tty = process.stderr.isTTY === true;
  const log = createLogger({ level: cfg.logLevel === 'info' ? 'warn' : cfg.logLevel, format: logFormatFor(cfg.logFormat, tty), fd: 2, color: useColor(tty, process.env) });
  const clock = { now: () => Date.now() };
  const ids = createIds();
  const store = await openStore({ dataDir: cfg.dataDir, databaseUrl: cfg.databaseUrl, databasePool: 2 }, ids);
  const credentials = await openCredentials({ store: store.credentials, secretKey: cfg.secretKey, keyFile: join(cfg.dataDir, 'secret.key'), ids, clock, log })
    .catch(async (e: unknown) => { await store.close(); throw e; });
  const registry = createNodeRegistry(extraNodeTypes());
  const flows = createFlowService({
    flows: store.flows, registry, params: createParamsValidator(), hooks: clusterHookCache(createHookCache(store.flows, cfg.maxBody), store.cluster), ids,
    tokenKey: deriveKey(credentials.master, 'webhook-token'),
    publicUrl: () => cfg.hooksUrl ?? cfg.publicUrl ?? `http://${cfg.host}:${cfg.port}`,
    checkCredentialRefs: credentials.checkRefs,
  });
  const tokens = createApiTokens({ store: store.users, ids, clock });
  return { store, registry, flows, tokens, close: () => store.close() };
}
