/** The http node's credential-backed `auth` against a real receiver on loopback: basic and header credentials, never recorded. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';

const hook = { id: 'hook', type: 'webhook', params: {} };
const PASSWORD = 'pa55-canary-basic-5b2c9e';
const TOKEN = 'Bearer canary-token-8f41d07a';

describe('http node auth from a credential', () => {
  let t: TestApp;
  const receivers: Receiver[] = [];
  beforeAll(async () => { t = await startTestApp({ HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true' }); });
  afterEach(async () => { await Promise.all(receivers.splice(0).map((r) => r.close())); });
  afterAll(async () => { await t.close(); });

  const credential = async (type: string, data: Record<string, unknown>) => {
    const r = await t.api('POST', '/api/credentials', { name: `${type} for the receiver`, type, data });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };

  async function call(auth: unknown, headers?: Record<string, string>) {
    const rx = await startReceiver();
    receivers.push(rx);
    const f = await activeFlow(t, [hook, { id: 'call', type: 'http', params: { url: `${rx.url}/in`, auth, ...(headers ? { headers } : {}) }, retry: { maxAttempts: 1 } }],
      [{ from: 'hook', to: 'call' }]);
    const accepted = await post(f.hook, '{"n":1}');
    const { executionId } = (await accepted.json()) as { executionId: string };
    return { rx, e: await finished(t, executionId, 15_000) };
  }

  it('sends Authorization: Basic from a basic credential, and the password appears in no record', async () => {
    const id = await credential('basic', { username: 'shop', password: PASSWORD });
    const { rx, e } = await call({ kind: 'basic', credentialId: id });
    expect(e.status).toBe('succeeded');
    expect(rx.requests[0].headers.authorization).toBe(`Basic ${Buffer.from(`shop:${PASSWORD}`).toString('base64')}`);
    const detail = JSON.stringify((await t.api('GET', `/api/executions/${e.id}`)).body);
    const flows = JSON.stringify((await t.api('GET', '/api/flows')).body);
    for (const text of [detail, flows]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(Buffer.from(`shop:${PASSWORD}`).toString('base64'));
    }
  });

  it('sends a header credential (a bearer token) over a same-named header in params, and never stores it in plain text', async () => {
    const id = await credential('header', { name: 'Authorization', value: TOKEN });
    const { rx, e } = await call({ kind: 'header', credentialId: id }, { Authorization: 'from params' });
    expect(e.status).toBe('succeeded');
    expect(rx.requests[0].headers.authorization).toBe(TOKEN);
    t.app.store.raw.db.pragma('wal_checkpoint(TRUNCATE)');
    const db = readFileSync(join(t.dataDir, 'hookflow.db'));
    expect(db.includes(Buffer.from('canary-token-8f41d07a'))).toBe(false);
  });

  it('fails the step, sending nothing, when a header credential names a header the transport sets', async () => {
    const id = await credential('header', { name: 'Host', value: 'elsewhere.example' });
    const { rx, e } = await call({ kind: 'header', credentialId: id });
    expect(e.status).toBe('failed');
    const step = (e.steps as Array<{ nodeId: string; error?: { code: string; message: string } }>).find((x) => x.nodeId === 'call');
    expect(step?.error).toMatchObject({ code: 'credential_invalid', message: expect.stringContaining('"host"') });
    expect(rx.requests).toHaveLength(0);
  });

  it('refuses at save time a missing credential id, an unknown one and one of the wrong type, naming the field', async () => {
    const smtp = await credential('smtp', { host: '127.0.0.1', port: 2525, secure: false });
    const cases: Array<[unknown, RegExp]> = [
      [{ kind: 'basic' }, /is required for basic auth|needs a credential id/],
      [{ kind: 'header', credentialId: 'cred_nope' }, /no credential/],
      [{ kind: 'basic', credentialId: smtp }, /type smtp; auth kind "basic" needs type basic/],
    ];
    for (const [auth, message] of cases) {
      const r = await t.api('POST', '/api/flows', { name: 'bad auth', nodes: [hook, { id: 'call', type: 'http', params: { url: 'http://127.0.0.1:9/x', auth } }], edges: [{ from: 'hook', to: 'call' }] });
      expect(r.status).toBe(400);
      const problem = (r.body.error.details as Array<{ nodeId: string; field: string; message: string }>).find((d) => d.nodeId === 'call');
      expect(problem?.field).toMatch(/auth\.credentialId/);
      expect(problem?.message).toMatch(message);
    }
  });
});
