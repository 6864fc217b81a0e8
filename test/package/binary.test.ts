/** The single binary (`npm run package`), copied alone into an empty folder with no node on PATH: CLI, server, sandbox child, assets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/child-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TOKEN = 'binary-test-token-0123456789abcdef';

interface Run { code: number | null; out: string; err: string }

describe('the single binary', () => {
  let dir: string;
  let bin: string;
  let env: Record<string, string>;
  const started = Date.now();

  const run = (args: string[], extra: Record<string, string> = {}): Promise<Run> => new Promise((resolve) => {
    execFile(bin, args, { cwd: join(dir, 'bin'), env: { ...env, ...extra }, timeout: 30_000 }, (e, out, err) => {
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, out, err });
    });
  });
  const cacheDirs = (): string[] => readdirSync(join(dir, 'home', '.cache', 'hookflow')).map((d) => join(dir, 'home', '.cache', 'hookflow', d));

  beforeAll(async () => {
    await new Promise<void>((resolve, reject) => {
      execFile(process.execPath, ['scripts/package.mjs'], { cwd: ROOT, timeout: 240_000 }, (e, out, err) => (e ? reject(new Error(`${e.message}\n${out}\n${err}`)) : resolve()));
    });
    dir = mkdtempSync(join(tmpdir(), 'hookflow-binary-'));
    for (const d of ['bin', 'home', 'tmp', 'empty-path']) mkdirSync(join(dir, d));
    bin = join(dir, 'bin', 'hookflow');
    copyFileSync(join(ROOT, 'release', 'hookflow-linux-x64'), bin);
    chmodSync(bin, 0o755);
    // No node anywhere on PATH; HOME (the extraction cache) and TMPDIR inside the test folder.
    env = { PATH: join(dir, 'empty-path'), HOME: join(dir, 'home'), TMPDIR: join(dir, 'tmp'), HOOKFLOW_DATA_DIR: join(dir, 'data'), HOOKFLOW_LOG_LEVEL: 'warn' };
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`binary test: ${((Date.now() - started) / 1000).toFixed(1)} s including the build\n`);
  });

  it('answers --help with exit 0 and extracts its assets to a private, versioned cache folder', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: hookflow');
    expect(readdirSync(join(dir, 'bin'))).toEqual(['hookflow']);
    const [cache] = cacheDirs();
    expect(cache).toMatch(/[/][0-9a-f]{16}$/);
    expect(statSync(cache).mode & 0o777).toBe(0o700);
    expect(readdirSync(cache).sort()).toEqual(['migrations', 'native', 'web']);
    expect(readdirSync(join(cache, 'native')).sort()).toEqual(['better_sqlite3.node', 'isolated_vm.node']);
  });

  it('serves the editor, runs a transform in its own sandbox child and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const proc = spawn(bin, ['start'], { cwd: join(dir, 'bin'), env: { ...env, HOOKFLOW_PORT: String(port), HOOKFLOW_HOST: '127.0.0.1', HOOKFLOW_API_TOKEN: TOKEN }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    proc.stderr?.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitHealthy(url, proc, () => out);
      expect(await (await fetch(`${url}/`)).text()).toContain('<div id="root">');
      const hook = await createFlow(url);
      const res = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"items":[{"price":2.5,"qty":2},{"price":1,"qty":3}]}' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ total: 8, where: 'sandbox' });
      const child = sandboxChild(proc.pid!);
      expect(child.argv.slice(1, 2)).toEqual(['--hookflow-sandbox-child']);
      // --no-node-snapshot comes from the SEA config's execArgv, not from the environment.
      expect(child.env.filter((e) => e.startsWith('NODE_OPTIONS='))).toEqual([]);
      expect(child.env.join('\n')).not.toContain(TOKEN);
      proc.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      proc.kill('SIGKILL');
    }
  }, 60_000);

  it('passes hookflow doctor on the data folder the server used', async () => {
    const r = await run(['doctor']);
    expect(r.out).toContain('ok    sandbox');
    expect(r.out).toContain('all checks passed');
    expect(r.code).toBe(0);
  });

  it('starts without the startup snapshot by its SEA execArgv, with no NODE_OPTIONS, also as the sandbox child', async () => {
    const debug = { NODE_DEBUG_NATIVE: 'mksnapshot' };
    // The control: the very node it was built from deserialises its snapshot on a plain start.
    const plain = await new Promise<string>((resolve) => execFile(process.execPath, ['-e', '0'], { env: { ...env, ...debug } }, (_e, _o, err) => resolve(err)));
    expect(plain).toContain('deserializing');
    const cli = await run(['--help'], debug);
    expect(cli.code).toBe(0);
    expect(cli.err).not.toContain('deserializing');
    // Started as the sandbox child, it passes the --no-node-snapshot check (process.execArgv holds the flag) and
    // stops at the next one: no IPC channel, since no supervisor started it.
    const child = await run(['--hookflow-sandbox-child', '{}'], debug);
    expect(child.code).toBe(78);
    expect(child.err).toContain('refusing to start: no IPC channel');
    expect(child.err).not.toContain('deserializing');
  });

  it('rewrites a damaged extracted file on the next start', async () => {
    const [cache] = cacheDirs();
    const sql = join(cache, 'migrations', readdirSync(join(cache, 'migrations'))[0]);
    const good = readFileSync(sql);
    writeFileSync(sql, 'damaged');
    expect((await run(['--help'])).code).toBe(0);
    expect(readFileSync(sql).equals(good)).toBe(true);
  });

  it('refuses an extraction folder others can write to, naming HOOKFLOW_NATIVE_DIR', async () => {
    const open = join(dir, 'tmp', 'shared');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const r = await run(['migrate'], { HOOKFLOW_NATIVE_DIR: open });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${open} is writable by group or others (set HOOKFLOW_NATIVE_DIR to a private folder)`);
    expect(readdirSync(open)).toEqual([]);
  });
});

async function waitHealthy(url: string, proc: ChildProcess, out: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`binary exited ${proc.exitCode}: ${out()}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`binary did not start: ${out()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** webhook (sync) → transform (sandbox) → respond; returns the webhook URL. */
async function createFlow(url: string): Promise<string> {
  const flow = {
    name: 'binary', active: true,
    nodes: [
      { id: 'hook', type: 'webhook', params: { response: { mode: 'sync' } } },
      { id: 'calc', type: 'transform', params: { code: "return { total: input.body.items.reduce((s, i) => s + i.price * i.qty, 0), where: typeof process === 'undefined' ? 'sandbox' : 'host' };" } },
      { id: 'answer', type: 'respond', params: { body: '{{ input }}' } },
    ],
    edges: [{ from: 'hook', to: 'calc' }, { from: 'calc', to: 'answer' }],
  };
  const res = await fetch(`${url}/api/flows`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(flow) });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`flow not created: ${JSON.stringify(body)}`);
  return body.webhook.url;
}

/** The sandbox child of `pid` as Linux sees it: its argv and environment. */
function sandboxChild(pid: number): { argv: string[]; env: string[] } {
  const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  if (kids.length !== 1) throw new Error(`expected one sandbox child, found ${kids.length}`);
  const read = (f: string): string[] => readFileSync(`/proc/${kids[0]}/${f}`, 'utf8').split('\0').filter(Boolean);
  return { argv: read('cmdline'), env: read('environ') };
}
