/** /metrics, /readyz and the execution trace against a real server, sandbox and outgoing HTTP receiver. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, eventually, type TestApp } from '../helpers/app.js';
import { activeFlow, post, finished } from '../helpers/flows.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';
import { register as globalRegistry } from 'prom-client';

const metric = (text: string, name: string, labels = ''): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
};

describe('metrics, readiness and trace', () => {
  let t: TestApp;
  let rx: Receiver;
  beforeAll(async () => {
    t = await startTestApp({ HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' });
    rx = await startReceiver();
  });
  afterAll(async () => { await rx.close(); await t.close(); });
  const scrape = async () => (await fetch(`${t.url}/metrics`)).text();

  it('counts webhooks, executions, node attempts and failures, and exposes gauges', async () => {
    const f = await activeFlow(t, [
      { id: 'hook', type: 'webhook', params: {} },
      { id: 'calc', type: 'transform', params: { code: 'if (input.body.boom) throw new Error("boom"); return { n: input.body.n * 2 }' } },
    ], [{ from: 'hook', to: 'calc' }]);
    const ok = await post(f.hook, JSON.stringify({ n: 1 }));
    const bad = await post(f.hook, JSON.stringify({ boom: true }));
    await post(`${t.url}/hooks/${'z'.repeat(32)}`, '{}');
    await finished(t, ((await ok.json()) as { executionId: string }).executionId);
    await finished(t, ((await bad.json()) as { executionId: string }).executionId);
    const text = await eventually(async () => {
      const s = await scrape();
      return (metric(s, 'hookflow_node_failures_total', 'node_type="transform"') ?? 0) >= 1 ? s : undefined;
    });
    expect(metric(text, 'hookflow_webhooks_received_total', `flow_id="${f.id}",status="202"`)).toBe(2);
    expect(metric(text, 'hookflow_webhooks_received_total', 'flow_id="unknown",status="404"')).toBe(1);
    expect(metric(text, 'hookflow_executions_finished_total', 'status="succeeded"')).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'hookflow_executions_finished_total', 'status="failed"')).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'hookflow_node_attempts_total', 'node_type="transform"')).toBe(2);
    expect(metric(text, 'hookflow_node_failures_total', 'node_type="transform"')).toBe(1);
    expect(metric(text, 'hookflow_step_duration_seconds_count', 'node_type="transform"')).toBe(2);
    expect(metric(text, 'hookflow_execution_duration_seconds_count', 'status="succeeded"')).toBeGreaterThanOrEqual(1);
    expect(metric(text, 'hookflow_queue_depth')).toBe(0);
    expect(metric(text, 'hookflow_queue_oldest_age_seconds')).toBe(0);
    expect(metric(text, 'hookflow_sandbox_restarts')).toBe(0);
    expect(metric(text, 'hookflow_sqlite_size_bytes')).toBeGreaterThan(4096);
    expect(text).toContain('process_cpu_user_seconds_total');
    // The registry is built in main.ts: nothing lands on prom-client's process-wide default registry.
    expect((await globalRegistry.metrics()).trim()).toBe('');
  });

  it('readyz answers 200 with both checks ok', async () => {
    const r = await fetch(`${t.url}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ready', checks: { store: 'ok', sandbox: 'ok' } });
  });

  it('traces one event through every attempt to the outgoing delivery and its idempotency key', async () => {
    const f = await activeFlow(t, [
      { id: 'hook', type: 'webhook', params: {} },
      { id: 'calc', type: 'transform', params: { code: 'return { id: input.body.id }' } },
      { id: 'call', type: 'http', params: { url: `${rx.url}/orders`, method: 'POST', body: { id: '{{ input.id }}' } }, retry: { maxAttempts: 1 } },
    ], [{ from: 'hook', to: 'calc' }, { from: 'calc', to: 'call' }]);
    const res = await post(f.hook, JSON.stringify({ id: 7 }), { 'content-type': 'application/json', authorization: 'Bearer not-for-logs' });
    const { executionId } = (await res.json()) as { executionId: string };
    const e = await finished(t, executionId);
    expect(e.status).toBe('succeeded');
    const tr = await t.api('GET', `/api/executions/${executionId}/trace`);
    expect(tr.status).toBe(200);
    expect(tr.body.event.id).toBe(e.eventId);
    expect(tr.body.event.body).toEqual({ id: 7 });
    expect(tr.body.attempts.map((a: { nodeId: string; nodeType: string }) => `${a.nodeId}:${a.nodeType}`)).toEqual(['hook:webhook', 'calc:transform', 'call:http']);
    const key = `${executionId}:call`;
    expect(tr.body.deliveries).toEqual([expect.objectContaining({ nodeId: 'call', nodeType: 'http', idempotencyKey: key, status: 'succeeded' })]);
    expect(rx.requests.at(-1)?.headers['idempotency-key']).toBe(key);
    expect((await t.api('GET', '/api/executions/exe_nope/trace')).status).toBe(404);
    expect((await fetch(`${t.url}/api/executions/${executionId}/trace`)).status).toBe(401);
  });
});

describe('metrics token', () => {
  it('wants the bearer token when HOOKFLOW_METRICS_TOKEN is set', async () => {
    const t = await startTestApp({ HOOKFLOW_METRICS_TOKEN: 'scrape-token-0123456789' });
    try {
      expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      const r = await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer scrape-token-0123456789' } });
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/plain');
    } finally {
      await t.close();
    }
  });
});
