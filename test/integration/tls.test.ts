import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestApp, TEST_TOKEN, eventually } from '../helpers/app.js';
import { freePort } from '../helpers/child-server.js';
import { httpsCall, makeCert, type TestCert } from '../helpers/tls-certs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const auth = { authorization: `Bearer ${TEST_TOKEN}` };

let dir: string;
let a: TestCert;
let b: TestCert;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hookflow-tls-'));
  a = makeCert(dir, 'a');
  b = makeCert(dir, 'b');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `hookflow start` as a real process; output collected for log assertions. */
function spawnServer(env: Record<string, string>): { proc: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'server/cli.ts', 'start'], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '', HOOKFLOW_HOST: '127.0.0.1', HOOKFLOW_API_TOKEN: TEST_TOKEN, HOOKFLOW_LOG_LEVEL: 'info', ...env },
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, output: () => out, exited };
}

describe('HTTPS served by Hookflow', () => {
  it('answers /healthz, the API and a webhook over TLS with the configured certificate', async () => {
    const t = await startTestApp({ HOOKFLOW_TLS_CERT: a.cert, HOOKFLOW_TLS_KEY: a.key }, join(dir, 'inproc'));
    try {
      expect(t.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const health = await httpsCall(`${t.url}/healthz`, { ca: [a.pem] });
      expect(health.status).toBe(200);
      expect(health.fingerprint256).toBe(a.fingerprint256);
      const nodes = [{ id: 'hook', type: 'webhook', position: { x: 0, y: 0 }, params: { methods: ['POST'], response: { mode: 'async' } } }];
      const created = await httpsCall(`${t.url}/api/flows`, {
        ca: [a.pem], method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'tls', active: true, nodes, edges: [] }),
      });
      expect(created.status).toBe(201);
      const hook: string = JSON.parse(created.body).webhook.url;
      expect(hook.startsWith(`${t.url}/hooks/`)).toBe(true);
      const accepted = await httpsCall(hook, { ca: [a.pem], method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
      expect(accepted.status).toBe(202);
      const { executionId } = JSON.parse(accepted.body);
      const done = await eventually(async () => {
        const r = await httpsCall(`${t.url}/api/executions/${executionId}`, { ca: [a.pem], headers: auth });
        const e = JSON.parse(r.body);
        return e.status === 'succeeded' && e;
      });
      expect(done.trigger?.body ?? done.steps?.[0]?.output?.body).toEqual({ n: 1 });
    } finally {
      await t.close();
    }
  });

  it('SIGHUP swaps the certificate for new connections, keeps open ones, and survives a broken key', async () => {
    const live = { cert: join(dir, 'live.crt'), key: join(dir, 'live.key') };
    copyFileSync(a.cert, live.cert);
    copyFileSync(a.key, live.key);
    const port = await freePort();
    const url = `https://127.0.0.1:${port}`;
    const s = spawnServer({ HOOKFLOW_PORT: String(port), HOOKFLOW_DATA_DIR: join(dir, 'child'), HOOKFLOW_TLS_CERT: live.cert, HOOKFLOW_TLS_KEY: live.key });
    const ca = [a.pem, b.pem];
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await eventually(async () => (await httpsCall(`${url}/healthz`, { ca }).catch(() => undefined))?.status === 200, 30_000, 100);
      const before = await httpsCall(`${url}/healthz`, { ca, agent: keepAlive });
      expect(before.fingerprint256).toBe(a.fingerprint256);

      copyFileSync(b.cert, live.cert);
      copyFileSync(b.key, live.key);
      s.proc.kill('SIGHUP');
      await eventually(async () => s.output().includes('TLS certificate reloaded'), 10_000);
      const fresh = await httpsCall(`${url}/healthz`, { ca });
      expect(fresh.status).toBe(200);
      expect(fresh.fingerprint256).toBe(b.fingerprint256);
      // The kept-alive connection was set up with the old certificate and still carries requests.
      const old = await httpsCall(`${url}/healthz`, { ca, agent: keepAlive });
      expect(old.status).toBe(200);
      expect(old.localPort).toBe(before.localPort);
      expect(old.fingerprint256).toBe(a.fingerprint256);

      writeFileSync(live.key, '-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n');
      s.proc.kill('SIGHUP');
      await eventually(async () => s.output().includes('TLS reload failed'), 10_000);
      expect(s.output()).toMatch(/TLS reload failed, still serving the previous certificate: HOOKFLOW_TLS_KEY: .*live\.key is not an unencrypted PEM private key/);
      expect(s.output()).not.toContain('broken');
      const after = await httpsCall(`${url}/healthz`, { ca });
      expect(after.status).toBe(200);
      expect(after.fingerprint256).toBe(b.fingerprint256);
      expect(s.proc.exitCode).toBeNull();
    } finally {
      keepAlive.destroy();
      s.proc.kill('SIGTERM');
      await s.exited;
    }
  });

  it('a missing or mismatched file stops start-up with one line naming the variable (exit 78), before touching the data dir', async () => {
    const missingData = join(dir, 'never-missing');
    const mismatchData = join(dir, 'never-mismatch');
    const missing = spawnServer({ HOOKFLOW_PORT: '0', HOOKFLOW_DATA_DIR: missingData, HOOKFLOW_TLS_CERT: join(dir, 'gone.crt'), HOOKFLOW_TLS_KEY: a.key });
    const mismatch = spawnServer({ HOOKFLOW_PORT: '0', HOOKFLOW_DATA_DIR: mismatchData, HOOKFLOW_TLS_CERT: a.cert, HOOKFLOW_TLS_KEY: b.key });
    expect(await missing.exited).toBe(78);
    expect(missing.output().trim()).toBe(`hookflow: bad configuration: HOOKFLOW_TLS_CERT: cannot read ${join(dir, 'gone.crt')} (ENOENT)`);
    expect(await mismatch.exited).toBe(78);
    expect(mismatch.output().trim()).toBe(`hookflow: bad configuration: HOOKFLOW_TLS_KEY: ${b.key} does not match the certificate in ${a.cert}`);
    expect(existsSync(missingData) || existsSync(mismatchData)).toBe(false);
  });
});
