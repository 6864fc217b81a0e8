/** Pure retry maths: the delay before the next attempt, and whether an error may be retried. */
import type { RetryPolicy } from '../../nodes/contract.js';

export type Rng = () => number;

/** Delay in ms before attempt `attempt + 1`, after `attempt` (1-based) failed. */
export function nextDelayMs(policy: RetryPolicy, attempt: number, rng: Rng, retryAfterMs?: number): number {
  const base =
    policy.backoff === 'fixed'
      ? policy.initialDelayMs
      : policy.initialDelayMs * 2 ** Math.min(attempt - 1, 40);
  const capped = Math.min(base, policy.maxDelayMs);
  const jittered = capped - capped * clamp01(policy.jitter) * rng();
  // A server's Retry-After is honoured as a floor, clamped by maxDelayMs.
  const floor = retryAfterMs === undefined ? 0 : Math.min(Math.max(0, retryAfterMs), policy.maxDelayMs);
  return Math.round(Math.max(jittered, floor));
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

export interface ErrorInfo {
  code: string;
  message: string;
  retryable: boolean;
  status?: number;
  retryAfterMs?: number;
  details?: unknown;
}

/** Whether another attempt is allowed for this error under the policy. */
export function shouldRetry(policy: RetryPolicy, attempt: number, err: ErrorInfo): boolean {
  if (!err.retryable || attempt >= policy.maxAttempts) return false;
  if (!policy.retryOn || policy.retryOn.length === 0) return true;
  return policy.retryOn.some((r) => r === err.code || (err.status !== undefined && Number(r) === err.status));
}

const RETRYABLE_SYSTEM_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH',
  'ENETUNREACH', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_SOCKET',
  'SQLITE_BUSY', 'SQLITE_LOCKED',
]);

/** Classify anything thrown by node code: typed NodeErrors keep their kind; unknown errors by table. */
export function classify(e: unknown): ErrorInfo {
  if (e !== null && typeof e === 'object' && 'retryable' in e && 'code' in e && typeof e.code === 'string') {
    const n = e as { code: string; message?: string; retryable: boolean; status?: number; retryAfterMs?: number; details?: unknown };
    return {
      code: n.code, message: bounded(n.message ?? n.code), retryable: Boolean(n.retryable),
      status: n.status, retryAfterMs: n.retryAfterMs, details: n.details,
    };
  }
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE_SYSTEM_CODES.has(code)) {
      return { code: code.toLowerCase(), message: bounded(e.message), retryable: true };
    }
    if (e.name === 'AbortError' || e.name === 'TimeoutError') {
      return { code: 'timeout', message: bounded(e.message), retryable: true };
    }
    return { code: 'internal_error', message: bounded(e.message), retryable: false };
  }
  const code = e !== null && typeof e === 'object' ? (e as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && RETRYABLE_SYSTEM_CODES.has(code)) return { code: code.toLowerCase(), message: code, retryable: true };
  return { code: 'internal_error', message: bounded(safeText(e)), retryable: false };
}

/** String(e) throws for null-prototype objects and symbols' descriptions are optional: never let that escape. */
function safeText(e: unknown): string {
  try {
    return typeof e === 'string' ? e : typeof e === 'symbol' ? e.toString() : String(e);
  } catch {
    return Object.prototype.toString.call(e);
  }
}

const bounded = (s: string): string => (s.length > 2000 ? `${s.slice(0, 2000)}…` : s);

/** Parse a Retry-After header (delta seconds or HTTP-date) into ms; garbage → undefined. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  // Only an HTTP-date (it has a month or weekday name); Date.parse would also take "1.5" or "-5".
  if (!/[A-Za-z]{3}/.test(v)) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return Math.max(0, t - nowMs);
}
