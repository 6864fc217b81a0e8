/** The `hookflow` command (package.json "bin"): `npx hookflow` in the checkout, and `npm install -g` of the packed package. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../helpers/child-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const TOKEN = 'bin-test-token-0123456789abcdef';

describe('npx hookflow in the checkout', () => {
  it('answers --help with exit 0, its progress (if any) on stderr so stdout is the command\'s own', async () => {
    const r = await run('npx', ['hookflow', '--help'], { cwd: ROOT, timeout: 60_000 });
    expect(r.stdout).toMatch(/^Hookflow: webhook-triggered workflow automation\.\n\nUsage: hookflow \[command\]/);
    expect(r.stdout).not.toContain('building');
  });
});

describe('npm install -g of the packed package', { timeout: 180_000 }, () => {
  let dir: string;
  let bin: string;
  const env = (): Record<string, string> => ({ PATH: process.env.PATH ?? '', HOME: join(dir, 'home'), HOOKFLOW_DATA_DIR: join(dir, 'data'), HOOKFLOW_LOG_LEVEL: 'warn' });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookflow-global-'));
    // prepack brings dist/ and web/dist up to date (a no-op after the test run's global setup built them).
    await run('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: ROOT, timeout: 120_000 });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error('npm pack wrote no tarball');
    await run('npm', ['install', '-g', '--prefix', join(dir, 'global'), '--prefer-offline', '--no-audit', '--no-fund', join(dir, tgz)], { cwd: dir, timeout: 150_000 });
    bin = join(dir, 'global', 'bin', 'hookflow');
  }, 180_000);
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('installs a hookflow command that migrates and passes doctor (a real sandbox round trip)', async () => {
    expect((await run(bin, ['--help'], { cwd: dir, env: env() })).stdout).toContain('Usage: hookflow');
    await run(bin, ['migrate'], { cwd: dir, env: env() });
    const doctor = await run(bin, ['doctor'], { cwd: dir, env: env(), timeout: 60_000 });
    expect(doctor.stdout).toContain('ok    sandbox');
    expect(doctor.stdout).toContain('all checks passed');
  });

  it('serves the editor it was packed with and runs a transform', async () => {
    const port = await freePort();
    const proc = spawn(bin, ['start'], { cwd: dir, env: { ...env(), HOOKFLOW_PORT: String(port), HOOKFLOW_HOST: '127.0.0.1', HOOKFLOW_API_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    try {
      const url = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 30_000;
      while (!(await fetch(`${url}/readyz`).then((r) => r.ok, () => false))) {
        if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`not ready: ${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await (await fetch(`${url}/`)).text()).toContain('<div id="root">');
      const created = await fetch(`${url}/api/flows`, {
        method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'global', active: true, edges: [{ from: 'hook', to: 'calc' }, { from: 'calc', to: 'answer' }], nodes: [
          { id: 'hook', type: 'webhook', params: { response: { mode: 'sync' } } },
          { id: 'calc', type: 'transform', params: { code: 'return { doubled: input.body.n * 2 }' } },
          { id: 'answer', type: 'respond', params: { body: '{{ input }}' } }] }),
      });
      const flow = await created.json();
      expect(created.status, JSON.stringify(flow)).toBe(201);
      const res = await fetch(flow.webhook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":21}' });
      expect(await res.json()).toEqual({ doubled: 42 });
      proc.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      proc.kill('SIGKILL');
    }
  });
});
