import { describe, expect, it } from 'vitest';
import { NodeError, permanent, retryable } from '../../../nodes/contract.js';
import { endpointOf, nextHealth, outcomeOfError, outcomeOfStatus, type DeliveryOutcome } from '../../../server/adapters/endpoint-health.js';
import type { EndpointRow } from '../../../server/store/sqlite/endpoints.js';

const row = (over: Partial<EndpointRow> = {}): EndpointRow => ({
  id: 'ep_1', flowId: null, url: 'https://a.example', origin: 'https://a.example', failingSince: null, failures: 0, lastFailureAt: null, lastSuccessAt: null,
  lastStatus: null, lastError: null, disabledAt: null, disabledReason: null, createdAt: 0, updatedAt: 0, ...over,
});
const fail: DeliveryOutcome = { kind: 'failure', status: 503, error: 'http_status_503' };
const ok: DeliveryOutcome = { kind: 'success', status: 200 };

describe('endpoint outcome rules', () => {
  it.each([
    [200, 'success'], [204, 'success'], [301, 'success'], [400, 'success'], [401, 'success'], [404, 'success'],
    [408, 'failure'], [429, 'failure'], [500, 'failure'], [503, 'failure'], [599, 'failure'], [410, 'gone'],
  ])('status %i is a %s', (status, kind) => {
    expect(outcomeOfStatus(status).kind).toBe(kind);
  });

  it('only retryable transport errors count, and never after our own abort', () => {
    const aborted = new AbortController();
    aborted.abort();
    expect(outcomeOfError(retryable('http_network', 'ECONNRESET'), undefined)).toEqual({ kind: 'failure', status: null, error: 'http_network: ECONNRESET' });
    expect(outcomeOfError(retryable('http_timeout', 't'), new AbortController().signal)?.kind).toBe('failure');
    expect(outcomeOfError(retryable('http_aborted', 'a'), aborted.signal)).toBeUndefined();
    expect(outcomeOfError(permanent('ssrf_blocked', 'no'), undefined)).toBeUndefined();
    expect(outcomeOfError(new Error('not typed'), undefined)).toBeUndefined();
  });

  it('bounds the recorded error text', () => {
    const o = outcomeOfError(new NodeError('http_network', 'x'.repeat(5000), { retryable: true }), undefined);
    expect(o?.kind === 'failure' && o.error.length).toBeLessThanOrEqual(301);
  });

  it('an endpoint is the URL origin; non-http(s) and garbage have none', () => {
    expect(endpointOf('https://user:pw@Hooks.Example.com:443/a?b=c')).toBe('https://hooks.example.com');
    expect(endpointOf('http://127.0.0.1:8080/x')).toBe('http://127.0.0.1:8080');
    expect(endpointOf('file:///etc/passwd')).toBeUndefined();
    expect(endpointOf('not a url')).toBeUndefined();
  });
});

describe('nextHealth', () => {
  it('starts a failing run at the first failure and disables when the run reaches the window (>=)', () => {
    const first = nextHealth(row(), fail, 1000, 500);
    expect(first).toMatchObject({ failingSince: 1000, failures: 1, lastFailureAt: 1000, disabledAt: null });
    expect(nextHealth(first, fail, 1499, 500).disabledAt).toBeNull();
    expect(nextHealth(first, fail, 1500, 500)).toMatchObject({ disabledAt: 1500, disabledReason: 'failing', failures: 2 });
  });

  it('a success ends the run and keeps the last error for the record', () => {
    const failing = nextHealth(row(), fail, 1000, 500);
    expect(nextHealth(failing, ok, 1200, 500)).toMatchObject({ failingSince: null, failures: 0, lastSuccessAt: 1200, lastStatus: 200, lastError: 'http_status_503' });
  });

  it('410 disables at once, even on the first delivery', () => {
    expect(nextHealth(row(), { kind: 'gone' }, 7, 1e9)).toMatchObject({ disabledAt: 7, disabledReason: 'gone', failingSince: 7, lastStatus: 410 });
  });

  it('a disabled endpoint stays disabled whatever late in-flight deliveries report', () => {
    const off = row({ disabledAt: 5, disabledReason: 'failing', failingSince: 1, failures: 3 });
    expect(nextHealth(off, ok, 10, 500)).toMatchObject({ disabledAt: 5, disabledReason: 'failing', failingSince: 1, lastSuccessAt: 10 });
    expect(nextHealth(off, { kind: 'gone' }, 11, 500)).toMatchObject({ disabledAt: 5, disabledReason: 'failing', failures: 4 });
  });
});
