/**
 * ANY /hooks/resume/<token>: a callback to a parked `wait` step. The token names the execution and step (its mac is
 * checked first); the request is checked like a webhook's against the wait node's params (methods, size, content
 * type, auth), stored durably as the step's signal, and answered 202. A second call, or a call after the step or the
 * execution ended, gets 409. Answers carry the same inert headers as every /hooks answer (W-25).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Static } from '@sinclair/typebox';
import type { Clock, TriggerEnvelope } from '../../nodes/contract.js';
import type { WaitParams } from '../../nodes/wait.js';
import type { ExecutionStore, SignalStore } from '../store/types.js';
import { StoreUnavailable } from '../store/types.js';
import type { FlowCache } from '../flows/compile-flow.js';
import type { Ids } from '../adapters/ids.js';
import { IngressError } from './ingress-error.js';
import { readBody } from './read-body.js';
import { parseBody, DEFAULT_ACCEPT } from './parse-body.js';
import { checkAuth, type AuthSecrets } from './inbound-auth.js';
import type { HookEntry } from './hook-cache.js';
import type { RateLimitTaker } from './rate-limit.js';
import { sendJson } from './answer.js';
import { RESUME_PREFIX, type ResumeTokens } from './resume-token.js';
import { forwardedClient, type ProxyTrust } from '../http/proxy-trust.js';
import { baseId } from '../runner/items.js';

export interface ResumeDeps {
  tokens: ResumeTokens;
  executions: Pick<ExecutionStore, 'get'>;
  signals: SignalStore;
  flows: Pick<FlowCache, 'get'>;
  secrets: AuthSecrets;
  clock: Clock;
  ids: Ids;
  limiter: RateLimitTaker;
  /** HOOKFLOW_MAX_BODY unless the wait node sets `maxBodyBytes`. */
  maxBody: number;
  /** Told after a signal is stored, so a local runner claims the execution at once. */
  wake(): void;
  trustProxy?: ProxyTrust;
}

type Params = Static<typeof WaitParams>;
const FINAL = new Set(['succeeded', 'failed', 'canceled', 'rejected']);
const SETTLED = new Set(['succeeded', 'failed', 'skipped', 'canceled']);

export const isResumeUrl = (url: string): boolean => url.startsWith(RESUME_PREFIX);

export function createResumeHandler(deps: ResumeDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await handle(deps, req, res);
    } catch (e) {
      if (e instanceof IngressError) return sendJson(res, e.status, e.toBody(), e.headers);
      if (e instanceof StoreUnavailable)
        return sendJson(res, 503, { error: { code: 'store_unavailable', message: 'the callback could not be stored; retry later' } }, { 'retry-after': '5' });
      sendJson(res, 500, { error: { code: 'internal_error', message: 'internal error' } });
    }
  };
}

async function handle(deps: ResumeDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '';
  const path = url.split('?')[0].slice(RESUME_PREFIX.length).replace(/\/$/, '');
  const ids = deps.tokens.verify(path);
  if (!ids) throw await notFound(deps, req);
  const exec = await deps.executions.get(ids.executionId);
  const flow = exec ? await deps.flows.get(exec.flowId, exec.flowVersion).catch(() => undefined) : undefined;
  const node = flow?.nodes.get(baseId(ids.nodeId));
  if (!exec || !node || node.type.type !== 'wait') throw await notFound(deps, req);
  const params = node.doc.params as Params;
  const method = req.method ?? 'GET';
  const methods = params.methods ?? ['POST'];
  if (!methods.includes(method as never))
    throw new IngressError(405, 'method_not_allowed', `${method} is not accepted here`, { headers: { allow: methods.join(', ') }, closeConnection: !req.complete });
  const maxBody = params.maxBodyBytes ?? deps.maxBody;
  const raw = await readBody(req, { maxBytes: maxBody });
  const { body } = parseBody(raw, req.headers['content-type'], DEFAULT_ACCEPT);
  const headers = flatHeaders(req);
  const asHook = { params: { auth: params.auth } } as unknown as HookEntry;
  await checkAuth(asHook, deps.secrets, raw, headers, deps.clock.now());
  const step = exec.steps.find((s) => s.nodeId === ids.nodeId);
  if (FINAL.has(exec.status) || (step !== undefined && SETTLED.has(step.status)))
    throw new IngressError(409, 'not_waiting', 'this step is no longer waiting for a callback');
  const envelope: TriggerEnvelope = {
    method, headers: redact(params, headers), query: queryOf(url), body, receivedAt: new Date(deps.clock.now()).toISOString(), eventId: deps.ids.next('evt'),
  };
  const stored = await deps.signals.put({ executionId: ids.executionId, nodeId: ids.nodeId, payload: envelope }, deps.clock.now());
  if (!stored) throw new IngressError(409, 'already_resumed', 'this step was already resumed');
  deps.wake();
  sendJson(res, 202, { executionId: ids.executionId, resumed: true });
}

/** Misses a client address may make per minute before it gets 429, as on /hooks/:token (W-17). */
const MISSES_PER_MIN = 300;

async function notFound(deps: ResumeDeps, req: IncomingMessage): Promise<IngressError> {
  const client = forwardedClient(deps.trustProxy ?? false, req.socket.remoteAddress, req.headers['x-forwarded-for']);
  const r = await deps.limiter.take(`miss:${client}`, MISSES_PER_MIN);
  if (!r.ok) return new IngressError(429, 'rate_limited', 'too many requests to unknown URLs', { headers: { 'retry-after': String(r.retryAfterSec) }, closeConnection: !req.complete });
  return new IngressError(404, 'not_found', 'no step is waiting at this URL', { closeConnection: !req.complete });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i].toLowerCase();
    if (k === 'cookie') continue; // no cookie is read on /hooks (W-25)
    out[k] = out[k] === undefined ? raw[i + 1] : `${out[k]}, ${raw[i + 1]}`;
  }
  return out;
}

/** Credentials the caller sent never reach the execution record. */
function redact(params: Params, headers: Record<string, string>): Record<string, string> {
  const out = { ...headers };
  if (out.authorization !== undefined) out.authorization = '[redacted]';
  if (params.auth?.kind === 'header') {
    const h = (params.auth.header ?? 'x-webhook-token').toLowerCase();
    if (out[h] !== undefined) out[h] = '[redacted]';
  }
  return out;
}

function queryOf(url: string): Record<string, string | string[]> {
  const q = url.indexOf('?');
  const query: Record<string, string | string[]> = Object.create(null);
  if (q === -1) return query;
  for (const [k, v] of new URLSearchParams(url.slice(q + 1))) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return query;
}
