// test/integration/credentials-canary.test.ts — A-6, A-7, A-8: a canary secret never leaves the vault (API, exports, executions, DB bytes); tampering, moved rows and a wrong key fail loudly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { signPreset } from '../../server/ingress/signing.js';
import { KEY_MISMATCH } from '../../server/credentials/key-check.js';
import { createCredential, digestOf, leaks, readCredentialNode } from './credentials-helpers.js';

const CANARY = 'canary-7f3e9d+"q"/&';
const GITHUB = { kind: 'hmac', preset: 'github' } as const;
const JSON_CT = { 'content-type': 'application/json' };
const now = () => Math.floor(Date.now() / 1000);
const reader = (credentialId: string, type: string) => ({ id: 'read', type: 'test-read-credential', params: { credentialId, type } });
const hook = (auth?: Record<string, unknown>) => ({ id: 'hook', type: 'webhook', params: auth ? { auth } : {} });

/** Flips one bit of the ciphertext part of a sealed value (`v1.<iv>.<tag>.<ct>`). */
function flipCiphertext(sealed: string): string {
  const parts = sealed.split('.');
  const ct = Buffer.from(parts[3], 'base64url');
  ct[ct.length - 1] ^= 0x80;
  parts[3] = ct.toString('base64url');
  return parts.join('.');
}

describe('the canary scan', () => {
  it('finds the canary raw, JSON-escaped, URL-encoded and inside base64 at any alignment', () => {
    for (const prefix of ['', 'shop:', 'ab', 'abc']) {
      expect(leaks(`Basic ${Buffer.from(`${prefix}${CANARY}!`).toString('base64')}`, CANARY), prefix).not.toEqual([]);
      expect(leaks(Buffer.from(`${prefix}${CANARY}`).toString('base64url'), CANARY), prefix).not.toEqual([]);
    }
    expect(leaks(JSON.stringify({ v: CANARY }), CANARY)).not.toEqual([]);
    expect(leaks(`?v=${encodeURIComponent(CANARY)}`, CANARY)).not.toEqual([]);
    expect(leaks('canary-7f3e9d', CANARY)).toEqual([]);
  });
});

describe('canary secret', () => {
  let t: TestApp;
  const seen: string[] = [];
  const ids: Record<string, string> = {};
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await t.api(method, path, body);
    seen.push(JSON.stringify(r.body ?? null));
    return r;
  };

  beforeAll(async () => {
    t = await startTestApp({}, undefined, { extraNodes: [readCredentialNode] });
    ids.hmac = await createCredential(t, 'hmac', { secret: CANARY });
    ids.basic = await createCredential(t, 'basic', { username: 'shop', password: CANARY });
    ids.header = await createCredential(t, 'header', { name: 'x-api-key', value: CANARY });
    ids.smtp = await createCredential(t, 'smtp', { host: '127.0.0.1', port: 2525, secure: false, user: 'u', pass: CANARY });
  });
  afterAll(async () => { await t.close(); });

  it('appears in no API answer, flow export or execution record, and not in the SQLite file (A-6, A-7, A-10)', async () => {
    const gh = await activeFlow(t, [hook({ ...GITHUB, credentialId: ids.hmac })], []);
    const basic = await activeFlow(t, [hook({ kind: 'basic', credentialId: ids.basic })], []);
    const header = await activeFlow(t, [hook({ kind: 'header', credentialId: ids.header })], []);
    const read = await activeFlow(t, [hook(), reader(ids.smtp, 'smtp')], [{ from: 'hook', to: 'read' }]);
    const runs = [
      await post(gh.hook, '{"a":1}', { ...JSON_CT, ...signPreset(GITHUB, CANARY, '{"a":1}', now()) }),
      await post(basic.hook, '{}', { ...JSON_CT, authorization: `Basic ${Buffer.from(`shop:${CANARY}`).toString('base64')}` }),
      await post(header.hook, '{}', { ...JSON_CT, 'x-api-key': CANARY }),
      await post(read.hook, '{}', JSON_CT),
    ];
    expect(runs.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    const executions = await Promise.all(runs.map(async (r) => finished(t, (await r.json()).executionId)));
    expect(executions.map((e) => e.status)).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    expect(executions[3].steps[1].output.digest).toBe(digestOf({ host: '127.0.0.1', port: 2525, secure: false, user: 'u', pass: CANARY }));
    // Rejected attempts carrying the canary, and invalid data with the canary in it, echo nothing either.
    await post(header.hook, '{}', { ...JSON_CT, 'x-api-key': `${CANARY}x` });
    await api('POST', '/api/credentials', { name: 'bad', type: 'header', data: { name: 'x-k', value: ` ${CANARY}` } });
    await api('POST', '/api/credentials', { name: 'bad', type: 'standard-webhooks', data: { secret: CANARY } });
    await api('POST', '/api/credentials', { name: 'bad', type: 'basic', data: { username: CANARY, password: 'p' } });
    await api('POST', '/api/credentials', { name: 'bad', type: 'hmac', data: { secret: 's', [CANARY]: CANARY } });
    await api('PUT', `/api/credentials/${ids.hmac}`, { data: { secret: CANARY } });
    await api('GET', '/api/credentials');
    for (const id of Object.values(ids)) await api('GET', `/api/credentials/${id}`);
    await api('GET', '/api/flows');
    for (const f of [gh, basic, header, read]) await api('GET', `/api/flows/${f.id}`);
    await api('GET', '/api/executions');
    for (const e of executions) await api('GET', `/api/executions/${e.id}`);
    expect(seen.length).toBeGreaterThan(15);
    expect(leaks(seen.join('\n'), CANARY)).toEqual([]);
    for (const file of ['hookflow.db', 'hookflow.db-wal']) {
      const path = join(t.dataDir, file);
      if (existsSync(path)) expect(leaks(readFileSync(path), CANARY), file).toEqual([]);
    }
    // The scan can find what it looks for: the same bytes do hold the (non-secret) credential names.
    expect(readFileSync(join(t.dataDir, 'hookflow.db-wal')).includes('header credential')).toBe(true);
  });

  it('one flipped ciphertext byte → credential_unreadable for nodes, 401 for webhooks (A-7)', async () => {
    const id = await createCredential(t, 'hmac', { secret: 'to-be-tampered' });
    const f = await activeFlow(t, [hook({ ...GITHUB, credentialId: id }), reader(id, 'hmac')], [{ from: 'hook', to: 'read' }]);
    const db = t.app.store.raw.db;
    const sealed = db.prepare('SELECT data_enc FROM credentials WHERE id = ?').pluck().get(id) as string;
    db.prepare('UPDATE credentials SET data_enc = ? WHERE id = ?').run(flipCiphertext(sealed), id);
    const signed = { ...JSON_CT, ...signPreset(GITHUB, 'to-be-tampered', '{}', now()) };
    expect((await post(f.hook, '{}', signed)).status).toBe(401);
    db.prepare('UPDATE credentials SET data_enc = ? WHERE id = ?').run(sealed, id);
    const ok = await post(f.hook, '{}', signed);
    expect(ok.status).toBe(202);
    expect((await finished(t, (await ok.json()).executionId)).status).toBe('succeeded');

    const fresh = await createCredential(t, 'smtp', { host: 'h', port: 25, secure: false });
    const g = await activeFlow(t, [hook(), reader(fresh, 'smtp')], [{ from: 'hook', to: 'read' }]);
    const s2 = db.prepare('SELECT data_enc FROM credentials WHERE id = ?').pluck().get(fresh) as string;
    db.prepare('UPDATE credentials SET data_enc = ? WHERE id = ?').run(flipCiphertext(s2), fresh);
    const e = await finished(t, (await (await post(g.hook, '{}')).json()).executionId);
    expect(e.status).toBe('failed');
    expect(e.error.code).toBe('credential_unreadable');
  });

  it('a sealed value copied to another row id cannot be opened there (AAD)', async () => {
    const a = await createCredential(t, 'smtp', { host: 'a.example', port: 25, secure: false });
    const b = await createCredential(t, 'smtp', { host: 'b.example', port: 25, secure: false });
    const db = t.app.store.raw.db;
    db.prepare('UPDATE credentials SET data_enc = (SELECT data_enc FROM credentials WHERE id = ?) WHERE id = ?').run(a, b);
    const f = await activeFlow(t, [hook(), reader(b, 'smtp')], [{ from: 'hook', to: 'read' }]);
    const e = await finished(t, (await (await post(f.hook, '{}')).json()).executionId);
    expect(e.error.code).toBe('credential_unreadable');
  });
});

describe('master key handling (A-8)', () => {
  it('creates the key file with mode 0600, restarts with it, and refuses a different HOOKFLOW_SECRET_KEY', async () => {
    const t = await startTestApp();
    const keyFile = join(t.dataDir, 'secret.key');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const id = await createCredential(t, 'header', { name: 'x-k', value: 'persisted-token' });
    const f = await activeFlow(t, [hook({ kind: 'header', credentialId: id })], []);
    await t.close({ keepData: true });
    const keyBefore = readFileSync(keyFile, 'utf8');

    await expect(startTestApp({ HOOKFLOW_SECRET_KEY: randomBytes(32).toString('hex') }, t.dataDir)).rejects.toThrow(KEY_MISMATCH);
    expect(readFileSync(keyFile, 'utf8')).toBe(keyBefore);

    const again = await startTestApp({}, t.dataDir);
    try {
      expect((await post(`${again.url}/hooks/${f.token}`, '{}', { ...JSON_CT, 'x-k': 'persisted-token' })).status).toBe(202);
    } finally {
      await again.close();
    }
  });
});
