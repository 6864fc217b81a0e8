/** Error flows: `settings.onError` runs another flow with the failure; links both ways; never chains; secrets scrubbed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';

const hook = { id: 'hook', type: 'webhook', params: {} };
const fire = async (url: string, body: unknown): Promise<string> => ((await (await post(url, JSON.stringify(body))).json()) as { executionId: string }).executionId;

describe('error flows', () => {
  let t: TestApp;
  let rx: Receiver;
  beforeAll(async () => { t = await startTestApp({ HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' }); rx = await startReceiver(); });
  afterAll(async () => { await t.close(); await rx.close(); });

  const createFlow = async (body: Record<string, unknown>) => {
    const r = await t.api('POST', '/api/flows', { active: true, ...body });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; webhook: { url: string }; settings?: unknown };
  };

  it('runs the error flow with the failed execution, flow, node, error and attempts, secrets scrubbed, linked both ways', async () => {
    const cred = await t.api('POST', '/api/credentials', { name: 'partner', type: 'header', data: { name: 'x-partner-key', value: 'sekret-partner-key-42' } });
    const alert = await createFlow({ name: 'alert', nodes: [hook, { id: 'page', type: 'http', params: { url: `${rx.url}/alert`, body: '{{ input.body }}' } }], edges: [{ from: 'hook', to: 'page' }] });
    const main = await createFlow({
      name: 'orders', settings: { onError: alert.id },
      nodes: [hook,
        { id: 'push', type: 'http', params: { url: `${rx.url}/ok`, auth: { kind: 'header', credentialId: cred.body.id } } },
        { id: 'boom', type: 'transform', name: 'Check total', params: { code: 'throw new Error("partner said no to sekret-partner-key-42")' } }],
      edges: [{ from: 'hook', to: 'push' }, { from: 'push', to: 'boom' }],
    });
    expect(main.settings).toEqual({ onError: alert.id });
    const id = await fire(main.webhook.url, { order: 7 });
    const failed = await finished(t, id);
    expect(failed.status).toBe('failed');
    const got = await eventually(async () => rx.requests.find((r) => r.url === '/alert'));
    const body = JSON.parse(got.body);
    expect(body).toMatchObject({
      execution: { id, mode: 'async' },
      flow: { id: main.id, name: 'orders', version: 1 },
      node: { id: 'boom', type: 'transform', name: 'Check total' },
      error: { code: 'user_code_error' },
      attempts: 1,
    });
    expect(body.error.message).toContain('partner said no to [redacted]');
    expect(got.body).not.toContain('sekret-partner-key-42');
    const detail = (await t.api('GET', `/api/executions/${id}`)).body;
    expect(detail.children).toHaveLength(1);
    expect(detail.children[0]).toMatchObject({ flowId: alert.id, mode: 'error', nodeId: 'boom' });
    const child = await finished(t, detail.children[0].id);
    expect(child.status).toBe('succeeded');
    expect(child.parent).toEqual({ executionId: id, nodeId: 'boom' });
  });

  it("an error flow's own failure never starts another run, even when it names itself", async () => {
    const sad = await createFlow({ name: 'sad alert', nodes: [hook, { id: 'fail', type: 'transform', params: { code: 'throw new Error("alerting is down")' } }], edges: [{ from: 'hook', to: 'fail' }] });
    const upd = await t.api('PUT', `/api/flows/${sad.id}`, { name: 'sad alert', settings: { onError: sad.id }, nodes: [hook, { id: 'fail', type: 'transform', params: { code: 'throw new Error("alerting is down")' } }], edges: [{ from: 'hook', to: 'fail' }] });
    expect(upd.status).toBe(200);
    const main = await createFlow({ name: 'main', settings: { onError: sad.id }, nodes: [hook, { id: 'x', type: 'transform', params: { code: 'throw new Error("no")' } }], edges: [{ from: 'hook', to: 'x' }] });
    const id = await fire(main.webhook.url, {});
    expect((await finished(t, id)).status).toBe('failed');
    const errRun = (await t.api('GET', `/api/executions/${id}`)).body.children[0];
    const e = await finished(t, errRun.id);
    expect(e.status).toBe('failed');
    expect(e.mode).toBe('error');
    // The error run is stored before its own failure is: once it is failed, a chained run would already exist.
    expect((await t.api('GET', `/api/executions/${errRun.id}`)).body.children).toEqual([]);
    expect((await t.api('GET', `/api/executions?flowId=${sad.id}`)).body.total).toBe(1);
  });

  it('a failure routed to an error port, a success and a test run start no error flow', async () => {
    const alert = await createFlow({ name: 'alert2', nodes: [hook], edges: [] });
    const nodes = [hook, { id: 'x', type: 'transform', params: { code: 'if (input.body.fail) throw new Error("no"); return 1' } }];
    const ok = await createFlow({ name: 'ok', settings: { onError: alert.id }, nodes, edges: [{ from: 'hook', to: 'x' }] });
    expect((await finished(t, await fire(ok.webhook.url, { fail: false }))).status).toBe('succeeded');
    const test = await t.api('POST', `/api/flows/${ok.id}/test`, { body: { fail: true } });
    expect(test.body.status).toBe('failed');
    expect((await t.api('GET', `/api/executions?flowId=${alert.id}`)).body.total).toBe(0);
  });

  it('refuses to save an error flow that does not exist, or a setting it does not know', async () => {
    const bad = await t.api('POST', '/api/flows', { name: 'x', settings: { onError: 'flw_doesnotexist' }, nodes: [hook], edges: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('settings.onError');
    const odd = await t.api('POST', '/api/flows', { name: 'x', settings: { retries: 3 }, nodes: [hook], edges: [] });
    expect(odd.status).toBe(400);
    expect(odd.body.error.message).toContain('settings.retries');
  });
});
