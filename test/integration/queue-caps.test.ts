// W-26: parked executions (delays, long retries) do not count against HOOKFLOW_MAX_QUEUE, and each flow has its own
// caps (maxQueued, maxWaiting), so one flow's flood answers 429 for that flow only.
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, post } from '../helpers/flows.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';

const hook = (params: Record<string, unknown> = {}) => ({ id: 'hook', type: 'webhook', params });
const park = { id: 'wait', type: 'delay', params: { ms: 600_000 } };
const statuses = async (url: string, n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await post(url, '{}')).status);
  return out;
};

describe('queue caps (W-26)', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => { for (const c of closers.splice(0).reverse()) await c(); });
  const app = async (env: Record<string, string>) => { const t = await startTestApp(env); closers.push(() => t.close()); return t; };
  /** A receiver that holds every request until released: executions calling it stay `running` (runnable work). */
  const slowReceiver = async (): Promise<Receiver & { release(): void }> => {
    const held: Array<() => void> = [];
    const rx = await startReceiver((_r, res) => new Promise<void>((done) => held.push(() => { res.end('{}'); done(); })));
    const release = () => { for (const h of held.splice(0)) h(); };
    closers.push(async () => { release(); await rx.close(); });
    return Object.assign(rx, { release });
  };

  it('W-26: a flood of deliveries parked in a delay does not fill HOOKFLOW_MAX_QUEUE for the other flows', async () => {
    const t = await app({ HOOKFLOW_MAX_QUEUE: '5' });
    const flood = await activeFlow(t, [hook(), park], [{ from: 'hook', to: 'wait' }]);
    const other = await activeFlow(t, [hook()], []);
    expect(await statuses(flood.hook, 12)).toEqual(Array(12).fill(202));
    expect((await post(other.hook, '{}')).status).toBe(202);
  });

  it('W-26: a flow\'s own maxWaiting answers 429 for that flow only; HOOKFLOW_FLOW_MAX_WAITING is the default', async () => {
    const t = await app({ HOOKFLOW_FLOW_MAX_WAITING: '4' });
    const capped = await activeFlow(t, [hook({ maxWaiting: 3 }), park], [{ from: 'hook', to: 'wait' }]);
    const byDefault = await activeFlow(t, [hook(), park], [{ from: 'hook', to: 'wait' }]);
    const other = await activeFlow(t, [hook()], []);
    const waitParked = async (flowId: string, n: number) => {
      for (let i = 0; i < 200; i++) {
        const r = await t.api('GET', `/api/executions?flowId=${flowId}&status=waiting`);
        if (r.body.total >= n) return;
        await new Promise((res) => setTimeout(res, 25));
      }
      throw new Error('executions did not park');
    };
    expect(await statuses(capped.hook, 3)).toEqual([202, 202, 202]);
    await waitParked(capped.id, 3);
    const full = await post(capped.hook, '{}');
    expect(full.status).toBe(429);
    expect(full.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await full.json()).error).toMatchObject({ code: 'flow_waiting_full' });
    expect(await statuses(byDefault.hook, 4)).toEqual([202, 202, 202, 202]);
    await waitParked(byDefault.id, 4);
    expect((await post(byDefault.hook, '{}')).status).toBe(429);
    expect((await post(other.hook, '{}')).status).toBe(202);
  });

  it('W-26: runnable work: a flow\'s maxQueued answers 429 for it alone; HOOKFLOW_MAX_QUEUE still bounds all runnable work', async () => {
    const rx = await slowReceiver();
    const t = await app({ HOOKFLOW_WORKERS: '1', HOOKFLOW_MAX_QUEUE: '6', HOOKFLOW_ALLOWED_HOSTS: '127.0.0.1' });
    const call = { id: 'call', type: 'http', params: { url: `${rx.url}/slow`, timeoutMs: 60_000 } };
    const busy = await activeFlow(t, [hook({ maxQueued: 3 }), call], [{ from: 'hook', to: 'call' }]);
    const second = await activeFlow(t, [hook(), call], [{ from: 'hook', to: 'call' }]);
    expect(await statuses(busy.hook, 3)).toEqual([202, 202, 202]);
    const full = await post(busy.hook, '{}');
    expect(full.status).toBe(429);
    expect((await full.json()).error.code).toBe('flow_queue_full');
    // Other flows share the instance-wide bound of runnable executions (6): 3 more fit, then queue_full.
    expect(await statuses(second.hook, 3)).toEqual([202, 202, 202]);
    const instance = await post(second.hook, '{}');
    expect(instance.status).toBe(429);
    expect((await instance.json()).error.code).toBe('queue_full');
    rx.release();
  });
});
