// test/integration/credentials-log-canary.test.ts — a real `hookflow start` process: debug logs never carry a credential's secret, and a wrong key stops start-up with a clear line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort, startChildServer, type ChildServer } from '../helpers/child-server.js';
import { TEST_TOKEN } from '../helpers/app.js';
import { post } from '../helpers/flows.js';
import { signPreset } from '../../server/ingress/signing.js';
import { KEY_MISMATCH } from '../../server/credentials/key-check.js';
import { leaks } from './credentials-helpers.js';

const CANARY = 'canary-7f3e9d+"q"/&';
const KEY = randomBytes(32).toString('hex');
const GITHUB = { kind: 'hmac', preset: 'github' } as const;
const JSON_CT = { 'content-type': 'application/json' };

describe('a child server at log level debug', () => {
  let dir: string;
  let child: ChildServer;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${child.url}${path}`, {
      method, headers: { authorization: `Bearer ${TEST_TOKEN}`, ...JSON_CT }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookflow-logcanary-'));
    child = await startChildServer(dir, await freePort(), { HOOKFLOW_LOG_LEVEL: 'debug', HOOKFLOW_SECRET_KEY: KEY });
  });
  afterAll(async () => {
    await child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs no form of the canary through credential, flow and webhook traffic', async () => {
    const hmac = await api('POST', '/api/credentials', { name: 'gh', type: 'hmac', data: { secret: CANARY } });
    const header = await api('POST', '/api/credentials', { name: 'tok', type: 'header', data: { name: 'x-api-key', value: CANARY } });
    expect([hmac.status, header.status]).toEqual([201, 201]);
    expect((await api('POST', '/api/credentials', { name: 'bad', type: 'basic', data: { username: `${CANARY}:`, password: CANARY } })).status).toBe(400);
    const broken = await fetch(`${child.url}/api/credentials`, {
      method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}`, ...JSON_CT }, body: `{"name":"x","type":"hmac","data":{"secret":"${CANARY}`,
    });
    expect(broken.status).toBe(400);
    const flow = async (auth: Record<string, unknown>) =>
      (await api('POST', '/api/flows', { name: 'f', active: true, nodes: [{ id: 'hook', type: 'webhook', params: { auth } }], edges: [] })).body.webhook.url as string;
    const gh = await flow({ ...GITHUB, credentialId: hmac.body.id });
    const tok = await flow({ kind: 'header', credentialId: header.body.id });
    const now = Math.floor(Date.now() / 1000);
    expect((await post(gh, '{}', { ...JSON_CT, ...signPreset(GITHUB, CANARY, '{}', now) })).status).toBe(202);
    expect((await post(gh, '{"x":1}', { ...JSON_CT, ...signPreset(GITHUB, CANARY, '{}', now) })).status).toBe(401);
    expect((await post(tok, '{}', { ...JSON_CT, 'x-api-key': CANARY })).status).toBe(202);
    expect((await post(tok, '{}', { ...JSON_CT, 'x-api-key': `${CANARY}!` })).status).toBe(401);
    expect((await api('PUT', `/api/credentials/${hmac.body.id}`, { data: { secret: `${CANARY}\nsecond` } })).status).toBe(200);
    expect((await api('DELETE', `/api/credentials/${hmac.body.id}`)).status).toBe(409);
    await new Promise((r) => setTimeout(r, 300));
    const out = child.output();
    expect(out).toContain('hookflow listening');
    expect(leaks(out, CANARY)).toEqual([]);
  });

  it('a second start on the same directory with another HOOKFLOW_SECRET_KEY exits with the clear message', async () => {
    const other = randomBytes(32).toString('hex');
    const failed = await startChildServer(dir, await freePort(), { HOOKFLOW_SECRET_KEY: other }).then(() => 'started', (e: Error) => e.message);
    expect(failed).toContain(`hookflow: could not start: ${KEY_MISMATCH}`);
    expect(failed).not.toContain(other);
    expect(failed).not.toContain(KEY);
  });
});
