/** Ingress side of "listen for a real event": record a delivery to a listening flow's URL, and answer it if the flow is inactive. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../nodes/contract.js';
import type { HookEntry } from './hook-cache.js';
import { inspectAuth, type AuthSecrets } from './inbound-auth.js';
import { IngressError } from './ingress-error.js';
import type { RateLimitTaker } from './rate-limit.js';
import { sendJson } from './answer.js';
import type { CaptureRow } from '../store/types.js';

/** What the ingress hands over for one captured delivery: a stored capture before it has an id. */
export type NewCapture = Omit<CaptureRow, 'id'>;

/** Implemented by the capture service (flows/capture-service.ts). */
export interface CaptureSink {
  isListening(flowId: string): boolean;
  /** Stores the capture durably; its id, or undefined when the flow was deleted meanwhile. */
  record(c: NewCapture): Promise<string | undefined>;
}

export interface CaptureDeps {
  captures: CaptureSink;
  secrets: AuthSecrets;
  clock: Clock;
  limiter: RateLimitTaker;
}

/** Captures per flow and minute: a listening URL is not a way to write to the database at line rate (W-21). */
export const CAPTURES_PER_MIN = 60;

/**
 * Called after method, size, content type and parsing passed, only while the flow listens. `headers` are checked as
 * received; `redacted` (the same, redacted like the live envelope's) is what gets stored. An inactive flow is answered here (202 `{captured, id}`, or 401 as live traffic
 * would, with the capture stored anyway) and `true` returned; an active flow is recorded on the side (best effort)
 * and `false` returned, so the live path goes on exactly as without listening.
 */
export async function captureDelivery(
  d: CaptureDeps, hook: HookEntry, req: IncomingMessage, res: ServerResponse, raw: Buffer, headers: Record<string, string>, redacted: Record<string, string>,
): Promise<boolean> {
  const now = d.clock.now();
  const auth = await inspectAuth(hook, d.secrets, raw, headers, now);
  const limit = hook.params.rateLimitPerMin;
  if (!hook.active && limit !== undefined) await refuseIfLimited(d.limiter, `flow:${hook.flowId}`, limit);
  const allowed = await d.limiter.take(`capture:${hook.flowId}`, CAPTURES_PER_MIN);
  if (!allowed.ok) {
    if (hook.active) return false;
    throw tooMany(allowed.retryAfterSec);
  }
  const stored = { ...redacted };
  if (auth.tokenHeader !== undefined && stored[auth.tokenHeader] !== undefined) stored[auth.tokenHeader] = '[redacted]';
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const record = () => d.captures.record({
    flowId: hook.flowId, receivedAt: now, method: req.method ?? 'GET', query: q === -1 ? '' : url.slice(q + 1),
    headers: stored, body: raw, client: req.socket.remoteAddress ?? null, live: hook.active,
    signature: { ok: auth.ok, reason: auth.ok ? null : auth.reason ?? 'failed', kind: hook.params.auth?.kind ?? 'none', preset: presetOf(hook) },
  });
  if (hook.active) {
    // Live traffic must not fail because a debugging copy could not be written.
    await record().catch(() => undefined); // the live path answers and stores as usual
    return false;
  }
  const id = await record();
  if (id === undefined) throw new IngressError(404, 'not_found', 'no active webhook at this URL');
  if (!auth.ok) throw new IngressError(401, 'unauthorized', 'signature or credentials missing or invalid');
  sendJson(res, 202, { captured: true, id });
  return true;
}

function presetOf(hook: HookEntry): string | null {
  const auth = hook.params.auth;
  return auth?.kind === 'hmac' ? auth.preset ?? 'custom' : null;
}

async function refuseIfLimited(limiter: RateLimitTaker, key: string, perMinute: number): Promise<void> {
  const r = await limiter.take(key, perMinute);
  if (!r.ok) throw tooMany(r.retryAfterSec);
}

const tooMany = (retryAfterSec: number): IngressError =>
  new IngressError(429, 'rate_limited', 'too many requests for this flow', { headers: { 'retry-after': String(retryAfterSec) } });
