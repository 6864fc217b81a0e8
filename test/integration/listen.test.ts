// test/integration/listen.test.ts — "listen for a real event" on a real server: capture windows, what is captured and answered, limits, pruning.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { finished, post } from '../helpers/flows.js';
import { signPreset } from '../../server/ingress/signing.js';
import { createCredential, executionCount } from './credentials-helpers.js';
import { BODY, JSON_CT, SECRET, capturesOf, github, listenFlow, rowCount } from './listen-helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const githubSig = (raw: Buffer) => signPreset({ kind: 'hmac', preset: 'github' }, SECRET, raw, Math.floor(Date.now() / 1000));
const allCaptureRows = (): number => t.app.store.raw.db.prepare('SELECT count(*) FROM captures').pluck().get() as number;
let t: TestApp;
let credentialId = '';
const flow = (params: Record<string, unknown> = {}, active = false) => listenFlow(t, credentialId, params, active);
const captures = (flowId: string) => capturesOf(t, flowId);
const rows = (table: 'captures' | 'capture_windows', flowId: string) => rowCount(t, table, flowId);

beforeAll(async () => {
  t = await startTestApp();
  credentialId = await createCredential(t, 'hmac', { secret: SECRET }, 'github secret');
});
afterAll(async () => { await t.close(); });

describe('listening on an inactive flow', () => {
  it('captures a signed delivery without running anything, and a badly signed one with the reason', async () => {
    const f = await flow();
    expect((await post(f.hook, BODY, github(BODY))).status).toBe(404);
    const started = await t.api('POST', `/api/flows/${f.id}/listen`, {});
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ listening: true, url: f.hook });
    const until = Date.parse(started.body.listeningUntil) - Date.now();
    expect(until).toBeGreaterThan(4.9 * 60_000);
    expect(until).toBeLessThanOrEqual(5 * 60_000);

    const ok = await post(`${f.hook}?source=test`, BODY, { ...github(BODY), 'x-github-event': 'ping' });
    expect(ok.status).toBe(202);
    const okBody = await ok.json();
    expect(okBody).toEqual({ captured: true, id: expect.stringMatching(/^cap_/) });
    const bad = await post(f.hook, BODY, github(BODY, 'the wrong secret'));
    expect(bad.status).toBe(401);
    expect((await bad.json()).error).toEqual({ code: 'unauthorized', message: 'signature or credentials missing or invalid' });
    const unsigned = await post(f.hook, BODY, JSON_CT);
    expect(unsigned.status).toBe(401);

    const list = await captures(f.id);
    expect(list.total).toBe(3);
    expect(list.nextCursor).toBeNull();
    const [missing, wrong, good] = list.items;
    expect(good).toMatchObject({
      id: okBody.id, method: 'POST', query: { source: 'test' }, body: BODY, bodyEncoding: 'utf8', truncated: false, size: BODY.length,
      contentType: 'application/json', live: false, signature: { ok: true, reason: null, kind: 'hmac', preset: 'github' },
      headers: { 'x-github-event': 'ping', 'x-hub-signature-256': github(BODY)['x-hub-signature-256'] },
    });
    expect(good.clientAddress).toMatch(/127\.0\.0\.1/);
    expect(wrong.signature).toEqual({ ok: false, reason: 'signature does not match', kind: 'hmac', preset: 'github' });
    expect(missing.signature.reason).toBe('x-hub-signature-256 header missing, empty or oversized');
    expect(await executionCount(t, f.id)).toBe(0);

    const one = await t.api('GET', `/api/flows/${f.id}/captures/${good.id}`);
    expect(one.body.trigger).toEqual({ method: 'POST', query: { source: 'test' }, body: JSON.parse(BODY), headers: expect.objectContaining({ 'x-github-event': 'ping' }) });
    expect(one.body.trigger.headers.host).toBeUndefined();
    expect((await t.api('GET', `/api/flows/${f.id}/captures/cap_nope`)).status).toBe(404);
  });

  it('answers 404 again once the window ends or is stopped, and stores nothing more', async () => {
    const f = await flow();
    const short = await t.api('POST', `/api/flows/${f.id}/listen`, { minutes: 0.05 });
    expect(short.status).toBe(200);
    expect((await post(f.hook, BODY, github(BODY))).status).toBe(202);
    await sleep(Math.max(0, Date.parse(short.body.listeningUntil) - Date.now()) + 50);
    expect((await post(f.hook, BODY, github(BODY))).status).toBe(404);
    expect((await t.api('GET', `/api/flows/${f.id}/listen`)).body).toMatchObject({ listening: false, listeningUntil: null });

    await t.api('POST', `/api/flows/${f.id}/listen`, { minutes: 2 });
    expect((await t.api('GET', `/api/flows/${f.id}/listen`)).body.listening).toBe(true);
    const stopped = await t.api('DELETE', `/api/flows/${f.id}/listen`);
    expect(stopped.body).toEqual({ listening: false, listeningUntil: null, url: f.hook });
    expect((await post(f.hook, BODY, github(BODY))).status).toBe(404);
    expect((await captures(f.id)).total).toBe(1);
  });

  it('validates minutes, naming the field, and changes nothing', async () => {
    const f = await flow();
    for (const minutes of [0, 0.01, 16, '5', null, -1]) {
      const r = await t.api('POST', `/api/flows/${f.id}/listen`, { minutes });
      expect(r.status, String(minutes)).toBe(400);
      expect(r.body.error.message).toContain('minutes');
      expect(r.body.error.details).toEqual([{ field: 'minutes', message: 'must be a number from 0.05 to 15' }]);
    }
    expect((await t.api('POST', `/api/flows/${f.id}/listen`, [1])).status).toBe(400);
    expect((await t.api('GET', `/api/flows/${f.id}/listen`)).body.listening).toBe(false);
    expect((await t.api('POST', `/api/flows/${f.id}/listen`, { minutes: 15 })).status).toBe(200);
    expect((await t.api('POST', '/api/flows/flw_nope/listen', {})).status).toBe(404);
    expect((await t.api('GET', '/api/flows/flw_nope/captures')).status).toBe(404);
  });

  it('keeps listening across a restart (the window is stored)', async () => {
    const f = await flow();
    await t.api('POST', `/api/flows/${f.id}/listen`, {});
    const dir = t.dataDir;
    await t.close({ keepData: true });
    t = await startTestApp({}, dir);
    const again = await t.api('GET', `/api/flows/${f.id}`);
    expect((await post(again.body.webhook.url, BODY, github(BODY))).status).toBe(202);
  });
});

describe('how bodies are shown', () => {
  it('cuts long bodies in lists (whole in the single capture) and shows non-UTF-8 bytes as base64', async () => {
    const f = await flow({ accept: ['application/json', 'application/octet-stream'] });
    await t.api('POST', `/api/flows/${f.id}/listen`, {});
    const long = JSON.stringify({ pad: 'x'.repeat(70_000) });
    expect((await post(f.hook, long, github(long))).status).toBe(202);
    const bytes = Buffer.from([0xff, 0x00, 0x41]);
    expect((await post(f.hook, bytes, { 'content-type': 'application/octet-stream', ...githubSig(bytes) })).status).toBe(202);
    const [bin, text] = (await captures(f.id)).items;
    expect([text.truncated, text.body.length, text.size]).toEqual([true, 64 * 1024, Buffer.byteLength(long)]);
    expect((await t.api('GET', `/api/flows/${f.id}/captures/${text.id}`)).body).toMatchObject({ body: long, truncated: false });
    expect(bin).toMatchObject({ body: '/wBB', bodyEncoding: 'base64', size: 3, signature: { ok: true } });
    expect((await t.api('GET', `/api/flows/${f.id}/captures/${bin.id}`)).body.trigger.body).toEqual({ base64: '/wBB' });
  });
});

describe('limits still hold while listening', () => {
  it('never stores anything for an unknown token', async () => {
    const before = allCaptureRows();
    expect((await post(`${t.url}/hooks/${'x'.repeat(43)}`, BODY, github(BODY))).status).toBe(404);
    expect(allCaptureRows()).toBe(before);
  });

  it('refuses a body over the limit (plain or gzip bomb), too deep JSON and a wrong content type, storing nothing', async () => {
    const f = await flow({ maxBodyBytes: 1000 });
    await t.api('POST', `/api/flows/${f.id}/listen`, {});
    const big = JSON.stringify({ pad: 'x'.repeat(1000) });
    expect((await post(f.hook, big, github(big))).status).toBe(413);
    const bomb = gzipSync(Buffer.alloc(1_000_000, 0x20));
    expect((await post(f.hook, bomb, { ...github('{}'), 'content-encoding': 'gzip' })).status).toBe(413);
    const deep = '['.repeat(200) + ']'.repeat(200);
    expect((await post(f.hook, deep, github(deep))).status).toBe(400);
    expect((await post(f.hook, 'x', { ...github('x'), 'content-type': 'image/png' })).status).toBe(415);
    expect(rows('captures', f.id)).toBe(0);
  });

  it("applies the flow's rate limit, and a per-flow cap on captures even without one", async () => {
    const f = await flow({ rateLimitPerMin: 2 });
    await t.api('POST', `/api/flows/${f.id}/listen`, {});
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(f.hook, BODY, github(BODY))).status);
    expect(statuses).toEqual([202, 202, 429]);
    expect(rows('captures', f.id)).toBe(2);
  });

  it('keeps the newest 50 captures of a flow, and stops capturing past 60 a minute', async () => {
    const f = await flow({}, false);
    await t.api('POST', `/api/flows/${f.id}/listen`, {});
    // The bucket holds 60 and refills at one a second, so the first 429 comes after 60 plus the seconds taken.
    const statuses: number[] = [];
    for (let i = 0; i < 90 && !statuses.includes(429); i++) {
      const body = JSON.stringify({ n: i });
      statuses.push((await post(f.hook, body, github(body))).status);
    }
    const accepted = statuses.length - 1;
    expect(statuses.at(-1)).toBe(429);
    expect(accepted).toBeGreaterThanOrEqual(60);
    expect(statuses.slice(0, accepted).every((s) => s === 202)).toBe(true);
    expect(rows('captures', f.id)).toBe(50);
    const page = await t.api('GET', `/api/flows/${f.id}/captures?limit=20`);
    expect(page.body.items[0].body).toBe(`{"n":${accepted - 1}}`);
    expect(page.body.total).toBe(50);
    const next = await t.api('GET', `/api/flows/${f.id}/captures?limit=50&cursor=${page.body.nextCursor}`);
    expect(next.body.items).toHaveLength(30);
    expect(next.body.items.at(-1).body).toBe(`{"n":${accepted - 50}}`);
  });
});

describe('an active flow that listens', () => {
  it('runs as usual and is captured too; a bad signature is still 401 and captured', async () => {
    const f = await flow({}, true);
    await t.api('POST', `/api/flows/${f.id}/listen`, {});
    const ok = await post(f.hook, BODY, github(BODY));
    expect(ok.status).toBe(202);
    expect((await finished(t, (await ok.json()).executionId)).status).toBe('succeeded');
    expect((await post(f.hook, BODY, github(BODY, 'nope'))).status).toBe(401);
    const list = await captures(f.id);
    expect(list.items.map((c: { live: boolean; signature: { ok: boolean } }) => [c.live, c.signature.ok])).toEqual([[true, false], [true, true]]);
    expect(await executionCount(t, f.id)).toBe(1);
  });
});
