import { asyncRepo } from '../../../server/store/sqlite/async-repo.js';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeError, permanent, retryable, type HttpClient } from '../../../nodes/contract.js';
import { withEndpointHealth } from '../../../server/adapters/endpoint-health.js';
import { createIds } from '../../../server/adapters/ids.js';
import type { EndpointRepo } from '../../../server/store/sqlite/endpoints.js';
import { HOUR, makeWorld, req, T0, type World } from './endpoint-health.fixture.js';

/** The endpoint of a call made outside any flow: its origin. */
const at = (url: string) => ({ flowId: '', url });

const A = 'https://hooks.example.com:8443';
const B = 'https://other.example.com';

async function refusal(w: World, url: string): Promise<NodeError> {
  const e = await w.client.request(req(url)).then(() => undefined, (x: unknown) => x);
  if (!(e instanceof NodeError)) throw new Error(`expected a NodeError, got ${String(e)}`);
  return e;
}

describe('withEndpointHealth', () => {
  let w: World;
  afterEach(() => w.close());

  it('disables an endpoint whose deliveries all fail for the whole window, then refuses it without sending', async () => {
    w = makeWorld();
    w.script.push(503, 503, 503, 503);
    for (const when of [0, 60 * HOUR, 119 * HOUR + 59 * 60_000]) {
      w.advance(when - (w.now() - T0));
      expect((await w.client.request(req(`${A}/orders?token=s3cret`))).status).toBe(503);
      expect(w.repo.find(at(A))?.disabledAt).toBeNull();
    }
    w.advance(60_000); // now exactly 120 h after the first failure
    expect((await w.client.request(req(`${A}/orders`))).status).toBe(503); // this one was sent: its answer passes through
    const row = w.repo.find(at(A));
    expect(row).toMatchObject({ failingSince: T0, failures: 4, disabledAt: T0 + 120 * HOUR, disabledReason: 'failing', lastStatus: 503 });
    expect(w.sent).toHaveLength(4);

    const e = await refusal(w, `${A}/other/path?token=s3cret`);
    expect(e).toMatchObject({ code: 'endpoint_disabled', retryable: false });
    expect(e.message).toContain(A);
    expect(e.message).toContain('2025-03-06T00:00:00.000Z'); // disabled at
    expect(e.message).toContain('2025-03-01T00:00:00.000Z'); // failing since
    expect(e.message).toContain(`/api/endpoints/${row?.id}/enable`);
    expect(e.message).not.toContain('s3cret');
    expect(e.details).toMatchObject({ endpointId: row?.id, origin: A, reason: 'failing' });
    expect(w.sent).toHaveLength(4); // the inner client was not called
    expect(w.warnings).toEqual([expect.objectContaining({ msg: 'endpoint disabled' })]);
  });

  it('a success in between ends the failing run, so the window starts again at the next failure', async () => {
    w = makeWorld();
    w.script.push(503, 200, 503, 503, 503);
    await w.client.request(req(A));
    w.advance(100 * HOUR);
    await w.client.request(req(A));
    expect(w.repo.find(at(A))).toMatchObject({ failingSince: null, failures: 0, lastSuccessAt: T0 + 100 * HOUR, lastStatus: 200 });
    w.advance(30 * HOUR); // 130 h after the first failure, but only the start of a new run
    await w.client.request(req(A));
    w.advance(119 * HOUR);
    await w.client.request(req(A));
    expect(w.repo.find(at(A))).toMatchObject({ failingSince: T0 + 130 * HOUR, failures: 2, disabledAt: null });
    w.advance(HOUR);
    await w.client.request(req(A));
    expect(w.repo.find(at(A))).toMatchObject({ disabledReason: 'failing', disabledAt: T0 + 250 * HOUR });
  });

  it('a 4xx other than 408/429/410 shows a live endpoint: it resets the failing run', async () => {
    w = makeWorld();
    w.script.push(500, 400, 408, 429);
    await w.client.request(req(A));
    await w.client.request(req(A));
    expect(w.repo.find(at(A))).toMatchObject({ failingSince: null, lastStatus: 400 });
    await w.client.request(req(A));
    w.advance(120 * HOUR);
    await w.client.request(req(A)); // 408 then 429, 120 h apart: both failures
    expect(w.repo.find(at(A))).toMatchObject({ failures: 2, disabledReason: 'failing', lastStatus: 429 });
  });

  it('410 Gone disables the endpoint at once', async () => {
    w = makeWorld();
    w.script.push(410);
    expect((await w.client.request(req(`${A}/x`))).status).toBe(410);
    expect(w.repo.find(at(A))).toMatchObject({ disabledAt: T0, disabledReason: 'gone', lastStatus: 410 });
    const e = await refusal(w, `${A}/y`);
    expect(e).toMatchObject({ code: 'endpoint_disabled', retryable: false, details: { reason: 'gone' } });
    expect(e.message).toContain('410 Gone');
    expect(w.sent).toHaveLength(1);
  });

  it('only the disabled origin is refused: another host or port is still called', async () => {
    w = makeWorld();
    w.script.push(410, 200, 200);
    await w.client.request(req(`${A}/x`));
    expect((await w.client.request(req(`${B}/x`))).status).toBe(200);
    expect((await w.client.request(req('https://hooks.example.com/x'))).status).toBe(200); // port 443, another origin
    await refusal(w, `${A.toUpperCase().replace('HTTPS', 'https')}/x`); // host names compare case-insensitively
    expect(w.sent.map((r) => r.url)).toEqual([`${A}/x`, `${B}/x`, 'https://hooks.example.com/x']);
  });

  it('network errors and timeouts are failures; the error itself is passed on unchanged', async () => {
    w = makeWorld();
    const net = retryable('http_network', `connect ECONNREFUSED (${A})`);
    w.script.push(net, retryable('http_timeout', `no connection within 5000 ms (${A})`));
    await expect(w.client.request(req(A))).rejects.toBe(net);
    w.advance(120 * HOUR);
    await expect(w.client.request(req(A))).rejects.toMatchObject({ code: 'http_timeout' });
    expect(w.repo.find(at(A))).toMatchObject({
      failures: 2, lastStatus: null, disabledReason: 'failing', lastError: `http_timeout: no connection within 5000 ms (${A})`,
    });
    expect((await refusal(w, A)).code).toBe('endpoint_disabled');
  });

  it('our own abort and permanent refusals say nothing about the endpoint: nothing is recorded', async () => {
    w = makeWorld();
    const ac = new AbortController();
    ac.abort();
    w.script.push(retryable('http_aborted', 'the request was aborted'), permanent('ssrf_blocked', 'blocked'), permanent('http_response_too_large', 'big'));
    await expect(w.client.request(req(A, ac.signal))).rejects.toMatchObject({ code: 'http_aborted' });
    await expect(w.client.request(req(A))).rejects.toMatchObject({ code: 'ssrf_blocked' });
    await expect(w.client.request(req(A))).rejects.toMatchObject({ code: 'http_response_too_large' });
    expect(w.repo.find(at(A))).toBeUndefined();
  });

  it('enable clears the disabled and failing state: deliveries go through and the window starts afresh', async () => {
    w = makeWorld();
    w.script.push(503, 503, 503);
    await w.client.request(req(A));
    w.advance(120 * HOUR);
    await w.client.request(req(A));
    const id = w.repo.find(at(A))?.id ?? '';
    await refusal(w, A);
    w.advance(HOUR);
    expect(w.repo.enable(id, w.now())).toMatchObject({ disabledAt: null, disabledReason: null, failingSince: null, failures: 0 });
    expect((await w.client.request(req(A))).status).toBe(503); // sent again
    expect(w.repo.find(at(A))).toMatchObject({ disabledAt: null, failingSince: T0 + 121 * HOUR, failures: 1 });
    expect(w.sent).toHaveLength(3);
    expect(w.repo.enable('ep_unknown', w.now())).toBeUndefined();
  });

  it('a window of 0 turns the feature off: the client is returned as it is', () => {
    w = makeWorld();
    const inner: HttpClient = { request: () => Promise.reject(new Error('unused')) };
    expect(withEndpointHealth(inner, { repo: asyncRepo(w.repo), clock: { now: () => T0 }, ids: createIds(), log: console, disableAfterMs: 0 })).toBe(inner);
  });

  it('a failed health write does not fail (and so never repeats) a delivery that already happened', async () => {
    w = makeWorld();
    const errors: string[] = [];
    const broken: EndpointRepo = { ...w.repo, update: () => { throw new Error('SQLITE_FULL: database or disk is full'); } };
    const inner: HttpClient = { request: async () => ({ status: 200, headers: {}, body: new Uint8Array() }) };
    const log = { debug() {}, info() {}, warn() {}, error: (o: object) => { errors.push(JSON.stringify(o)); } };
    const c = withEndpointHealth(inner, { repo: asyncRepo(broken), clock: { now: () => T0 }, ids: createIds(), log, disableAfterMs: 1000 });
    expect((await c.request(req(A))).status).toBe(200);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('SQLITE_FULL');
  });

  it('H-16: a 410 on one templated path disables nothing: not that flow\'s template, not another flow\'s calls to the origin', async () => {
    w = makeWorld();
    const tpl = 'https://shop.example/orders/{{ input.id }}';
    const a = { flowId: 'flw_a', url: tpl, variable: true };
    const b = { flowId: 'flw_b', url: 'https://shop.example/orders/status', variable: false };
    w.script.push(410, 200, 200);
    expect((await w.client.request({ ...req('https://shop.example/orders/gone-1'), endpoint: a })).status).toBe(410);
    expect(w.repo.find(a)).toMatchObject({ disabledAt: null, lastStatus: 410, flowId: 'flw_a', url: tpl, origin: 'https://shop.example' });
    expect((await w.client.request({ ...req('https://shop.example/orders/ok-2'), endpoint: a })).status).toBe(200);
    expect((await w.client.request({ ...req('https://shop.example/orders/status'), endpoint: b })).status).toBe(200);
    expect(w.sent).toHaveLength(3);
  });

  it('H-16: a literal URL answering 410 is disabled for its flow only; another flow calling the same URL still gets through', async () => {
    w = makeWorld();
    const url = 'https://shop.example/hook';
    w.script.push(410, 200);
    await w.client.request({ ...req(url), endpoint: { flowId: 'flw_a', url, variable: false } });
    expect((await refusal({ ...w, client: { request: (r) => w.client.request({ ...r, endpoint: { flowId: 'flw_a', url, variable: false } }) } }, url)).code).toBe('endpoint_disabled');
    expect((await w.client.request({ ...req(url), endpoint: { flowId: 'flw_b', url, variable: false } })).status).toBe(200);
    expect(w.sent).toHaveLength(2);
  });

  it('URLs that are not http(s) go to the inner client untouched (it refuses them itself)', async () => {
    w = makeWorld();
    await w.client.request(req('ftp://files.example.com/x'));
    expect(w.sent).toHaveLength(1);
    expect(w.repo.list({ limit: 10 }).total).toBe(0);
  });
});
