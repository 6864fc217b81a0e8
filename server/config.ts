/** Parse and validate HOOKFLOW_* once into a typed Config; a bad value stops start-up with one line naming the variable. */
import { resolve } from 'node:path';
import { parseAllowEntry } from './adapters/address-guard.js';
import { emailProblem, passwordProblem } from './accounts/rules.js';
import { parseTrustProxy, type ProxyTrust } from './http/proxy-trust.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Where browsers reach the editor and API; also the base of webhook URLs unless hooksUrl is set. */
  publicUrl?: string;
  /** HOOKFLOW_HOOKS_URL: a separate public origin for webhook URLs (recommended behind a proxy, docs/reverse-proxy.md). */
  hooksUrl?: string;
  secretKey?: string;
  apiToken?: string;
  workers: number;
  maxBody: number;
  /** HOOKFLOW_MAX_QUEUE: runnable (queued or running) executions of all flows before webhooks answer 429. Parked ones do not count (W-26). */
  maxQueue: number;
  /** HOOKFLOW_FLOW_MAX_QUEUED: one flow's runnable executions before its webhook answers 429 (the webhook's `maxQueued` overrides). @default 10_000 */
  flowMaxQueued: number;
  /** HOOKFLOW_FLOW_MAX_WAITING: one flow's parked executions before its webhook answers 429 (the webhook's `maxWaiting` overrides). @default 100_000 */
  flowMaxWaiting: number;
  /** HOOKFLOW_MAX_INFLIGHT_BYTES: webhook request bytes held in memory at once, all requests together; past it 503 (W-28). @default 16 MiB */
  maxInflightBytes: number;
  allowPrivateNetworks: boolean;
  /** HOOKFLOW_ALLOWED_HOSTS: comma-separated host names (`*.corp.example`), IPs and CIDRs the SSRF guard lets through. */
  allowedHosts: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** HOOKFLOW_LOG_FORMAT: `pretty` or `json`; unset = pretty at a terminal, JSON lines otherwise. */
  logFormat?: 'pretty' | 'json';
  retentionDays: number;
  /** HOOKFLOW_MAX_SPLIT_ITEMS: the most items one `split` may emit, whatever its `maxItems` says (1–10,000). @default 1000 */
  maxSplitItems: number;
  /** HOOKFLOW_RETENTION_MAX_EXECUTIONS: finished executions beyond this count are pruned, oldest first; 0 = no limit. @default 1_000_000 */
  retentionMaxExecutions: number;
  /** HOOKFLOW_METRICS_TOKEN: when set, GET /metrics wants `Authorization: Bearer <token>`; else it is open. */
  metricsToken?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** HOOKFLOW_TRUST_PROXY: `true`/`1` one proxy, a hop count, or a list of proxy IPs/CIDRs (server/http/proxy-trust.ts). */
  trustProxy: ProxyTrust;
  /** Lease length for executions; short leases resume work from a crashed peer sooner. */
  leaseMs: number;
  nodeId?: string;
  /** HOOKFLOW_ENDPOINT_DISABLE_AFTER_HOURS in ms: an outgoing endpoint failing this long is disabled; 0 = off. @default 120 h */
  endpointDisableAfterMs: number;
  /** HOOKFLOW_OWNER_EMAIL + HOOKFLOW_OWNER_PASSWORD: the owner created on the first start (head-less setup). */
  owner?: { email: string; password: string };
  /** HOOKFLOW_DATABASE_URL: `postgres://…` selects PostgreSQL (docs/scale-out.md); unset keeps SQLite in dataDir. */
  databaseUrl?: string;
  /** HOOKFLOW_DATABASE_POOL: connections in this process's PostgreSQL pool. @default 10 */
  databasePool: number;
  /** HOOKFLOW_ROLE / `start --role`: `all` (default), `ingress` (webhooks, API, editor; runs no flows) or `worker` (runs flows). */
  role: Role;
}

export type Role = 'all' | 'ingress' | 'worker';
export const ROLES: readonly Role[] = ['all', 'ingress', 'worker'];

export class ConfigError extends Error {
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const int = (env: Env, name: string, def: number, min: number, max: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
};

const bool = (env: Env, name: string): boolean => {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'false' || raw === '0' || raw === 'no') return false;
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
};

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: Env): Config {
  const port = int(env, 'HOOKFLOW_PORT', 8080, 0, 65535);
  const host = env.HOOKFLOW_HOST?.trim() || '127.0.0.1';
  const level = (env.HOOKFLOW_LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LEVELS.includes(level)) throw new ConfigError('HOOKFLOW_LOG_LEVEL', `must be one of ${LEVELS.join(', ')}`);
  const logFormat = (env.HOOKFLOW_LOG_FORMAT?.trim().toLowerCase() || undefined) as Config['logFormat'];
  if (logFormat !== undefined && logFormat !== 'pretty' && logFormat !== 'json') throw new ConfigError('HOOKFLOW_LOG_FORMAT', `must be pretty or json, got "${env.HOOKFLOW_LOG_FORMAT}"`);
  const publicUrl = env.HOOKFLOW_PUBLIC_URL?.trim().replace(/\/+$/, '') || undefined;
  if (publicUrl !== undefined && !/^https?:\/\/[^\s/]+$/.test(publicUrl))
    throw new ConfigError('HOOKFLOW_PUBLIC_URL', `must be an http(s) URL without a path, got "${publicUrl}"`);
  const hooksUrl = env.HOOKFLOW_HOOKS_URL?.trim().replace(/\/+$/, '') || undefined;
  if (hooksUrl !== undefined && !/^https?:\/\/[^\s/]+$/.test(hooksUrl))
    throw new ConfigError('HOOKFLOW_HOOKS_URL', `must be an http(s) URL without a path, got "${hooksUrl}"`);
  if (hooksUrl !== undefined && publicUrl !== undefined && new URL(hooksUrl).host === new URL(publicUrl).host)
    throw new ConfigError('HOOKFLOW_HOOKS_URL', 'must name another host than HOOKFLOW_PUBLIC_URL (a separate origin is its point)');
  const apiToken = env.HOOKFLOW_API_TOKEN?.trim() || undefined;
  if (apiToken !== undefined && apiToken.length < 16) throw new ConfigError('HOOKFLOW_API_TOKEN', 'must be at least 16 characters');
  const tlsCert = env.HOOKFLOW_TLS_CERT?.trim() || undefined;
  const tlsKey = env.HOOKFLOW_TLS_KEY?.trim() || undefined;
  if ((tlsCert === undefined) !== (tlsKey === undefined))
    throw new ConfigError(tlsCert ? 'HOOKFLOW_TLS_KEY' : 'HOOKFLOW_TLS_CERT', 'HOOKFLOW_TLS_CERT and HOOKFLOW_TLS_KEY go together');
  return {
    port, host, publicUrl, hooksUrl, apiToken, tlsCert, tlsKey, owner: ownerFrom(env),
    dataDir: resolve(env.HOOKFLOW_DATA_DIR?.trim() || './data'),
    secretKey: env.HOOKFLOW_SECRET_KEY?.trim() || undefined,
    workers: int(env, 'HOOKFLOW_WORKERS', 64, 1, 10_000),
    maxBody: int(env, 'HOOKFLOW_MAX_BODY', 1024 * 1024, 1, 64 * 1024 * 1024),
    maxQueue: int(env, 'HOOKFLOW_MAX_QUEUE', 100_000, 1, 100_000_000),
    flowMaxQueued: int(env, 'HOOKFLOW_FLOW_MAX_QUEUED', 10_000, 1, 100_000_000),
    flowMaxWaiting: int(env, 'HOOKFLOW_FLOW_MAX_WAITING', 100_000, 1, 100_000_000),
    maxInflightBytes: int(env, 'HOOKFLOW_MAX_INFLIGHT_BYTES', 16 * 1024 * 1024, 64 * 1024, 16 * 1024 * 1024 * 1024),
    allowPrivateNetworks: bool(env, 'HOOKFLOW_ALLOW_PRIVATE_NETWORKS'),
    allowedHosts: allowedHostsFrom(env),
    logLevel: level,
    logFormat,
    retentionDays: int(env, 'HOOKFLOW_RETENTION_DAYS', 14, 0, 36_500),
    maxSplitItems: int(env, 'HOOKFLOW_MAX_SPLIT_ITEMS', 1000, 1, 10_000),
    retentionMaxExecutions: int(env, 'HOOKFLOW_RETENTION_MAX_EXECUTIONS', 1_000_000, 0, 1_000_000_000),
    metricsToken: metricsTokenFrom(env),
    trustProxy: trustProxyFrom(env),
    leaseMs: int(env, 'HOOKFLOW_LEASE_MS', 15_000, 200, 3_600_000),
    nodeId: env.HOOKFLOW_NODE_ID?.trim() || undefined,
    endpointDisableAfterMs: int(env, 'HOOKFLOW_ENDPOINT_DISABLE_AFTER_HOURS', 120, 0, 8760) * 3_600_000,
    databaseUrl: databaseUrlFrom(env),
    databasePool: int(env, 'HOOKFLOW_DATABASE_POOL', 10, 2, 1000),
    role: roleFrom(env.HOOKFLOW_ROLE, 'HOOKFLOW_ROLE'),
  };
}

/** `all`, `ingress` or `worker`; `name` is what the error names (the variable or the `--role` flag). */
export function roleFrom(raw: string | undefined, name: string): Role {
  const r = raw?.trim().toLowerCase() || 'all';
  if (!(ROLES as readonly string[]).includes(r)) throw new ConfigError(name, `must be one of ${ROLES.join(', ')}, got "${raw}"`);
  return r as Role;
}

/** A postgres:// or postgresql:// URL with a host and a database name; the password is never echoed. */
function databaseUrlFrom(env: Env): string | undefined {
  const raw = env.HOOKFLOW_DATABASE_URL?.trim() || undefined;
  if (raw === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError('HOOKFLOW_DATABASE_URL', 'must be a URL like postgres://user:password@host:5432/hookflow');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw new ConfigError('HOOKFLOW_DATABASE_URL', `must start with postgres:// (only PostgreSQL is supported), got "${u.protocol}//…"`);
  if (u.hostname === '' && !u.searchParams.has('host')) throw new ConfigError('HOOKFLOW_DATABASE_URL', 'must name a host');
  if (u.pathname.replace(/^\//, '') === '') throw new ConfigError('HOOKFLOW_DATABASE_URL', 'must name a database (…/hookflow)');
  return raw;
}

/** Both or neither; the password is checked by the account rules and never echoed in the error. */
function ownerFrom(env: Env): Config['owner'] {
  const email = env.HOOKFLOW_OWNER_EMAIL?.trim() || undefined;
  const password = env.HOOKFLOW_OWNER_PASSWORD || undefined;
  if (email === undefined && password === undefined) return undefined;
  if (email === undefined || password === undefined)
    throw new ConfigError(email ? 'HOOKFLOW_OWNER_PASSWORD' : 'HOOKFLOW_OWNER_EMAIL', 'HOOKFLOW_OWNER_EMAIL and HOOKFLOW_OWNER_PASSWORD go together');
  const e = emailProblem(email);
  if (e) throw new ConfigError('HOOKFLOW_OWNER_EMAIL', e);
  const p = passwordProblem(password);
  if (p) throw new ConfigError('HOOKFLOW_OWNER_PASSWORD', p);
  return { email, password };
}

/** Each entry must be a host name, an IP address or a CIDR; the first bad one is named. */
function allowedHostsFrom(env: Env): string[] {
  const entries = (env.HOOKFLOW_ALLOWED_HOSTS ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '');
  for (const e of entries) {
    const parsed = parseAllowEntry(e);
    if (typeof parsed === 'string') throw new ConfigError('HOOKFLOW_ALLOWED_HOSTS', parsed);
  }
  return entries;
}

function trustProxyFrom(env: Env): ProxyTrust {
  const t = parseTrustProxy(env.HOOKFLOW_TRUST_PROXY);
  if (typeof t === 'object' && 'error' in t) throw new ConfigError('HOOKFLOW_TRUST_PROXY', t.error);
  return t;
}

/** A scrape token shorter than 16 characters is refused, like HOOKFLOW_API_TOKEN. */
function metricsTokenFrom(env: Env): string | undefined {
  const token = env.HOOKFLOW_METRICS_TOKEN?.trim() || undefined;
  if (token !== undefined && token.length < 16) throw new ConfigError('HOOKFLOW_METRICS_TOKEN', 'must be at least 16 characters');
  return token;
}
