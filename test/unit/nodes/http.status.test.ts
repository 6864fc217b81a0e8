import { describe, expect, it } from 'vitest';
import { NodeError } from '../../../nodes/contract.js';
import { httpNode } from '../../../nodes/http.js';
import { parseRetryAfter } from '../../../nodes/http-response.js';
import { fakeCtx } from './fake-ctx.js';
import { fakeHttp, type Answer } from './http-fakes.js';

const NOW = Date.parse('2025-01-01T00:00:00.000Z');
const call = (a: Answer) => httpNode.execute(fakeCtx({ http: fakeHttp({}, a) }), {}, { url: 'https://r.example.test/' });
const failure = (p: Promise<unknown>): Promise<NodeError> =>
  p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => { if (!(e instanceof NodeError)) throw e; return e; });

describe('http node: status rules (H-13)', () => {
  it.each([200, 201, 202, 204, 299])('%i emits on out', async (status) => {
    expect(await call({ status })).toMatchObject({ port: 'out', value: { status } });
  });

  it.each([
    [408, 'http_status_408', true], [429, 'http_status_429', true], [500, 'http_status_500', true],
    [502, 'http_status_502', true], [503, 'http_status_503', true], [504, 'http_status_504', true], [599, 'http_status_599', true],
    [400, 'http_status_400', false], [401, 'http_status_401', false], [403, 'http_status_403', false],
    [404, 'http_status_404', false], [409, 'http_status_409', false], [422, 'http_status_422', false],
    [410, 'http_gone', false],
    [301, 'http_redirect', false], [302, 'http_redirect', false], [307, 'http_redirect', false], [308, 'http_redirect', false],
  ])('%i fails with %s (retryable: %s) and carries the status', async (status, code, retry) => {
    const e = await failure(call({ status, headers: { 'content-type': 'application/json' }, body: '{"why":"x"}' }));
    expect(e).toMatchObject({ code, retryable: retry, status, details: { status, body: '{"why":"x"}' } });
  });

  it('H-12: honours Retry-After in seconds on 429 and 503', async () => {
    expect(await failure(call({ status: 429, headers: { 'retry-after': '120' } }))).toMatchObject({ retryAfterMs: 120_000 });
    expect(await failure(call({ status: 503, headers: { 'retry-after': '1' } }))).toMatchObject({ retryAfterMs: 1000 });
  });

  it('H-12: honours Retry-After as an HTTP-date, measured from the node clock', async () => {
    const at = new Date(NOW + 90_000).toUTCString();
    expect(await failure(call({ status: 503, headers: { 'retry-after': at } }))).toMatchObject({ retryAfterMs: 90_000 });
  });

  it('H-12: ignores a garbage Retry-After (the normal backoff applies) and one on a permanent status', async () => {
    expect((await failure(call({ status: 503, headers: { 'retry-after': 'soon' } }))).retryAfterMs).toBeUndefined();
    expect((await failure(call({ status: 400, headers: { 'retry-after': '5' } }))).retryAfterMs).toBeUndefined();
  });

  it('keeps a long error body short in the details', async () => {
    const e = await failure(call({ status: 500, headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(5000) }));
    expect(String((e.details as { body: string }).body).length).toBeLessThanOrEqual(1001);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0], ['1', 1000], [' 30 ', 30_000], ['99999999', 99_999_999_000],
    ['Wed, 01 Jan 2025 00:01:00 GMT', 60_000], ['Tue, 31 Dec 2024 23:00:00 GMT', 0],
    ['', undefined], ['-5', undefined], ['1.5', undefined], ['soon', undefined], ['2025-01-01', undefined], [undefined, undefined],
  ])('%j → %j', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });
});
