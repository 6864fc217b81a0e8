// a failed synchronous execution tells its caller only {error: {code, message, executionId}}; details stay in the record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';

const syncHook = { id: 'hook', type: 'webhook', params: { response: { mode: 'sync', timeoutMs: 15_000 } } };

describe('sync answers of failed executions (A-13)', () => {
  let t: TestApp;
  let rx: Receiver;
  beforeAll(async () => {
    t = await startTestApp();
    rx = await startReceiver();
  });
  afterAll(async () => {
    await t.close();
    await rx.close();
  });

  async function failedAnswer(nodes: unknown[], body: unknown) {
    const f = await activeFlow(t, [syncHook, ...nodes], [{ from: 'hook', to: (nodes[0] as { id: string }).id }]);
    const res = await post(f.hook, JSON.stringify(body));
    const text = await res.text();
    return { res, text, body: JSON.parse(text) as { error: Record<string, unknown>; executionId: string } };
  }

  it('A-13: the SSRF guard\'s address and network class (a DNS oracle for payload URLs) stay in the execution record', async () => {
    const { res, text, body } = await failedAnswer(
      [{ id: 'call', type: 'http', params: { url: '{{ input.body.target }}' } }],
      { target: `http://127.0.0.1:${rx.port}/internal` },
    );
    expect(res.status).toBe(500);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'executionId', 'message']);
    expect(body.error.code).toBe('execution_failed');
    expect(body.error.executionId).toBe(body.executionId);
    for (const leak of ['127.0.0.1', 'loopback', 'ssrf', 'details', 'class', String(rx.port)]) expect(text, leak).not.toContain(leak);
    const e = await finished(t, body.executionId);
    expect(e.error).toMatchObject({ code: 'ssrf_blocked', nodeId: 'call', details: { address: '127.0.0.1', class: 'loopback' } });
    expect(rx.requests).toHaveLength(0);
  });

  it('A-13: a thrown error\'s message, stack and code positions are not sent to the caller', async () => {
    const code = 'const secret = "internal-" + input.body.n;\nthrow new Error("boom " + secret);';
    const { res, text, body } = await failedAnswer([{ id: 'calc', type: 'transform', params: { code } }], { n: 7 });
    expect(res.status).toBe(500);
    expect(body.error.code).toBe('execution_failed');
    expect(body.error.message).toMatch(/failed/);
    for (const leak of ['internal-7', 'boom', 'stack', 'line', 'calc', 'details']) expect(text, leak).not.toContain(leak);
    const e = await finished(t, body.executionId);
    expect(e.status).toBe('failed');
    expect(JSON.stringify(e.error)).toContain('boom internal-7');
  });

  it('A-13: an invalid rendered param (a caller-controlled value) is reported to the caller by a generic code only', async () => {
    const { res, body } = await failedAnswer([{ id: 'r', type: 'respond', params: { status: '{{ input.body.code }}' } }], { code: 'not a number' });
    expect(res.status).toBe(500);
    expect(body.error).toEqual({ code: 'execution_failed', message: expect.any(String), executionId: body.executionId });
    expect((await finished(t, body.executionId)).error.code).toBe('invalid_params');
  });
});

describe('A-17: a param rendering {{ nodes }}', () => {
  it('A-17: a respond body of {{ nodes }} answers the outputs so far instead of an internal_error', async () => {
    const t = await startTestApp();
    try {
      const f = await activeFlow(t, [syncHook, { id: 'answer', type: 'respond', params: { body: '{{ nodes }}' } }], [{ from: 'hook', to: 'answer' }]);
      const res = await post(f.hook, JSON.stringify({ order: 7 }));
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.hook.body).toEqual({ order: 7 });
      const list = await t.api('GET', `/api/executions?flowId=${f.id}`);
      const e = await finished(t, list.body.items[0].id);
      expect(e.status).toBe('succeeded');
      expect(e.steps.find((s: { nodeId: string }) => s.nodeId === 'answer').output.body.hook.body).toEqual({ order: 7 });
    } finally {
      await t.close();
    }
  });
});
