/** ANY /hooks/:token on bare node:http: flow → hop count → method → size → content type → auth → parse → rate limit → idempotency → accept. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TriggerEnvelope, Clock, Logger, SyncResponse } from '../../nodes/contract.js';
import type { ExecutionStore } from '../store/types.js';
import { StoreUnavailable } from '../store/types.js';
import type { Runner } from '../runner/runner.js';
import type { EventBus } from '../runner/events.js';
import type { Ids } from '../adapters/ids.js';
import { sha256Hex } from '../secrets/crypto.js';
import { IngressError } from './ingress-error.js';
import { readBody } from './read-body.js';
import type { InflightBudget } from './inflight-budget.js';
import { holdBytes } from './held-bytes.js';
import { parseBody } from './parse-body.js';
import type { HookCache, HookEntry } from './hook-cache.js';
import type { RateLimitTaker } from './rate-limit.js';
import { checkAuth, type AuthSecrets } from './inbound-auth.js';
import { failedAnswer, sendJson, waitForAnswer } from './answer.js';
import { captureDelivery, type CaptureSink } from './capture.js';
import { forwardedClient, type ProxyTrust } from '../http/proxy-trust.js';
import { HOP_HEADER, hopCount, MAX_HOPS } from '../../nodes/hops.js';

export interface HooksDeps {
  hooks: HookCache;
  executions: ExecutionStore;
  runner: Runner;
  events: EventBus;
  ids: Ids;
  clock: Clock;
  limiter: RateLimitTaker;
  /** HOOKFLOW_MAX_QUEUE: runnable executions of all flows (parked ones do not count, W-26). */
  maxQueue: number;
  /** HOOKFLOW_FLOW_MAX_QUEUED / _WAITING: a flow's own caps unless its webhook sets `maxQueued` / `maxWaiting`. @default 10_000 / 100_000 */
  flowCaps?: { maxQueued: number; maxWaiting: number };
  secrets: AuthSecrets;
  /** HOOKFLOW_MAX_INFLIGHT_BYTES: request bytes all webhooks may hold at once; past it, 503 with Retry-After (W-28). */
  inflight?: InflightBudget;
  /** "Listen for a real event" (docs/listen.md): while a flow listens, deliveries are captured, even if it is inactive. */
  captures?: CaptureSink;
  /** HOOKFLOW_TRUST_PROXY: whose X-Forwarded-For names the client for the per-address miss limit. @default false */
  trustProxy?: ProxyTrust;
  /** Told when the answer a sync caller got could not be recorded. */
  log?: Pick<Logger, 'warn'>;
}

const TOKEN = /^\/hooks\/([A-Za-z0-9_-]{16,128})\/?(?:\?.*)?$/;

export function createHooksHandler(deps: HooksDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await handle(deps, req, res);
    } catch (e) {
      answerError(res, e);
    }
  };
}

async function handle(deps: HooksDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const m = TOKEN.exec(req.url ?? '');
  const hook = m ? await deps.hooks.resolve(sha256Hex(m[1])) : undefined;
  const listening = hook !== undefined && deps.captures?.isListening(hook.flowId) === true;
  if (!hook || !hook.inbound || (!hook.active && !listening)) throw await notFound(deps, req);
  const hops = hopCount(req.headers[HOP_HEADER]);
  if (hops > MAX_HOPS)
    throw new IngressError(508, 'loop_detected', `this delivery has passed through ${hops} flows; more than ${MAX_HOPS} is taken for a loop`, { closeConnection: !req.complete });
  const method = req.method ?? 'GET';
  if (!hook.methods.has(method)) throw new IngressError(405, 'method_not_allowed', `${method} is not accepted here`, { headers: { allow: hook.allow }, closeConnection: !req.complete });
  const held = holdBytes(deps.inflight, deps.events, req, res, hook.maxBody);
  const raw = await readBody(req, { maxBytes: hook.maxBody, ...held.read });
  const { body } = parseBody(raw, req.headers['content-type'], hook.accept);
  const headers = flatHeaders(req);
  if (listening && deps.captures && await captureDelivery({ ...deps, captures: deps.captures }, hook, req, res, raw, headers, redact(hook, headers))) return;
  await checkAuth(hook, deps.secrets, raw, headers, deps.clock.now());
  const limit = hook.params.rateLimitPerMin;
  if (limit !== undefined) {
    const r = await deps.limiter.take(`flow:${hook.flowId}`, limit);
    if (!r.ok) throw new IngressError(429, 'rate_limited', 'too many requests for this flow', { headers: { 'retry-after': String(r.retryAfterSec) } });
  }
  checkCapacity(deps, hook);
  const envelope = toEnvelope(deps, req, method, redact(hook, headers), body);
  const key = hook.idempotencyHeader ? headers[hook.idempotencyHeader] : undefined;
  if (key !== undefined && key.length > 256) throw new IngressError(400, 'idempotency_key_too_long', 'the idempotency key is over 256 characters');
  const claim = deps.runner.hasCapacity();
  const accepted = await deps.executions.accept({
    flowId: hook.flowId, flowVersion: hook.version, mode: hook.sync ? 'sync' : 'async', envelope,
    idempotency: key ? { key, windowMs: hook.dedupMs } : undefined,
    claimFor: claim ? { owner: deps.runner.owner, leaseMs: deps.runner.leaseMs } : undefined,
  });
  if (accepted.duplicate) return sendJson(res, 200, { executionId: accepted.executionId, duplicate: true });
  const answer = hook.sync ? waitForAnswer(deps.events, accepted.executionId, hook.syncTimeoutMs) : undefined;
  // Async callers are answered before the first step runs (W-24); sync callers wait on the answer above.
  if (!answer) sendJson(res, 202, { executionId: accepted.executionId });
  if (accepted.fence !== undefined) {
    held.untilSettled(accepted.executionId); // the run holds the body's copies: count them until it settles (W-28)
    deps.runner.run(accepted.executionId, accepted.fence, accepted.state);
  } else deps.runner.wake();
  if (!answer) return;
  const a = await answer;
  const sent: SyncResponse = a.kind === 'timeout' ? { status: 202, headers: {}, body: { executionId: accepted.executionId } }
    : a.kind === 'failed' ? { status: 500, headers: {}, body: failedAnswer(a.error, accepted.executionId) }
    : a.response;
  sendJson(res, sent.status, sent.body, sent.headers);
  // After the answer is out: the execution page shows what the caller got. A failed write loses only that note.
  deps.executions.recordAnswer(accepted.executionId, { ...sent, at: deps.clock.now() })
    .catch((e: unknown) => deps.log?.warn({ executionId: accepted.executionId, err: String(e) }, 'could not record the sync answer'));
}

const FLOW_CAPS = { maxQueued: 10_000, maxWaiting: 100_000 };

/**
 * Back-pressure (W-26): the flow's own runnable and parked executions against its caps, then all runnable work
 * against HOOKFLOW_MAX_QUEUE. Parked work never counts against the instance, so one flow's flood of delayed or
 * retrying executions answers 429 for that flow only. Counts are in memory: two map reads per request.
 */
function checkCapacity(deps: HooksDeps, hook: HookEntry): void {
  const caps = deps.flowCaps ?? FLOW_CAPS;
  const load = deps.executions.flowLoad(hook.flowId);
  if (load.queued >= (hook.params.maxQueued ?? caps.maxQueued))
    throw new IngressError(429, 'flow_queue_full', 'this flow has too many executions waiting to run; retry later', { headers: { 'retry-after': '5' } });
  if (load.waiting >= (hook.params.maxWaiting ?? caps.maxWaiting))
    throw new IngressError(429, 'flow_waiting_full', 'this flow has too many parked executions (delays, retries); retry later', { headers: { 'retry-after': '60' } });
  if (deps.executions.queueDepth() >= deps.maxQueue)
    throw new IngressError(429, 'queue_full', 'the queue is full; retry later', { headers: { 'retry-after': '5' } });
}

/** Misses a client address may make per minute before it gets 429: token guessing is slowed down (W-17). */
const MISSES_PER_MIN = 300;

async function notFound(deps: HooksDeps, req: IncomingMessage): Promise<IngressError> {
  const client = forwardedClient(deps.trustProxy ?? false, req.socket.remoteAddress, req.headers['x-forwarded-for']);
  const r = await deps.limiter.take(`miss:${client}`, MISSES_PER_MIN);
  if (!r.ok) return new IngressError(429, 'rate_limited', 'too many requests to unknown webhooks', { headers: { 'retry-after': String(r.retryAfterSec) }, closeConnection: !req.complete });
  return new IngressError(404, 'not_found', 'no active webhook at this URL', { closeConnection: !req.complete });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i].toLowerCase();
    // No cookie is read on /hooks (W-25): a browser's session cookie never reaches a flow or an execution record.
    if (k === 'cookie') continue;
    out[k] = out[k] === undefined ? raw[i + 1] : `${out[k]}, ${raw[i + 1]}`;
  }
  return out;
}

/** Credentials sent by the caller never reach execution records. */
function redact(hook: HookEntry, headers: Record<string, string>): Record<string, string> {
  const kind = hook.params.auth?.kind;
  const secretHeader = kind === 'basic' ? 'authorization' : kind === 'header' ? (hook.params.auth?.header ?? 'x-webhook-token').toLowerCase() : undefined;
  if (secretHeader === undefined && headers.authorization === undefined) return headers;
  const out = { ...headers };
  if (out.authorization !== undefined) out.authorization = '[redacted]';
  if (secretHeader !== undefined && out[secretHeader] !== undefined) out[secretHeader] = '[redacted]';
  return out;
}

function toEnvelope(deps: HooksDeps, req: IncomingMessage, method: string, headers: Record<string, string>, body: unknown): TriggerEnvelope {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const query: Record<string, string | string[]> = Object.create(null);
  if (q !== -1) {
    for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
  }
  return { method, headers, query, body, receivedAt: new Date(deps.clock.now()).toISOString(), eventId: deps.ids.next('evt') };
}

function answerError(res: ServerResponse, e: unknown): void {
  if (e instanceof IngressError) return sendJson(res, e.status, e.toBody(), e.headers);
  if (e instanceof StoreUnavailable)
    return sendJson(res, 503, { error: { code: 'store_unavailable', message: 'the event could not be stored; retry later' } }, { 'retry-after': '5' });
  sendJson(res, 500, { error: { code: 'internal_error', message: 'internal error' } });
}
