/** Opens the data directory for a CLI command without listening: store, verified master key, flow service, API tokens. */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { Config } from '../config.js';
import { createIds } from '../adapters/ids.js';
import { createSqliteStore, type SqliteStore } from '../store/sqlite/index.js';
import { openCredentials } from '../credentials/open-credentials.js';
import { createNodeRegistry, type NodeRegistry } from '../../nodes/registry.js';
import { extraNodeTypes } from '../node-set.js';
import { createParamsValidator } from '../flows/params-validator.js';
import { createHookCache } from '../ingress/hook-cache.js';
import { createFlowService, type FlowService } from '../flows/flow-service.js';
import { deriveKey } from '../secrets/crypto.js';
import { createUserStore } from '../store/sqlite/users.js';
import { createApiTokens, type ApiTokens } from '../accounts/api-tokens.js';
import { createLogger, logFormatFor, useColor } from '../observability/log.js';

export interface Local {
  store: SqliteStore;
  registry: NodeRegistry;
  flows: FlowService;
  tokens: ApiTokens;
  close(): void;
}

/** Same file, same key check and same flow validation as the server, so what the CLI writes the server reads. */
export async function openLocal(cfg: Config): Promise<Local> {
  mkdirSync(cfg.dataDir, { recursive: true, mode: 0o700 });
  const tty = process.stderr.isTTY === true;
  const log = createLogger({ level: cfg.logLevel === 'info' ? 'warn' : cfg.logLevel, format: logFormatFor(cfg.logFormat, tty), fd: 2, color: useColor(tty, process.env) });
  const clock = { now: () => Date.now() };
  const ids = createIds();
  const store = createSqliteStore(join(cfg.dataDir, 'hookflow.db'), ids);
  const credentials = await openCredentials({ db: store.raw.db, secretKey: cfg.secretKey, keyFile: join(cfg.dataDir, 'secret.key'), ids, clock, log })
    .catch((e: unknown) => { store.close(); throw e; });
  const registry = createNodeRegistry(extraNodeTypes());
  const flows = createFlowService({
    flows: store.flows, registry, params: createParamsValidator(), hooks: createHookCache(store.flows, cfg.maxBody), ids,
    tokenKey: deriveKey(credentials.master, 'webhook-token'),
    publicUrl: () => cfg.hooksUrl ?? cfg.publicUrl ?? `http://${cfg.host}:${cfg.port}`,
    checkCredentialRefs: credentials.checkRefs,
  });
  const tokens = createApiTokens({ store: createUserStore(store.raw.db, clock.now), ids, clock });
  return { store, registry, flows, tokens, close: () => store.close() };
}
