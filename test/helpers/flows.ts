/** Create and activate a flow over the API; returns its id and webhook URL. */
import type { TestApp } from './app.js';

export async function activeFlow(t: TestApp, nodes: unknown[], edges: unknown[], name = 'test flow'): Promise<{ id: string; hook: string; token: string }> {
  const res = await t.api('POST', '/api/flows', { name, active: true, nodes, edges });
  if (res.status !== 201) throw new Error(`flow not created: ${JSON.stringify(res.body)}`);
  return { id: res.body.id, hook: res.body.webhook.url, token: res.body.webhook.token };
}

export const post = (url: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }, method = 'POST') =>
  fetch(url, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : typeof body === 'string' ? body : new Uint8Array(body) });

/** Wait for an execution to reach a final state and return it. */
export async function finished(t: TestApp, executionId: string, timeoutMs = 10_000): Promise<any> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await t.api('GET', `/api/executions/${executionId}`);
    if (r.status === 200 && ['succeeded', 'failed', 'canceled', 'rejected'].includes(r.body.status)) return r.body;
    if (Date.now() > end) throw new Error(`execution ${executionId} not finished: ${JSON.stringify(r.body?.status)}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}
