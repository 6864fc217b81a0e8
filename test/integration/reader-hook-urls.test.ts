// a read-only API token never sees a Hookflow webhook URL, not even inside another flow's http node params or records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { finished } from '../helpers/flows.js';
import { call, FAST_HASH, login, OWNER_ENV, sameOrigin } from './accounts-helpers.js';

describe('read-only tokens and webhook URLs (A-16)', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await startTestApp(OWNER_ENV, undefined, FAST_HASH);
    cookie = await login(t);
  });
  afterAll(async () => { await t.close(); });

  const owner = (method: string, path: string, body?: unknown) => call(t, method, path, { cookie, body, headers: sameOrigin(t) });

  it('A-16: another flow\'s webhook URL in http node params, versions, executions and the live stream is hidden from readers', async () => {
    const target = await owner('POST', '/api/flows', { name: 'Target', active: true, nodes: [{ id: 'hook', type: 'webhook', params: {} }], edges: [] });
    const url = target.body.webhook.url as string;
    const token = target.body.webhook.token as string;
    const caller = await owner('POST', '/api/flows', {
      name: 'Caller', nodes: [
        { id: 'hook', type: 'webhook', params: {} },
        { id: 'call', type: 'http', params: { url: `${url}?from=caller`, headers: { 'x-next': url }, body: { next: url } }, retry: { maxAttempts: 1 } },
      ], edges: [{ from: 'hook', to: 'call' }],
    });
    expect(caller.status).toBe(201);
    const run = await owner('POST', `/api/flows/${caller.body.id}/test`, { body: { callback: url } });
    expect(run.status).toBe(200);
    await finished(t, run.body.id ?? run.body.executionId);
    const executionId = (run.body.id ?? run.body.executionId) as string;

    const made = await owner('POST', '/api/tokens', { name: 'dashboard', scope: 'read' });
    const reader = { authorization: `Bearer ${made.body.token as string}` };
    const read = (path: string) => call(t, 'GET', path, { headers: reader });
    const answers = [
      await read('/api/flows'), await read(`/api/flows/${caller.body.id}`), await read(`/api/flows/${caller.body.id}/versions/1`),
      await read('/api/executions'), await read(`/api/executions/${executionId}`),
    ];
    for (const a of answers) expect(a.status).toBe(200);
    const stream = await fetch(`${t.url}/api/executions/${executionId}/events`, { headers: reader });
    const events = await stream.text();
    const seen = [...answers.map((a) => a.text), events].join('\n');
    expect(seen).not.toContain(token);
    // The rest of the URL stays readable, and the params keep their shape.
    const params = answers[1].body.nodes[1].params;
    expect(params.url).toMatch(/\/hooks\/\[hidden\]\?from=caller$/);
    expect(params.body.next).toMatch(/\/hooks\/\[hidden\]$/);
    // The owner still sees everything.
    expect((await owner('GET', `/api/flows/${caller.body.id}`)).body.nodes[1].params.url).toBe(`${url}?from=caller`);
    expect((await owner('GET', `/api/executions/${executionId}`)).text).toContain(token);
  });
});
