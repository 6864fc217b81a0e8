/**
 * Endpoint auto-disable (THREATS H-15): an HttpClient wrapper that records delivery outcomes per endpoint and refuses
 * disabled ones. An endpoint is a flow's http URL without its variable parts (H-16), never an origin across flows.
 */
import { NodeError, permanent, type Clock, type HttpClient, type HttpRequest, type Logger } from '../../nodes/contract.js';
import type { Ids } from './ids.js';
import type { EndpointKey, EndpointRow, EndpointStore } from '../store/types.js';

export interface EndpointHealthDeps {
  /** Rows of the endpoints table (the store writes outcomes without waiting for an fsync, see README). */
  repo: EndpointStore;
  clock: Clock;
  ids: Ids;
  log: Logger;
  /**
   * An endpoint whose deliveries have all failed for this long is disabled at its next failure; 0 turns the
   * whole feature off (nothing recorded, nothing refused, 410 only fails its own step).
   * @default 432000000 (120 h, Svix's 5 days; HOOKFLOW_ENDPOINT_DISABLE_AFTER_HOURS)
   */
  disableAfterMs: number;
}

/** What one delivery says about its endpoint. */
export type DeliveryOutcome =
  | { kind: 'success'; status: number }
  | { kind: 'failure'; status: number | null; error: string }
  | { kind: 'gone' };

const MAX_ERROR_CHARS = 300;

/** The endpoint of a URL is its origin; undefined for anything but http(s) (the client refuses those itself). */
export function endpointOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * 410 asks us to stop (Standard Webhooks); 408, 429 and 5xx are failures; any other answer shows a live endpoint.
 * Behind a URL with variable parts, a 410 says that one resource is gone (its step still fails `http_gone`),
 * not the endpoint: it counts as a live answer (H-16).
 */
export function outcomeOfStatus(status: number, variable = false): DeliveryOutcome {
  if (status === 410) return variable ? { kind: 'success', status } : { kind: 'gone' };
  if (status === 408 || status === 429 || (status >= 500 && status < 600)) return { kind: 'failure', status, error: `http_status_${status}` };
  return { kind: 'success', status };
}

/**
 * A retryable transport error (network, timeout) is a failure of the endpoint. Our own abort (node timeout,
 * cancel) and permanent refusals (SSRF guard, bad URL, oversized response) say nothing about it: undefined.
 */
export function outcomeOfError(e: unknown, signal: AbortSignal | undefined): DeliveryOutcome | undefined {
  if (!(e instanceof NodeError) || !e.retryable || signal?.aborted) return undefined;
  const text = `${e.code}: ${e.message}`;
  return { kind: 'failure', status: null, error: text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text };
}

/** The endpoint a request goes to: its `endpoint` ref, else its origin outside any flow. */
export const keyOf = (req: HttpRequest, origin: string): EndpointKey =>
  req.endpoint ? { flowId: req.endpoint.flowId, url: req.endpoint.url } : { flowId: '', url: origin };

const fresh = (id: string, key: EndpointKey, origin: string, now: number): EndpointRow => ({
  id, flowId: key.flowId === '' ? null : key.flowId, url: key.url, origin, failingSince: null, failures: 0, lastFailureAt: null, lastSuccessAt: null, lastStatus: null, lastError: null,
  disabledAt: null, disabledReason: null, createdAt: now, updatedAt: now,
});

/**
 * The endpoint's state after one outcome. A success ends a failing run; a failure starts or extends it, and
 * disables the endpoint once the run has lasted `windowMs`; a 410 disables at once. A disabled endpoint stays
 * disabled whatever late (already in-flight) deliveries report: only the API enables it again.
 */
export function nextHealth(prev: EndpointRow, outcome: DeliveryOutcome, now: number, windowMs: number): EndpointRow {
  const isDisabled = prev.disabledAt !== null;
  if (outcome.kind === 'success') {
    const reset = isDisabled ? {} : { failingSince: null, failures: 0 };
    return { ...prev, ...reset, lastSuccessAt: now, lastStatus: outcome.status, updatedAt: now };
  }
  const failingSince = prev.failingSince ?? now;
  const failed: EndpointRow = {
    ...prev, failingSince, failures: prev.failures + 1, lastFailureAt: now, updatedAt: now,
    lastStatus: outcome.kind === 'gone' ? 410 : outcome.status,
    lastError: outcome.kind === 'gone' ? 'http_gone: the endpoint answered 410 Gone' : outcome.error,
  };
  if (isDisabled) return failed;
  if (outcome.kind === 'gone') return { ...failed, disabledAt: now, disabledReason: 'gone' };
  if (now - failingSince >= windowMs) return { ...failed, disabledAt: now, disabledReason: 'failing' };
  return failed;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The permanent error a delivery to a disabled endpoint fails with: no request is sent, no retry is spent. */
export function endpointDisabledError(row: EndpointRow): NodeError {
  const since = iso(row.disabledAt ?? row.updatedAt);
  const why = row.disabledReason === 'gone'
    ? 'it answered 410 Gone'
    : `every delivery failed from ${iso(row.failingSince ?? row.updatedAt)} on (last: ${row.lastError ?? 'unknown'})`;
  // The message names the origin only: a saved URL's path or query may hold a secret.
  const whose = row.flowId === null ? '' : ' (as this flow calls it)';
  return permanent(
    'endpoint_disabled',
    `the endpoint ${row.origin}${whose} was disabled at ${since}: ${why}; POST /api/endpoints/${row.id}/enable delivers to it again`,
    { endpointId: row.id, origin: row.origin, flowId: row.flowId, disabledAt: since, reason: row.disabledReason },
  );
}

/** Wraps `client`: disabled endpoints are refused before any connection, every other outcome is recorded. */
export function withEndpointHealth(client: HttpClient, d: EndpointHealthDeps): HttpClient {
  if (d.disableAfterMs <= 0) return client;
  const record = async (key: EndpointKey, origin: string, outcome: DeliveryOutcome): Promise<void> => {
    try {
      let wasDisabled = false;
      const row = await d.repo.update(key, (prev) => {
        wasDisabled = prev !== undefined && prev.disabledAt !== null;
        const next = nextHealth(prev ?? fresh(d.ids.next('ep'), key, origin, d.clock.now()), outcome, d.clock.now(), d.disableAfterMs);
        return { ...next, origin };
      });
      if (!wasDisabled && row.disabledAt !== null) {
        d.log.warn({ endpointId: row.id, origin, flowId: row.flowId, reason: row.disabledReason, failingSince: row.failingSince }, 'endpoint disabled');
      }
    } catch (e) {
      // The request already happened; failing it now would only send it again. The next outcome is recorded anyway.
      d.log.error({ origin, err: e instanceof Error ? e.message : String(e) }, 'endpoint health: outcome not recorded');
    }
  };
  return {
    async request(req: HttpRequest) {
      const origin = endpointOf(req.url);
      if (origin === undefined) return client.request(req);
      const key = keyOf(req, origin);
      const known = await d.repo.find(key);
      if (known !== undefined && known.disabledAt !== null) throw endpointDisabledError(known);
      try {
        const res = await client.request(req);
        await record(key, origin, outcomeOfStatus(res.status, req.endpoint?.variable ?? false));
        return res;
      } catch (e) {
        const outcome = outcomeOfError(e, req.signal);
        if (outcome !== undefined) await record(key, origin, outcome);
        throw e;
      }
    },
  };
}
