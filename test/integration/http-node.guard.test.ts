import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { startReceiver, type Handler, type Receiver } from '../helpers/http-receiver.js';

// The SSRF guard of a real server (no HOOKFLOW_ALLOW_PRIVATE_NETWORKS). Live traffic: 127.0.0.1 only.
const hook = { id: 'hook', type: 'webhook', params: {} };
type Attempt = { nodeId: string; errorCode?: string };

describe('http node behind the SSRF guard', () => {
  const cleanup: Array<() => Promise<void>> = [];
  const receiver = async (h?: Handler) => { const r = await startReceiver(h); cleanup.push(() => r.close()); return r; };
  const app = async (env: Record<string, string> = {}) => { const t = await startTestApp(env); cleanup.push(() => t.close()); return t; };
  afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c(); });

  async function run(t: TestApp, params: Record<string, unknown>) {
    const f = await activeFlow(t, [hook, { id: 'call', type: 'http', params, retry: { initialDelayMs: 50, jitter: 0 } }], [{ from: 'hook', to: 'call' }]);
    const { executionId } = (await (await post(f.hook, '{}')).json()) as { executionId: string };
    const e = await finished(t, executionId, 15_000);
    return { e, attempts: (e.attempts as Attempt[]).filter((a) => a.nodeId === 'call') };
  }

  it('H-1: loopback targets fail permanently with ssrf_blocked; the receiver sees 0 requests', async () => {
    const t = await app();
    const rx = await receiver();
    for (const url of [`${rx.url}/hook`, `http://[::1]:${rx.port}/`, `http://localhost:${rx.port}/`, `http://2130706433:${rx.port}/`, `http://0:${rx.port}/`]) {
      const { e, attempts } = await run(t, { url });
      expect(e.status).toBe('failed');
      expect(e.error).toMatchObject({ code: 'ssrf_blocked', nodeId: 'call' });
      expect(attempts).toHaveLength(1);
    }
    expect(rx.requests).toHaveLength(0);
  });

  it('H-6: with the front host allow-listed, a 302 to a loopback literal is blocked at the hop', async () => {
    const t = await app({ HOOKFLOW_ALLOWED_HOSTS: 'localhost' });
    const target = await receiver();
    const front = await receiver((_r, res) => { res.writeHead(302, { location: `${target.url}/internal` }); res.end(); });
    const { e } = await run(t, { url: `http://localhost:${front.port}/start`, followRedirects: true });
    expect(e.error).toMatchObject({ code: 'ssrf_blocked' });
    expect(front.requests.map((r) => r.url)).toEqual(['/start']);
    expect(target.requests).toHaveLength(0);
    // Redirects off (the default): the 3xx is a permanent http_redirect, not followed.
    const off = await run(t, { url: `http://localhost:${front.port}/start` });
    expect(off.e.error).toMatchObject({ code: 'http_redirect' });
    expect(off.attempts).toHaveLength(1);
    expect(target.requests).toHaveLength(0);
  });

  it('the allow-list reaches exactly the listed host', async () => {
    const t = await app({ HOOKFLOW_ALLOWED_HOSTS: 'localhost' });
    const rx = await receiver();
    expect((await run(t, { url: `http://localhost:${rx.port}/ok` })).e.status).toBe('succeeded');
    expect((await run(t, { url: `${rx.url}/literal` })).e.error).toMatchObject({ code: 'ssrf_blocked' });
    expect(rx.requests.map((r) => r.url)).toEqual(['/ok']);
  });

  it('H-7: a flow whose url has another scheme is refused at save, naming the node and field', async () => {
    const t = await app();
    for (const url of ['file:///etc/passwd', 'gopher://x.test/', 'javascript:alert(1)']) {
      const r = await t.api('POST', '/api/flows', { name: 'bad', nodes: [hook, { id: 'call', type: 'http', params: { url } }], edges: [{ from: 'hook', to: 'call' }] });
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toContain('params.url');
      expect(JSON.stringify(r.body)).toContain('call');
    }
  });

  it('H-7: a url that renders to another scheme at run time fails with invalid_url', async () => {
    const t = await app();
    const f = await activeFlow(t, [hook, { id: 'call', type: 'http', params: { url: '{{ input.body.target }}' } }], [{ from: 'hook', to: 'call' }]);
    const { executionId } = (await (await post(f.hook, '{"target":"file:///etc/passwd"}')).json()) as { executionId: string };
    const e = await finished(t, executionId, 10_000);
    expect(e.error).toMatchObject({ code: 'invalid_url' });
  });
});
