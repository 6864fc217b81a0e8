import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TEST_TOKEN, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';

// H-15 against a real server and real loopback receivers (hence HOOKFLOW_ALLOW_PRIVATE_NETWORKS=true).
// The window is 600 ms instead of 5 days (StartOptions.endpointDisableAfterMs); retries come every 100 ms.
const WINDOW_MS = 600;
const env = { HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' };
const retry = { maxAttempts: 30, backoff: 'fixed', initialDelayMs: 100, maxDelayMs: 100, jitter: 0 };
type Attempt = { nodeId: string; errorCode?: string };

describe('endpoint auto-disable (H-15)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-endpoints-'));
  let t: TestApp;
  let flaky: Receiver;
  let gone: Receiver;
  const mode = { failing: true };
  beforeAll(async () => {
    flaky = await startReceiver((_r, res) => { res.statusCode = mode.failing ? 503 : 200; res.end(mode.failing ? 'down' : 'ok'); });
    gone = await startReceiver((_r, res) => { res.statusCode = 410; res.end('gone'); });
    t = await startTestApp(env, dir, { endpointDisableAfterMs: WINDOW_MS });
  });
  afterAll(async () => {
    await t.close({ keepData: true });
    await Promise.all([flaky.close(), gone.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const flows = new Map<string, { id: string; token: string }>();
  /** Runs the flow calling `url` (one flow per URL, made on first use; `fresh` makes another one) and returns its outcome. */
  async function deliver(app: TestApp, url: string, fresh = false, body: unknown = {}) {
    let f = fresh ? undefined : flows.get(url);
    if (f === undefined) {
      f = await activeFlow(app, [{ id: 'hook', type: 'webhook', params: {} }, { id: 'call', type: 'http', params: { url, body: { n: 1 } }, retry }],
        [{ from: 'hook', to: 'call' }]);
      if (!fresh) flows.set(url, f);
    }
    const { executionId } = (await (await post(`${app.url}/hooks/${f.token}`, JSON.stringify(body))).json()) as { executionId: string };
    const e = await finished(app, executionId, 15_000);
    return { e, flowId: f.id, codes: (e.attempts as Attempt[]).filter((a) => a.nodeId === 'call').map((a) => a.errorCode) };
  }

  const endpointFor = async (rx: Receiver, flowId?: string) => {
    const list = await t.api('GET', '/api/endpoints?limit=200');
    return (list.body.items as Array<Record<string, unknown>>).find((i) => i.origin === rx.url && (flowId === undefined || i.flowId === flowId));
  };

  it('a 503 for the whole window disables the endpoint: the execution fails with endpoint_disabled, nothing more is sent', async () => {
    const { e, codes } = await deliver(t, `${flaky.url}/orders`);
    expect(e.status).toBe('failed');
    expect(e.error).toMatchObject({ code: 'endpoint_disabled', nodeId: 'call' });
    expect(e.error.message).toContain(flaky.url);
    expect(codes.at(-1)).toBe('endpoint_disabled');
    expect(codes.slice(0, -1).every((c) => c === 'http_status_503')).toBe(true);
    expect(flaky.requests).toHaveLength(codes.length - 1); // the refused attempt never reached the receiver
    expect(flaky.requests.at(-1)!.at - flaky.requests[0].at).toBeGreaterThanOrEqual(WINDOW_MS - 20);

    const ep = await endpointFor(flaky);
    expect(ep).toMatchObject({ state: 'disabled', disabledReason: 'failing', lastStatus: 503, failures: flaky.requests.length });
    expect(typeof ep?.failingSince).toBe('string');
    const sent = flaky.requests.length;
    const again = await deliver(t, `${flaky.url}/orders`);
    expect(again.e.error).toMatchObject({ code: 'endpoint_disabled' });
    expect(again.codes).toEqual(['endpoint_disabled']); // permanent: no retries burn on it
    expect(flaky.requests).toHaveLength(sent);
    expect(ep).toMatchObject({ flowId: again.flowId, url: `${flaky.url}/orders` });
  });

  it('POST /api/endpoints/:id/enable lets deliveries through again', async () => {
    const ep = await endpointFor(flaky);
    mode.failing = false;
    const enabled = await t.api('POST', `/api/endpoints/${String(ep?.id)}/enable`);
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ id: ep?.id, origin: flaky.url, state: 'healthy', disabledAt: null, disabledReason: null, failingSince: null, failures: 0 });
    const before = flaky.requests.length;
    const { e } = await deliver(t, `${flaky.url}/orders`);
    expect(e.status).toBe('succeeded');
    expect(flaky.requests).toHaveLength(before + 1);
    expect(await endpointFor(flaky)).toMatchObject({ state: 'healthy', lastStatus: 200 });
  });

  it('410 Gone disables at once (Standard Webhooks): http_gone, then endpoint_disabled without a request', async () => {
    const first = await deliver(t, `${gone.url}/hook`);
    expect(first.codes).toEqual(['http_gone']);
    expect(await endpointFor(gone)).toMatchObject({ state: 'disabled', disabledReason: 'gone', lastStatus: 410 });
    const second = await deliver(t, `${gone.url}/hook`);
    expect(second.codes).toEqual(['endpoint_disabled']);
    expect(second.e.error.message).toContain('410 Gone');
    expect(gone.requests).toHaveLength(1);
  });

  it('H-16: a 410 on one templated path disables neither that flow\'s other calls nor another flow\'s calls to the same origin', async () => {
    const shop = await startReceiver((r, res) => { res.statusCode = r.url.includes('gone') ? 410 : 200; res.end('{}'); });
    try {
      const templated = `${shop.url}/orders/{{ input.body.orderId }}`;
      const a = await deliver(t, templated, false, { orderId: 'gone-1' });
      expect(a.codes).toEqual(['http_gone']);
      const b = await deliver(t, `${shop.url}/orders/status`);
      expect(b.e.status).toBe('succeeded');
      const a2 = await deliver(t, templated, false, { orderId: 'ok-2' });
      expect(a2.e.status).toBe('succeeded');
      expect(shop.requests.map((r) => r.url)).toEqual(['/orders/gone-1', '/orders/status', '/orders/ok-2']);
      expect(await endpointFor(shop, a.flowId)).toMatchObject({ url: templated, state: 'healthy', lastStatus: 200 });
      // A literal URL answering 410 is disabled for its own flow only.
      const c = await deliver(t, `${shop.url}/orders/gone-for-good`);
      expect(c.codes).toEqual(['http_gone']);
      expect((await deliver(t, `${shop.url}/orders/gone-for-good`)).codes).toEqual(['endpoint_disabled']);
      const other = await deliver(t, `${shop.url}/orders/gone-for-good`, true);
      expect(other.codes).toEqual(['http_gone']); // another flow: sent, not refused
    } finally {
      await shop.close();
    }
  });

  it('the API filters by state, answers 404 for an unknown endpoint, 400 for a bad state, 401 without a token', async () => {
    const disabled = await t.api('GET', '/api/endpoints?state=disabled');
    expect(disabled.body).toMatchObject({ total: 3, nextCursor: null, items: [{ origin: gone.url }, { state: 'disabled' }, { state: 'disabled' }] });
    const one = await t.api('GET', `/api/endpoints/${disabled.body.items[0].id}`);
    expect(one.body).toMatchObject({ origin: gone.url, state: 'disabled' });
    expect((await t.api('POST', '/api/endpoints/ep_nope/enable')).status).toBe(404);
    const bad = await t.api('GET', '/api/endpoints?state=sleepy');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_query', details: [{ field: 'state' }] });
    expect((await fetch(`${t.url}/api/endpoints`)).status).toBe(401);
    expect((await fetch(`${t.url}/api/endpoints`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).status).toBe(200);
  });

  it('the state survives a restart; with HOOKFLOW_ENDPOINT_DISABLE_AFTER_HOURS=0 nothing is refused', async () => {
    await t.close({ keepData: true });
    t = await startTestApp({ ...env, HOOKFLOW_ENDPOINT_DISABLE_AFTER_HOURS: '0' }, dir);
    expect(await endpointFor(gone)).toMatchObject({ state: 'disabled', disabledReason: 'gone' });
    const { codes } = await deliver(t, `${gone.url}/hook`);
    expect(codes).toEqual(['http_gone']); // sent (and failed by the node's own 410 rule), not refused
    expect(gone.requests).toHaveLength(2);
  });
});
