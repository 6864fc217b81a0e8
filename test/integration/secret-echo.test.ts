// A-14 (THREATS A-10): servers that echo what we sent them — an SMTP server quoting AUTH PLAIN, HTTP receivers
// returning our Authorization header — never put a credential's secret, in any encoding, into an answer, a log line,
// an execution record or the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { freePort, startChildServer, type ChildServer } from '../helpers/child-server.js';
import { TEST_TOKEN } from '../helpers/app.js';
import { post } from '../helpers/flows.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';
import { leaks } from './credentials-helpers.js';

const CANARY = 'canary-7f3e9d+"q"/&';
const JSON_CT = { 'content-type': 'application/json' };

/** An SMTP server that requires AUTH and refuses it, quoting the credentials in every encoding it was given them. */
async function echoingSmtp(): Promise<{ port: number; auths(): number; close(): Promise<void> }> {
  let auths = 0;
  const server = new SMTPServer({
    logger: false, disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      auths++;
      const plain = Buffer.from(`\u0000${auth.username}\u0000${auth.password}`).toString('base64');
      const err = Object.assign(new Error(`5.7.8 Authentication failed: AUTH PLAIN ${plain} user=${auth.username} pass=${auth.password} `
        + `(${encodeURIComponent(auth.password ?? '')}, ${Buffer.from(auth.password ?? '').toString('base64')})`), { responseCode: 535 });
      cb(err);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const a = server.server.address();
  return { port: typeof a === 'object' && a ? a.port : 0, auths: () => auths, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('secrets echoed back by remote servers (A-14)', () => {
  let dir: string;
  let child: ChildServer;
  let smtp: Awaited<ReturnType<typeof echoingSmtp>>;
  let rx: Receiver;
  const seen: string[] = [];
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${child.url}${path}`, { method, headers: { authorization: `Bearer ${TEST_TOKEN}`, ...JSON_CT }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    seen.push(text);
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const credential = async (type: string, data: Record<string, unknown>) => (await api('POST', '/api/credentials', { name: type, type, data })).body.id as string;
  const flow = async (nodes: unknown[]) => {
    const r = await api('POST', '/api/flows', { name: 'echo', active: true, nodes, edges: nodes.slice(1).map((n) => ({ from: 'hook', to: (n as { id: string }).id })) });
    expect(r.status).toBe(201);
    return r.body.webhook.url as string;
  };
  const execution = async (id: string) => {
    for (let i = 0; i < 300; i++) {
      const e = await api('GET', `/api/executions/${id}`);
      if (['succeeded', 'failed'].includes(e.body.status)) return e.body;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('execution did not finish');
  };

  beforeAll(async () => {
    smtp = await echoingSmtp();
    // Echoes the request's headers in the body and in a response header; /fail answers 500 with the same body.
    rx = await startReceiver((req, res) => {
      const echo = JSON.stringify({ got: req.headers, raw: `${req.headers.authorization ?? ''} ${req.headers['x-api-key'] ?? ''}` });
      res.writeHead(req.url.startsWith('/fail') ? 500 : 200, { 'content-type': 'application/json', 'x-echo': req.headers.authorization ?? req.headers['x-api-key'] ?? '' });
      res.end(echo);
    });
    dir = mkdtempSync(join(tmpdir(), 'hookflow-echo-'));
    child = await startChildServer(dir, await freePort(), { HOOKFLOW_LOG_LEVEL: 'debug', HOOKFLOW_ALLOWED_HOSTS: '127.0.0.1' });
  });
  afterAll(async () => {
    await child.kill('SIGTERM');
    await smtp.close();
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('A-14: an SMTP server quoting AUTH PLAIN (base64) and the password: nothing of it in the sync answer, logs, record or database', async () => {
    const id = await credential('smtp', { host: '127.0.0.1', port: smtp.port, secure: false, user: 'mailer', pass: CANARY });
    const hook = await flow([
      { id: 'hook', type: 'webhook', params: { response: { mode: 'sync', timeoutMs: 15_000 } } },
      { id: 'mail', type: 'email', retry: { maxAttempts: 1 }, params: { credentialId: id, from: 'shop@example.test', to: 'ann@example.test', subject: 'Hi', text: 'x' } },
    ]);
    const res = await post(hook, '{}');
    const answer = await res.text();
    seen.push(answer);
    expect(res.status).toBe(500);
    expect(smtp.auths()).toBe(1);
    const e = await execution(JSON.parse(answer).executionId);
    expect(e.error.code).toBe('smtp_rejected');
    expect(e.error.message).toContain('[redacted]'); // the reply is kept, with the secret cut out
    expect(e.error.message).toContain('user=mailer');
  });

  it('A-14: HTTP receivers echoing our Authorization and API-key headers (200 and 500): nothing of the secret is recorded', async () => {
    const basic = await credential('basic', { username: 'shop', password: CANARY });
    const header = await credential('header', { name: 'x-api-key', value: CANARY });
    const okHook = await flow([
      { id: 'hook', type: 'webhook', params: { response: { mode: 'sync', timeoutMs: 15_000 } } },
      { id: 'call', type: 'http', params: { url: `${rx.url}/ok`, auth: { kind: 'basic', credentialId: basic } } },
    ]);
    const failHook = await flow([
      { id: 'hook', type: 'webhook', params: {} },
      { id: 'call', type: 'http', retry: { maxAttempts: 1 }, params: { url: `${rx.url}/fail`, auth: { kind: 'header', credentialId: header } } },
    ]);
    const ok = await post(okHook, '{}');
    const okText = await ok.text();
    seen.push(okText);
    expect(ok.status).toBe(200);
    expect(JSON.parse(okText).headers['x-echo']).toBe('Basic [redacted]');
    const failed = await post(failHook, '{}');
    const e = await execution((await failed.json()).executionId);
    expect(e.error.code).toBe('http_status_500');
    expect(rx.requests.map((r) => r.headers.authorization ?? r.headers['x-api-key'])).toHaveLength(2); // the receivers did get the secrets
    const list = await api('GET', '/api/executions');
    for (const item of list.body.items) await execution(item.id);
  });

  it('A-14: after all of the above, no form of the secret is in any answer, the debug log or the database file', async () => {
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.length).toBeGreaterThan(5);
    expect(leaks(seen.join('\n'), CANARY)).toEqual([]);
    expect(child.output()).toContain('hookflow listening');
    expect(leaks(child.output(), CANARY)).toEqual([]);
    for (const file of ['hookflow.db', 'hookflow.db-wal']) {
      const path = join(dir, file);
      if (existsSync(path)) expect(leaks(readFileSync(path), CANARY), file).toEqual([]);
    }
  });
});
