/**
 * README.md's "Walk-through with curl", run as written: the shell blocks of that section are read from README.md
 * (never copied here), run by bash in this checkout with `npm start` against a fresh data directory on a free
 * loopback port, and every `# → …` line is checked against what the command before it printed (`…` = anything
 * on that line). It also times the first webhook (issue 12, item 5): from spawning the block, which runs
 * `npm start`, to the answer of the first curl to the flow's webhook URL; printed, with a generous bound only.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/child-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECTION = '## Walk-through with curl';

/** The section's ```sh blocks, joined. */
function walkthrough(md: string): string {
  const start = md.indexOf(SECTION);
  if (start < 0) throw new Error(`README.md has no "${SECTION}" section`);
  const end = md.indexOf('\n## ', start + SECTION.length);
  const section = md.slice(start, end < 0 ? undefined : end);
  const blocks = [...section.matchAll(/^```(?:sh|bash)\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  if (blocks.length === 0) throw new Error('the walk-through section has no sh block');
  return blocks.join('\n');
}

interface Check { expected: string[]; commands: string }

/**
 * The script with a marker printed before every comment line, and the checks: each run of `# → ` lines is what
 * the commands since the previous marker printed. Markers carry a millisecond timestamp.
 */
function instrument(script: string): { script: string; checks: Check[] } {
  const out: string[] = [];
  const checks: Check[] = [];
  let commands: string[] = [];
  let group: Check | undefined;
  for (const line of script.split('\n')) {
    const expect = /^# → ?(.*)$/.exec(line);
    if (expect) {
      if (!group) {
        group = { expected: [], commands: commands.join('\n') };
        checks.push(group);
        out.push(`printf '\\n@@check ${checks.length - 1} %s@@\\n' "$(date +%s%3N)"`);
      }
      group.expected.push(expect[1]);
      continue;
    }
    group = undefined;
    if (/^#/.test(line)) {
      out.push(`printf '\\n@@mark@@\\n'`);
      commands = [];
    } else {
      commands.push(line);
    }
    out.push(line);
  }
  return { script: out.join('\n'), checks };
}

const pattern = (expected: string[]): RegExp =>
  new RegExp(`^${expected.map((l) => l.trimEnd().split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^\\n]*')).join('\\n')}$`);

describe('README walk-through', () => {
  const dirs: string[] = [];
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  it('runs as written on a fresh data directory, every step prints what the README says', async () => {
    const port = await freePort();
    const onPort = (s: string): string => s.replaceAll('localhost:8080', `localhost:${port}`).replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`);
    const { script, checks } = instrument(onPort(walkthrough(readFileSync(join(ROOT, 'README.md'), 'utf8'))));
    expect(checks.length).toBeGreaterThan(3);
    const dataDir = mkdtempSync(join(tmpdir(), 'hookflow-readme-'));
    dirs.push(dataDir);
    const { NODE_OPTIONS: _o, HOOKFLOW_API_TOKEN: _t, HOOKFLOW_LOG_FORMAT: _f, ...inherited } = process.env;
    const started = Date.now();
    // Own process group: `npm start &` outlives the script; the whole group is stopped afterwards.
    const bash = spawn('bash', ['-c', script], {
      cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...inherited, HOOKFLOW_PORT: String(port), HOOKFLOW_HOST: '127.0.0.1', HOOKFLOW_DATA_DIR: dataDir, NODE_ENV: 'production' },
    });
    let out = '';
    let err = '';
    bash.stdout?.on('data', (d: Buffer) => { out += d.toString(); });
    bash.stderr?.on('data', (d: Buffer) => { err += d.toString(); });
    const code = await new Promise<number | null>((resolve) => bash.once('exit', (c) => resolve(c)));
    try { process.kill(-bash.pid!, 'SIGTERM'); } catch { /* already gone */ }
    const log = (): string => { try { return readFileSync(join(ROOT, 'hookflow.log'), 'utf8').slice(-3000); } catch { return ''; } };
    expect(code, `${err}\n${out}\n${log()}`).toBe(0);
    expect(err, out).toBe('');

    // The output before each check marker, back to the previous marker.
    const pieces = out.split(/\n@@(mark|check \d+ \d+)@@\n/);
    const seen = new Map<number, { printed: string; at: number }>();
    for (let i = 1; i < pieces.length; i += 2) {
      const m = /^check (\d+) (\d+)$/.exec(pieces[i]);
      if (m) seen.set(Number(m[1]), { printed: pieces[i - 1].trim(), at: Number(m[2]) });
    }
    checks.forEach((c, i) => {
      const got = seen.get(i);
      expect(got, `check ${i} never reached:\n${out}`).toBeDefined();
      expect(got!.printed, `after:\n${c.commands}`).toMatch(pattern(c.expected));
    });

    const firstHook = checks.findIndex((c) => /curl[^\n]*"\$URL"/.test(c.commands));
    expect(firstHook).toBeGreaterThan(-1);
    const seconds = (seen.get(firstHook)!.at - started) / 1000;
    process.stdout.write(`README walk-through: first webhook answered ${seconds.toFixed(1)} s after npm start (build up to date)\n`);
    expect(seconds).toBeLessThan(60);
  }, 120_000);
});
