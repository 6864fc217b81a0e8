/** `hookflow start` at a terminal (a real pseudo-terminal, through util-linux `script`) and in a pipe: banner, log format, HOOKFLOW_LOG_FORMAT. */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/child-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

interface Started { out: string; port: number; dataDir: string }

/**
 * Starts the server (sources through tsx), in a pseudo-terminal when `tty`, reads its output until the sandbox
 * child is ready (the last start-up line), then stops the whole process group.
 */
async function start(tty: boolean, env: Record<string, string> = {}): Promise<Started> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'hookflow-term-'));
  dirs.push(dataDir);
  const cmd = 'exec node --no-node-snapshot --import tsx server/cli.ts start';
  const [file, args] = tty ? ['script', ['-qfec', cmd, '/dev/null']] : ['sh', ['-c', cmd]];
  const { NO_COLOR: _n, FORCE_COLOR: _f, HOOKFLOW_LOG_FORMAT: _l, ...inherited } = process.env;
  const proc = spawn(file, args, {
    cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...inherited, TERM: 'xterm', HOOKFLOW_PORT: String(port), HOOKFLOW_HOST: '127.0.0.1', HOOKFLOW_DATA_DIR: dataDir, HOOKFLOW_LOG_LEVEL: 'info', ...env },
  });
  let out = '';
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "sandbox child ready" within 30 s:\n${out}`)), 30_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (out.includes('sandbox child ready')) { clearTimeout(timer); resolve(); }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}:\n${out}`)); });
  });
  process.kill(-proc.pid!, 'SIGTERM');
  await exited;
  return { out: out.replace(/\r\n/g, '\n'), port, dataDir };
}

const logLines = (out: string): string[] => out.split('\n').filter((l) => /^\{|^(\x1b\[\d+m)?\d\d:\d\d:\d\d\.\d{3}/.test(l));

describe('hookflow start, for a person and for a machine', { timeout: 60_000 }, () => {
  it('at a terminal: a short banner (URL, data directory, setup link) and readable, coloured log lines', async () => {
    const s = await start(true);
    expect(s.out).toContain('Hookflow is running');
    expect(s.out).toMatch(new RegExp(`Editor and API +\\S*http://127\\.0\\.0\\.1:${s.port}`));
    expect(s.out).toContain(`Data directory   ${s.dataDir}`);
    expect(s.out).toMatch(new RegExp(`First, open +\\S*http://127\\.0\\.0\\.1:${s.port}/setup\\?token=[A-Za-z0-9_-]{20,}`));
    const lines = logLines(s.out);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.filter((l) => l.startsWith('{'))).toEqual([]);
    expect(s.out).toMatch(/\x1b\[32mINFO \x1b\[0m hookflow listening/);
  });

  it('with an owner configured, the banner has no setup link', async () => {
    const s = await start(true, { HOOKFLOW_OWNER_EMAIL: 'owner@example.test', HOOKFLOW_OWNER_PASSWORD: 'a long enough passphrase 42' });
    expect(s.out).toContain('Hookflow is running');
    expect(s.out).not.toContain('First, open');
  });

  it('in a pipe: JSON lines only, no banner', async () => {
    const s = await start(false);
    expect(s.out).not.toContain('Hookflow is running');
    const lines = s.out.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('hookflow: SIGTERM'));
    for (const l of lines) expect(() => JSON.parse(l), l).not.toThrow();
    expect(lines.some((l) => JSON.parse(l).setupUrl !== undefined)).toBe(true);
  });

  it('HOOKFLOW_LOG_FORMAT=json at a terminal and =pretty in a pipe (then without colours)', async () => {
    const json = await start(true, { HOOKFLOW_LOG_FORMAT: 'json' });
    expect(json.out).not.toContain('Hookflow is running');
    expect(logLines(json.out).every((l) => l.startsWith('{'))).toBe(true);
    const pretty = await start(false, { HOOKFLOW_LOG_FORMAT: 'pretty' });
    expect(pretty.out).toContain('Hookflow is running');
    expect(pretty.out).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  hookflow listening url=/m);
    expect(pretty.out).not.toContain('\x1b[');
  });
});
