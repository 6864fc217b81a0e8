/** THREATS.md cases not covered elsewhere: W-17, W-18, W-19, W-20, W-24, D-3, D-6. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Type } from '@sinclair/typebox';
import { defineNode } from '../../nodes/contract.js';
import { createIds } from '../../server/adapters/ids.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, post, finished } from '../helpers/flows.js';

/** A node whose output cannot be stored (a BigInt): the runner itself fails on it, every time. */
const poisonNode = defineNode({
  type: 'poison', title: 'Poison (test)', category: 'data', description: 'Emits a value the store cannot write.',
  params: Type.Object({}), ports: ['out'] as const,
  retry: { maxAttempts: 1, backoff: 'fixed', initialDelayMs: 0, maxDelayMs: 0, jitter: 0 }, timeoutMs: 1000, effect: 'pure',
  async execute() { return { port: 'out', value: { n: 10n } }; },
});

const hook = { id: 'hook', type: 'webhook', params: {} };

describe('threat catalogue: remaining inbound and durability cases', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp({}, undefined, { extraNodes: [poisonNode] }); });
  afterAll(async () => { await t.close(); });

  it('W-18 generates unique tokens of 32 random bytes', () => {
    const ids = createIds();
    const tokens = new Set(Array.from({ length: 10_000 }, () => ids.token()));
    expect(tokens.size).toBe(10_000);
    for (const tok of [...tokens].slice(0, 100)) expect(Buffer.from(tok, 'base64url')).toHaveLength(32);
  });

  it('W-19 answers 404 for a deactivated or deleted flow (DESIGN §7), and for a rotated token', async () => {
    const f = await activeFlow(t, [hook], []);
    await t.api('POST', `/api/flows/${f.id}/deactivate`);
    expect((await post(f.hook, '{}')).status).toBe(404);
    await t.api('POST', `/api/flows/${f.id}/activate`);
    const rotated = await t.api('POST', `/api/flows/${f.id}/rotate-token`);
    expect((await post(f.hook, '{}')).status).toBe(404);
    expect((await post(rotated.body.webhook.url, '{}')).status).toBe(202);
    await t.api('DELETE', `/api/flows/${f.id}`);
    expect((await post(rotated.body.webhook.url, '{}')).status).toBe(404);
  });

  it('W-20 serves pages with Referrer-Policy no-referrer and no third-party scripts', async () => {
    const res = await fetch(`${t.url}/`);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).not.toMatch(/<script[^>]+src=["']?(https?:)?\/\//i);
  });

  it('W-24 answers 2xx after the commit and before the flow runs; p99 well under 1 s', async () => {
    const slow = await activeFlow(t, [hook, { id: 'spin', type: 'transform', params: { code: 'const end = Date.now() + 1500; while (Date.now() < end) {} return 1', timeoutMs: 3000 } }], [{ from: 'hook', to: 'spin' }]);
    const started = Date.now();
    const res = await post(slow.hook, '{}');
    const answeredMs = Date.now() - started;
    expect(res.status).toBe(202);
    expect(answeredMs).toBeLessThan(1000);
    const { executionId } = await res.json();
    expect((await t.api('GET', `/api/executions/${executionId}`)).body.status).not.toBe('succeeded');
    expect((await finished(t, executionId)).status).toBe('succeeded');
    const plain = await activeFlow(t, [hook], []);
    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = performance.now();
      expect((await post(plain.hook, '{}')).status).toBe(202);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    expect(times[Math.floor(times.length * 0.99)]).toBeLessThan(1000);
  });

  it('D-6 fails an execution that breaks the runner itself, once, and keeps running the others', async () => {
    const bad = await activeFlow(t, [hook, { id: 'p', type: 'poison', params: {} }], [{ from: 'hook', to: 'p' }]);
    const good = await activeFlow(t, [hook], []);
    const poisoned = (await (await post(bad.hook, '{}')).json()).executionId;
    const fine = (await (await post(good.hook, '{}')).json()).executionId;
    const e = await finished(t, poisoned);
    expect(e.status).toBe('failed');
    expect(e.error.code).toBe('internal_error');
    expect((await finished(t, fine)).status).toBe('succeeded');
  });
});

describe('W-17 token guessing', () => {
  // Its own server: the per-address miss budget it exhausts must not leak into other tests.
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(); });
  afterAll(async () => { await t.close(); });

  it('W-17 answers 404 to random tokens, then 429 per client address, while real webhooks still work', async () => {
    const ids = createIds();
    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; i < 1000; i++) statuses.push((await post(`${t.url}/hooks/${ids.token()}`, '{}')).status);
    const refilled = Math.ceil(((Date.now() - started) / 1000) * 5); // the bucket refills 300/min
    expect(statuses.slice(0, 300).every((s) => s === 404)).toBe(true);
    expect(statuses.filter((s) => s === 404).length).toBeLessThanOrEqual(300 + refilled + 1);
    expect(statuses.every((s) => s === 404 || s === 429)).toBe(true);
    // The bucket refills 5 a second, so the next miss may be a 404 again; the first 429 carries Retry-After.
    let limited = await post(`${t.url}/hooks/${ids.token()}`, '{}');
    for (let i = 0; i < 20 && limited.status !== 429; i++) limited = await post(`${t.url}/hooks/${ids.token()}`, '{}');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const real = await activeFlow(t, [hook], []);
    expect((await post(real.hook, '{}')).status).toBe(202);
  });

});

describe('D-3 a process killed inside a write transaction', () => {
  it('leaves no partial rows and an intact database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-d3-'));
    const file = join(dir, 'db.sqlite');
    const store = new URL('../../server/store/sqlite/index.ts', import.meta.url).href;
    const ids = new URL('../../server/adapters/ids.ts', import.meta.url).href;
    const script = `
      const { createSqliteStore } = await import(${JSON.stringify(store)});
      const { createIds } = await import(${JSON.stringify(ids)});
      const s = createSqliteStore(${JSON.stringify(file)}, createIds());
      const db = s.raw.db;
      db.exec('BEGIN IMMEDIATE');
      const ins = db.prepare('INSERT INTO events (id, flow_id, received_at, envelope) VALUES (?, ?, ?, ?)');
      for (let i = 0; i < 5000; i++) ins.run('evt_' + i, 'f', 0, JSON.stringify({ i, pad: 'x'.repeat(200) }));
      process.kill(process.pid, 'SIGKILL');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.signal).toBe('SIGKILL');
    const db = new Database(file);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
