/**
 * Three Hookflow processes on one PostgreSQL database — an `ingress`, a `worker` and an `all` — keep the single
 * node's promises together: roles, sync answers across processes, live events from any process, stock that
 * never oversells, rate and login limits, sessions, listen windows and flow changes shared by the cluster,
 * and one secret key and one worker id per process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, hookOn, startCluster, until, type Cluster, type Node } from './cluster-helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OWNER = { email: 'ops@example.com', password: 'a long enough password' };

let c: Cluster;
let ingress: Node;
let worker: Node;
let both: Node;

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });

async function flow(doc: Record<string, unknown>) {
  const r = await api(ingress.url, 'POST', '/api/flows', { active: true, ...doc });
  expect(r.status).toBe(201);
  return r.body as { id: string; webhook: { url: string } };
}

beforeAll(async () => {
  c = await startCluster({ HOOKFLOW_OWNER_EMAIL: OWNER.email, HOOKFLOW_OWNER_PASSWORD: OWNER.password, HOOKFLOW_LOG_LEVEL: 'warn' });
  [ingress, worker, both] = await Promise.all([c.start('ingress'), c.start('worker'), c.start('all')]);
}, 400_000);
afterAll(async () => { await c?.close(); }, 60_000);

// Generous: real processes, real scrypt logins and CLI starts on a machine shared with other test runs.
describe('a cluster of three processes on one PostgreSQL', { timeout: 120_000 }, () => {
  it('a worker serves only /healthz, /readyz and /metrics; the ingress runs no flows', async () => {
    expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${worker.url}/metrics`)).status).toBe(200);
    const refused = await api(worker.url, 'GET', '/api/flows');
    expect(refused.status).toBe(404);
    expect(JSON.stringify(refused.body)).toContain('worker');
    expect((await fetch(`${worker.url}/hooks/aaaaaaaaaaaaaaaaaaaaaaaa`, { method: 'POST' })).status).toBe(404);
    const h = (await (await fetch(`${ingress.url}/healthz`)).json()) as { role: string; store: string; inFlight: number };
    expect(h).toMatchObject({ role: 'ingress', store: 'postgres', inFlight: 0 });
  });

  it('a sync webhook sent to the ingress is answered by a worker, and its timeout still holds', async () => {
    const f = await flow({
      name: 'sync', nodes: [
        { id: 'hook', type: 'webhook', params: { response: { mode: 'sync', timeoutMs: 1500 } } },
        { id: 'wait', type: 'delay', params: { ms: '{{ input.body.wait }}' } },
        { id: 'calc', type: 'transform', params: { code: 'return { x: input.body.n * 2, pid: 0 }' } },
        { id: 'answer', type: 'respond', params: { status: 201, body: { x: '{{ input.x }}' } } },
      ],
      edges: [{ from: 'hook', to: 'wait' }, { from: 'wait', to: 'calc' }, { from: 'calc', to: 'answer' }],
    });
    const r = await post(f.webhook.url, { n: 21, wait: 0 });
    expect(r.status).toBe(201);
    expect(await r.json()).toEqual({ x: 42 });
    const t0 = Date.now();
    const late = await post(f.webhook.url, { n: 1, wait: 4000 });
    const ms = Date.now() - t0;
    expect(late.status).toBe(202);
    expect(ms).toBeGreaterThanOrEqual(1400);
    expect(ms).toBeLessThan(4000);
    const { executionId } = (await late.json()) as { executionId: string };
    await until(async () => (await api(ingress.url, 'GET', `/api/executions/${executionId}`)).body.status === 'succeeded', 30_000);
    const runs = await c.query<{ lease_owner: string | null; started_at: number }>('SELECT lease_owner, started_at FROM executions WHERE flow_id = $1', [f.id]);
    expect(runs).toHaveLength(2);
  });

  it('the editor\'s live events (SSE) on the ingress show the steps a worker runs', async () => {
    const f = await flow({
      name: 'live', nodes: [
        { id: 'hook', type: 'webhook', params: {} },
        { id: 'wait', type: 'delay', params: { ms: 1500 } },
        { id: 'calc', type: 'transform', params: { code: 'return { ok: true }' } },
      ],
      edges: [{ from: 'hook', to: 'wait' }, { from: 'wait', to: 'calc' }],
    });
    const accepted = await post(f.webhook.url, {});
    const { executionId } = (await accepted.json()) as { executionId: string };
    const res = await fetch(`${ingress.url}/api/executions/${executionId}/events`, { headers: { authorization: 'Bearer test-api-token-0123456789abcdef' }, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    expect(text).toContain('event: snapshot');
    expect(text).toMatch(/event: step\.finished\ndata: \{[^\n]*"nodeId":"calc"/);
    expect(text).toMatch(/event: execution\.finished\ndata: \{[^\n]*"status":"succeeded"/);
  });

  it('100 concurrent orders for 10 units, spread over the processes, sell exactly 10', async () => {
    expect((await api(ingress.url, 'PUT', '/api/inventory/LIMITED-1', { name: 'Limited', quantity: 10 })).status).toBe(201);
    const f = await flow({
      name: 'orders', nodes: [
        { id: 'hook', type: 'webhook', params: {} },
        { id: 'stock', type: 'inventory', params: { operation: 'decrement', itemsPath: 'input.body.items' } },
      ],
      edges: [{ from: 'hook', to: 'stock' }],
    });
    const targets = [ingress, both];
    const acks = await Promise.all(Array.from({ length: 100 }, (_, i) =>
      post(hookOn(targets[i % 2], f.webhook.url), { items: [{ sku: 'LIMITED-1', qty: 1 }] }).then((r) => r.status)));
    expect(acks.every((s) => s === 202)).toBe(true);
    await until(async () => Number((await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM executions WHERE flow_id = $1 AND status = 'succeeded'`, [f.id]))[0].n) === 100, 90_000, 250);
    expect((await api(ingress.url, 'GET', '/api/inventory/LIMITED-1')).body.quantity).toBe(0);
    const moved = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM stock_movements WHERE sku = 'LIMITED-1' AND execution_id IS NOT NULL`);
    expect(moved[0].n).toBe(10);
    const ran = await c.query<{ owner: string }>(`SELECT DISTINCT lease_owner AS owner FROM executions WHERE flow_id = $1`, [f.id]);
    expect(ran.length).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('a per-flow rate limit holds across the cluster', async () => {
    const f = await flow({ name: 'limited', nodes: [{ id: 'hook', type: 'webhook', params: { rateLimitPerMin: 6 } }], edges: [] });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post(hookOn(i % 2 ? ingress : both, f.webhook.url), {})).status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(6);
  });

  it('unknown-token misses are limited per client across the cluster', async () => {
    // 300 a minute per client, refilled continuously (5 a second): per process, 320 misses over two processes
    // would all be 404. Shared, 404s stop near 300 (plus what refilled while the burst ran) and 429s follow.
    const t0 = Date.now();
    const statuses = await Promise.all(Array.from({ length: 320 }, (_, i) =>
      fetch(`${(i % 2 ? ingress : both).url}/hooks/nope-${String(i).padStart(20, '0')}`, { method: 'POST' }).then((r) => r.status)));
    const refilled = Math.ceil(((Date.now() - t0) / 1000) * 5);
    const notFound = statuses.filter((x) => x === 404).length;
    expect(notFound).toBeGreaterThanOrEqual(300);
    expect(notFound).toBeLessThanOrEqual(300 + refilled);
    expect(statuses.filter((x) => x === 429).length).toBe(320 - notFound);
    expect(notFound).toBeLessThan(320);
  });

  it('a session from one process works on another; login failures are counted across the cluster', async () => {
    const login = (node: Node, password: string) => fetch(`${node.url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json', origin: node.url }, body: JSON.stringify({ email: OWNER.email, password }),
    });
    const ok = await login(ingress, OWNER.password);
    expect(ok.status).toBe(200);
    const cookie = (ok.headers.get('set-cookie') ?? '').split(';')[0];
    const me = await fetch(`${both.url}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe(OWNER.email);
    // 10 failures a minute per account, refilled one every 6 s: per process, two processes would allow 20.
    const t0 = Date.now();
    const fails: number[] = [];
    while (fails.length < 19 && !fails.includes(429)) fails.push((await login(fails.length % 2 ? ingress : both, 'wrong password!!')).status);
    const refilled = Math.ceil((Date.now() - t0) / 6000);
    const first429 = fails.indexOf(429);
    expect(first429).toBeGreaterThanOrEqual(10);
    expect(first429).toBeLessThanOrEqual(10 + refilled);
    expect(fails.slice(0, first429).every((x) => x === 401)).toBe(true);
  }, 60_000);

  it('a listen window opened on one process captures deliveries to another; a flow switched off on one is off on all', async () => {
    const f = await flow({ name: 'listen', active: false, nodes: [{ id: 'hook', type: 'webhook', params: {} }], edges: [] });
    expect((await post(hookOn(both, f.webhook.url), {})).status).toBe(404);
    expect((await api(ingress.url, 'POST', `/api/flows/${f.id}/listen`, { minutes: 1 })).status).toBe(200);
    const captured = await until(async () => {
      const r = await post(hookOn(both, f.webhook.url), { hello: 1 });
      return r.status === 202 ? ((await r.json()) as { captured: boolean }) : undefined;
    }, 10_000);
    expect(captured.captured).toBe(true);
    expect((await api(ingress.url, 'GET', `/api/flows/${f.id}/captures`)).body.total).toBeGreaterThanOrEqual(1);
    expect((await api(ingress.url, 'DELETE', `/api/flows/${f.id}/listen`)).status).toBe(200);
    const live = await flow({ name: 'switch', nodes: [{ id: 'hook', type: 'webhook', params: {} }], edges: [] });
    expect((await post(hookOn(both, live.webhook.url), {})).status).toBe(202);
    expect((await api(ingress.url, 'POST', `/api/flows/${live.id}/deactivate`)).status).toBeLessThan(300);
    await until(async () => (await post(hookOn(both, live.webhook.url), {})).status === 404, 5_000, 50);
  });

  it('a process started with another secret key refuses to start with one clear line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-wrongkey-'));
    try {
      const r = spawnSync(process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'server/cli.ts', 'start'], {
        cwd: ROOT, encoding: 'utf8', timeout: 60_000,
        env: { ...process.env, NODE_OPTIONS: '', HOOKFLOW_PORT: '0', HOOKFLOW_DATA_DIR: dir, HOOKFLOW_DATABASE_URL: c.db.url, HOOKFLOW_SECRET_KEY: 'ab'.repeat(32), HOOKFLOW_LOG_LEVEL: 'silent' },
      });
      expect(r.status).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^hookflow: could not start: HOOKFLOW_SECRET_KEY does not match/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a second process with the same worker id refuses to start', () => {
    const r = spawnSync(process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'server/cli.ts', 'start', '--role', 'worker'], {
      cwd: ROOT, encoding: 'utf8', timeout: 60_000,
      env: { ...process.env, NODE_OPTIONS: '', HOOKFLOW_PORT: '0', HOOKFLOW_DATA_DIR: worker.dataDir, HOOKFLOW_DATABASE_URL: c.db.url, HOOKFLOW_SECRET_KEY: c.secretKey, HOOKFLOW_LOG_LEVEL: 'silent' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/worker id node_\w+ is already used by another running Hookflow process/);
  });
});
