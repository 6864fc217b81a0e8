/** Test payloads obey the flow's body limit with the same 413 the webhook URL gives (issue 11 part 4). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, post } from '../helpers/flows.js';

const reply = { id: 'reply', type: 'respond', params: {} };

describe('test runs obey the body limit', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({ HOOKFLOW_MAX_BODY: '2048' }); });
  afterAll(async () => { await t.close(); });

  const over = (bytes: number) => ({ note: 'x'.repeat(bytes) });

  for (const [name, params, limit] of [['the server limit (HOOKFLOW_MAX_BODY)', {}, 2048], ['the webhook\'s own maxBodyBytes', { maxBodyBytes: 300 }, 300]] as const) {
    it(`refuses a test payload over ${name} exactly as the URL does`, async () => {
      const f = await activeFlow(t, [{ id: 'hook', type: 'webhook', params }, reply], [{ from: 'hook', to: 'reply' }]);
      const body = over(limit); // its JSON is a little over the limit
      const atUrl = await post(f.hook, JSON.stringify(body));
      expect(atUrl.status).toBe(413);
      const urlAnswer = await atUrl.json();
      expect(urlAnswer.error).toMatchObject({ code: 'payload_too_large', details: { maxBytes: limit } });
      const test = await t.api('POST', `/api/flows/${f.id}/test`, { body });
      expect(test.status).toBe(413);
      expect(test.body).toEqual(urlAnswer);
      const started = await t.api('POST', `/api/flows/${f.id}/test`, { body, wait: false });
      expect(started.status).toBe(413);
      // A text body counts as the bytes it is.
      expect((await t.api('POST', `/api/flows/${f.id}/test`, { body: 'y'.repeat(limit + 1) })).status).toBe(413);
      // Nothing ran for the refused ones.
      expect((await t.api('GET', `/api/executions?flowId=${f.id}`)).body.items).toHaveLength(0);
      // At the limit both run.
      const fits = { note: 'x'.repeat(limit - JSON.stringify({ note: '' }).length) };
      expect((await post(f.hook, JSON.stringify(fits))).status).toBe(202);
      const ok = await t.api('POST', `/api/flows/${f.id}/test`, { body: fits });
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('succeeded');
    });
  }
});
