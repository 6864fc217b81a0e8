import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { eventually, startTestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { startReceiver } from '../helpers/http-receiver.js';

describe('http node across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-http-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('H-14: the retry after a restart carries the same webhook-id, and both signatures verify', async () => {
    const env = { HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' };
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const rx = await startReceiver((_r, res, n) => {
      if (n === 1) { res.writeHead(503, { 'retry-after': '2' }); res.end(); } else res.end('ok');
    });
    const first = await startTestApp(env, dir);
    let executionId = '';
    try {
      const cred = await first.api('POST', '/api/credentials', { name: 'fulfilment', type: 'standard-webhooks', data: { secret } });
      const f = await activeFlow(first, [
        { id: 'hook', type: 'webhook', params: {} },
        { id: 'ship', type: 'http', params: { url: `${rx.url}/ship`, body: '{{ input.body }}', signing: { kind: 'standard-webhooks', credentialId: cred.body.id } },
          retry: { initialDelayMs: 50, maxDelayMs: 10_000, jitter: 0 } },
      ], [{ from: 'hook', to: 'ship' }]);
      executionId = ((await (await post(f.hook, '{"order":1}')).json()) as { executionId: string }).executionId;
      await eventually(async () => (await first.api('GET', `/api/executions/${executionId}`)).body.status === 'waiting');
      expect(rx.requests).toHaveLength(1);
    } finally {
      await first.close({ keepData: true });
    }
    const second = await startTestApp(env, dir);
    try {
      const e = await finished(second, executionId, 15_000);
      expect(e.status).toBe('succeeded');
      expect(rx.requests).toHaveLength(2);
      expect(rx.requests.map((r) => r.headers['webhook-id'])).toEqual([`${executionId}:ship`, `${executionId}:ship`]);
      expect(rx.requests[1].at - rx.requests[0].at).toBeGreaterThanOrEqual(2000);
      for (const r of rx.requests) expect(new Webhook(secret).verify(r.body, r.headers)).toEqual({ order: 1 });
    } finally {
      await second.close({ keepData: true });
      await rx.close();
    }
  });
});
