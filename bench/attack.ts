/**
 * Sandbox fairness under attack (issue 10, S-26…S-28): the latency of an unrelated flow's sync webhook
 * (webhook → transform → condition expression → respond), first quiet, then while other flows run fifteen
 * backtracking regexes, a 30 s endless loop and ten memory bombs. Also the sandbox micro-benchmark (bench/sandbox.ts).
 * Needs dist/ (`npm run bench` builds it). Run alone: `node --no-node-snapshot --import tsx bench/attack.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rssSampler } from './procs.js';
import { benchSandbox, formatSandbox, type SandboxBench } from './sandbox.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TOKEN = 'bench-token-0123456789abcdef';
const CALLS = Number(process.env.BENCH_ATTACK_CALLS ?? 300);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Latency { p50: number; p99: number; max: number; failed: number; n: number }

function startHookflow(dataDir: string, port: number): ChildProcess {
  return spawn(process.execPath, ['--no-node-snapshot', 'dist/cli.js', 'start'], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '', HOOKFLOW_PORT: String(port), HOOKFLOW_DATA_DIR: dataDir, HOOKFLOW_API_TOKEN: TOKEN, HOOKFLOW_LOG_LEVEL: 'error' },
  });
}

async function waitReady(url: string, proc: ChildProcess): Promise<void> {
  const end = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}`);
    try { if ((await fetch(url)).ok) return; } catch { /* not yet */ }
    if (Date.now() > end) throw new Error('server not ready');
    await sleep(20);
  }
}

async function flow(base: string, name: string, nodes: readonly unknown[], edges: readonly unknown[]): Promise<string> {
  const res = await fetch(`${base}/api/flows`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name, active: true, nodes, edges }) });
  if (!res.ok) throw new Error(`${name}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { webhook: { url: string } }).webhook.url;
}

const hook = (params = {}) => ({ id: 'hook', type: 'webhook', params });
const one = (code: string, timeoutMs?: number) => [[hook(), { id: 'code', type: 'transform', params: { code, ...(timeoutMs ? { timeoutMs } : {}) } }], [{ from: 'hook', to: 'code' }]] as const;

/** `n` sequential sync calls of the unrelated flow: latency percentiles and non-200 answers. */
async function measure(url: string, n: number): Promise<Latency> {
  const times: number[] = [];
  let failed = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ qty: i % 5, price: 10 }] }) });
    await res.arrayBuffer();
    if (res.status !== 200) failed++;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))] as number;
  return { p50: at(0.5), p99: at(0.99), max: times[times.length - 1] as number, failed, n };
}

export interface AttackBench { quiet: Latency; attacked: Latency; peakRssMb: number; sandbox: SandboxBench; load: string }

export async function benchAttack(): Promise<AttackBench> {
  const port = 20_000 + Math.floor(Math.random() * 2000);
  const base = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-attack-'));
  const hf = startHookflow(dir, port);
  try {
    await waitReady(`${base}/healthz`, hf);
    const rss = rssSampler(hf.pid as number);
    const unrelated = await flow(base, 'unrelated', [
      hook({ response: { mode: 'sync' } }),
      { id: 'calc', type: 'transform', params: { code: 'return { total: input.body.items.reduce((s, i) => s + i.qty * i.price, 0) }' } },
      { id: 'big', type: 'condition', params: { expression: 'input.total >= 30' } },
      { id: 'yes', type: 'respond', params: { body: { total: '{{ input.total }}', big: true } } },
      { id: 'no', type: 'respond', params: { body: { total: '{{ input.total }}', big: false } } },
    ], [{ from: 'hook', to: 'calc' }, { from: 'calc', to: 'big' }, { from: 'big', fromPort: 'true', to: 'yes' }, { from: 'big', fromPort: 'false', to: 'no' }]);
    const regex = await flow(base, 'regex', ...one('return /^(\\w+\\s?)*$/.test(input.body.name)'));
    const spin = await flow(base, 'spin', ...one('for (;;) {}', 30_000));
    const bomb = await flow(base, 'bomb', ...one('const m = new Map(); for (let i = 0;; i++) m.set(i, { i })'));
    await measure(unrelated, 20);
    const quiet = await measure(unrelated, CALLS);
    const send = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.arrayBuffer());
    await Promise.all([
      ...Array.from({ length: 15 }, () => send(regex, { name: `${'a'.repeat(40)}!` })),
      send(spin, {}),
      ...Array.from({ length: 10 }, () => send(bomb, {})),
    ]);
    const attacked = await measure(unrelated, CALLS);
    const peakRssMb = rss.stop() / 1048576;
    hf.kill('SIGTERM');
    await new Promise((r) => hf.once('exit', r));
    const load = loadavg().map((l) => l.toFixed(1)).join(' ');
    return { quiet, attacked, peakRssMb, sandbox: await benchSandbox(), load };
  } finally {
    if (hf.exitCode === null) hf.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (l: Latency) => `p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms, max ${l.max.toFixed(0)} ms, non-200 ${l.failed}/${l.n}`;

export function formatAttack(r: AttackBench): string {
  return [
    `(e) unrelated sync flow, quiet:        ${fmt(r.quiet)}`,
    `(e) unrelated sync flow, under attack: ${fmt(r.attacked)}  (p50 ${(r.attacked.p50 / r.quiet.p50).toFixed(2)}× quiet)`,
    `    peak RSS of the tree during (e): ${r.peakRssMb.toFixed(0)} MB; load average ${r.load}`,
    `(f) sandbox: ${formatSandbox(r.sandbox)}`,
  ].join('\n');
}

/** Replaces only its own block of bench/RESULTS.md. */
export function writeAttackResults(r: AttackBench): void {
  const [start, end] = ['<!-- attack-bench:start -->', '<!-- attack-bench:end -->'];
  const row = (name: string, l: Latency) => `| ${name} | ${l.p50.toFixed(1)} | ${l.p99.toFixed(1)} | ${l.max.toFixed(0)} | ${l.failed}/${l.n} |`;
  const block = `Latest \`npm run bench\` (e)/(f): ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load average ${r.load}.

| (e) unrelated sync flow (transform → condition expression → respond), ${r.quiet.n} sequential calls | p50 ms | p99 ms | max ms | non-200 |
| --- | ---: | ---: | ---: | ---: |
${row('quiet', r.quiet)}
${row('while 15 backtracking regexes, a 30 s loop and 10 memory bombs run in other flows', r.attacked)}

- peak RSS of all Hookflow processes during (e): ${r.peakRssMb.toFixed(0)} MB
- (f) sandbox micro-benchmark (bench/sandbox.ts): ${formatSandbox(r.sandbox)}`;
  const file = join(ROOT, 'bench/RESULTS.md');
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const md = old.includes(start) && old.includes(end)
    ? `${old.slice(0, old.indexOf(start) + start.length)}\n${block}\n${old.slice(old.indexOf(end))}`
    : `${old.trimEnd()}\n\n### Latest \`npm run bench\` (e)/(f), rewritten by each run\n\n${start}\n${block}\n${end}\n`;
  writeFileSync(file, md);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchAttack().then((r) => {
    console.log(formatAttack(r));
    if (process.argv.includes('--write')) writeAttackResults(r);
  }, (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
