/**
 * S-26…S-28 and S-32 (docs/security.md) through a running Hookflow: webhooks to attacking flows while an unrelated
 * flow answers synchronously through a transform and a condition expression. Outcomes are asserted; each bound only
 * proves "did not wait behind the attacker's code" (whose calls take seconds). Latency figures: `npm run bench`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { activeFlow, finished, post } from '../../helpers/flows.js';
import { cpuTicksOver, sandboxChildPids, within } from './sandbox-helpers.js';

const hook = (params: Record<string, unknown> = {}) => ({ id: 'hook', type: 'webhook', params });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let t: TestApp;
let unrelated: string;

beforeAll(async () => {
  t = await startTestApp();
  unrelated = (await activeFlow(t, [
    hook({ response: { mode: 'sync' } }),
    { id: 'calc', type: 'transform', params: { code: 'return { total: input.body.items.reduce((s, i) => s + i.qty * i.price, 0) }' } },
    { id: 'big', type: 'condition', params: { expression: 'input.total >= 30' } },
    { id: 'yes', type: 'respond', params: { body: { total: '{{ input.total }}', big: true } } },
    { id: 'no', type: 'respond', params: { body: { total: '{{ input.total }}', big: false } } },
  ], [{ from: 'hook', to: 'calc' }, { from: 'calc', to: 'big' }, { from: 'big', fromPort: 'true', to: 'yes' }, { from: 'big', fromPort: 'false', to: 'no' }], 'unrelated')).hook;
}, 60_000);
afterAll(() => t.close());

/** One synchronous call of the unrelated flow: it must answer 200 with the right body, within `boundMs`. */
async function unrelatedCall(i: number, boundMs: number): Promise<number> {
  const started = Date.now();
  const res = await within(post(unrelated, JSON.stringify({ items: [{ qty: i, price: 10 }] })), boundMs, 'an unrelated sync webhook');
  const body = await res.json();
  expect({ status: res.status, body }).toEqual({ status: 200, body: { total: i * 10, big: i * 10 >= 30 } });
  return Date.now() - started;
}

const accept = async (url: string, body: unknown): Promise<string> => {
  const res = await post(url, JSON.stringify(body));
  expect(res.status).toBe(202);
  return ((await res.json()) as { executionId: string }).executionId;
};
const errorCodes = async (ids: string[], timeoutMs: number): Promise<string[]> =>
  Promise.all(ids.map(async (id) => ((await finished(t, id, timeoutMs)) as { error?: { code: string } }).error?.code ?? 'none'));

describe('S-26 / S-27 through the runner', () => {
  it('while 15 backtracking regexes and a 30 s loop run in other flows, every sync call of an unrelated flow succeeds without node_timeout', async () => {
    const regex = await activeFlow(t, [hook(), { id: 're', type: 'transform', params: { code: 'return /^(\\w+\\s?)*$/.test(input.body.name)' } }], [{ from: 'hook', to: 're' }], 'regex');
    const spin = await activeFlow(t, [hook(), { id: 'spin', type: 'transform', params: { code: 'for (;;) {}', timeoutMs: 30_000 } }], [{ from: 'hook', to: 'spin' }], 'spin');
    const regexRuns = await Promise.all(Array.from({ length: 15 }, () => accept(regex.hook, { name: `${'a'.repeat(40)}!` })));
    const spinRun = await accept(spin.hook, {});
    await sleep(300);
    const took: number[] = [];
    for (let i = 0; i < 10; i++) took.push(await unrelatedCall(i, 3000));
    console.log(`S-26/S-27 unrelated sync flow under attack: ${took.join(', ')} ms`);

    const codes = await errorCodes(regexRuns, 30_000);
    console.log(`S-26 attacker: ${codes.join(', ')}`);
    expect(codes.filter((c) => c === 'sandbox_backoff').length).toBeGreaterThanOrEqual(8);
    expect(codes.filter((c) => !['sandbox_timeout', 'sandbox_backoff', 'node_timeout'].includes(c))).toEqual([]);

    // Canceling the looping execution stops its code: the child goes idle, not 30 s later.
    const [pid] = sandboxChildPids();
    expect(pid).toBeDefined();
    expect((await t.api('POST', `/api/executions/${spinRun}/cancel`)).status).toBe(200);
    expect((await finished(t, spinRun, 5000)).status).toBe('canceled');
    await sleep(300);
    // A core still spinning would add ~100 ticks a second; a stopped isolate leaves the child near idle.
    expect(await cpuTicksOver(pid as number, 1000)).toBeLessThan(40);
  }, 90_000);

  it('the node timeout covers the code\'s own timeout: a 6 s loop fails as sandbox_timeout, not node_timeout at 5 s', async () => {
    const slow = await activeFlow(t, [hook(), { id: 'spin', type: 'transform', params: { code: 'for (;;) {}', timeoutMs: 6000 } }], [{ from: 'hook', to: 'spin' }], 'slow');
    const run = await finished(t, await accept(slow.hook, {}), 20_000);
    expect(run.error).toMatchObject({ code: 'sandbox_timeout', nodeId: 'spin' });
    expect(run.error.message).toMatch(/6000 ms/);
  }, 30_000);
});

describe('S-28 through the runner', () => {
  it('ten webhooks whose code blows the memory cap: the flow is backed off and an unrelated flow answers throughout', async () => {
    const bomb = await activeFlow(t, [hook(), { id: 'bomb', type: 'transform', params: { code: 'const m = new Map(); for (let i = 0;; i++) m.set(i, { i })' } }], [{ from: 'hook', to: 'bomb' }], 'bomb');
    const started = Date.now();
    const runs = await Promise.all(Array.from({ length: 10 }, () => accept(bomb.hook, {})));
    let done = false;
    const codes = errorCodes(runs, 40_000).finally(() => (done = true));
    const took: number[] = [];
    for (let i = 0; !done && Date.now() - started < 40_000; i++) took.push(await unrelatedCall(i % 7, 5000));
    const final = await codes;
    console.log(`S-28 attacker: ${final.join(', ')} in ${Date.now() - started} ms; unrelated flow: ${took.join(', ')} ms`);
    // Three strikes (or one crash), the call already running when the back-off starts, maybe one more: the rest fail at once.
    expect(final.filter((c) => c === 'sandbox_backoff').length).toBeGreaterThanOrEqual(5);
    // Its own calls queued behind its earlier ones may also give up at their node timeout.
    expect(final.filter((c) => !['sandbox_memory', 'sandbox_timeout', 'sandbox_crash', 'sandbox_backoff', 'node_timeout'].includes(c))).toEqual([]);
  }, 60_000);
});

describe('S-32 through the runner', () => {
  it('a thrown primitive with a 40 MiB getter planted on Array.prototype leaves a small execution record', async () => {
    const f = await activeFlow(t, [hook(), { id: 'boom', type: 'transform', params: {
      code: "Object.defineProperty(Array.prototype, 3, { get() { return 'x'.repeat(40 * 1024 * 1024) } }); throw 'boom'", timeoutMs: 5000,
    } }], [{ from: 'hook', to: 'boom' }], 's32');
    const id = await accept(f.hook, {});
    await finished(t, id, 20_000);
    const res = await fetch(`${t.url}/api/executions/${id}`, { headers: { authorization: 'Bearer test-api-token-0123456789abcdef' } });
    const text = await res.text();
    expect(text.length).toBeLessThan(64 * 1024);
    expect(JSON.parse(text)).toMatchObject({ status: 'failed', error: { code: 'user_code_error', nodeId: 'boom' } });
  }, 30_000);
});
