/**
 * `npm run bench`: ceiling (bare node:http), durable async ingest, a sync 5-node flow, drain rate,
 * peak RSS of the Hookflow process tree and time to ready; then bench/attack.ts (an unrelated flow quiet and while
 * other flows attack the sandbox, and the sandbox micro-benchmark). Prints figures and ratios and writes
 * bench/RESULTS.md. Loopback only; every load is bounded in time.
 * `npm run bench -- --peers [--quick]`: Hookflow beside Node-RED and the ceiling in one run (bench/peers.ts).
 */
import autocannon from 'autocannon';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSqliteStore } from '../server/store/sqlite/index.js';
import { createIds } from '../server/adapters/ids.js';
import { benchAttack, formatAttack, writeAttackResults } from './attack.js';
import { rssSampler, sleep, stop, untilDrained } from './procs.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TOKEN = 'bench-token-0123456789abcdef';
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const DRAIN_N = Number(process.env.BENCH_DRAIN ?? 20_000);
const BODY = JSON.stringify({ id: 'ord_1001', customer: { email: 'ann@example.test' }, items: [{ sku: 'A-1', qty: 2, price: 9.5 }, { sku: 'B-2', qty: 1, price: 20 }] });

interface Load { rps: number; p50: number; p99: number; non2xx: number; errors: number; total: number }

async function load(url: string, seconds = DURATION): Promise<Load> {
  const r = await autocannon({ url, method: 'POST', connections: CONNECTIONS, duration: seconds, headers: { 'content-type': 'application/json' }, body: BODY });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts, total: r.requests.total };
}


async function waitReady(url: string, proc: ChildProcess, timeoutMs = 30_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}`);
    try { if ((await fetch(url)).ok) return performance.now() - t0; } catch { /* not yet */ }
    if (performance.now() - t0 > timeoutMs) throw new Error('server not ready');
    await sleep(10);
  }
}

function startHookflow(dataDir: string, port: number): ChildProcess {
  return spawn(process.execPath, ['--no-node-snapshot', 'dist/cli.js', 'start'], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '', HOOKFLOW_PORT: String(port), HOOKFLOW_DATA_DIR: dataDir, HOOKFLOW_API_TOKEN: TOKEN, HOOKFLOW_LOG_LEVEL: 'error', HOOKFLOW_MAX_QUEUE: '10000000' },
  });
}


async function api(base: string, path: string, body: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const asyncFlow = {
  name: 'bench async', active: true,
  nodes: [
    { id: 'hook', type: 'webhook', params: {} },
    { id: 'calc', type: 'transform', params: { code: 'return { id: input.body.id, total: input.body.items.reduce((s, i) => s + i.qty * i.price, 0) }' } },
  ],
  edges: [{ from: 'hook', to: 'calc' }],
};
const syncFlow = {
  name: 'bench sync', active: true,
  nodes: [
    { id: 'hook', type: 'webhook', params: { response: { mode: 'sync' } } },
    { id: 'check', type: 'validate', params: { schema: { type: 'object', required: ['id', 'items'], properties: { items: { type: 'array', maxItems: 100 } } } } },
    { id: 'calc', type: 'transform', params: { code: 'return { id: input.body.id, total: input.body.items.reduce((s, i) => s + i.qty * i.price, 0) }' } },
    { id: 'big', type: 'condition', params: { rules: [{ path: 'input.total', op: 'gte', value: 30 }] } },
    { id: 'answer', type: 'respond', params: { status: 200, body: { id: '{{ input.id }}', total: '{{ input.total }}' } } },
  ],
  edges: [{ from: 'hook', to: 'check' }, { from: 'check', fromPort: 'valid', to: 'calc' }, { from: 'calc', to: 'big' }, { from: 'big', fromPort: 'true', to: 'answer' }],
};


async function main(): Promise<void> {
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const fmt = (l: Load) => `${Math.round(l.rps)} req/s, p50 ${l.p50} ms, p99 ${l.p99} ms, non-2xx ${l.non2xx}, errors ${l.errors}`;

  const ceilingProc = fork(join(ROOT, 'bench/ceiling-server.mjs'), [], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  await new Promise((r) => ceilingProc.once('message', r));
  const ceiling = await load(`http://127.0.0.1:${port}/events`);
  await stop(ceilingProc);
  console.log(`(a) ceiling, bare node:http:        ${fmt(ceiling)}`);

  const dir = mkdtempSync(join(tmpdir(), 'hookflow-bench-'));
  const base = `http://127.0.0.1:${port}`;
  let hf = startHookflow(dir, port);
  const readyMs = await waitReady(`${base}/healthz`, hf);
  const rss = rssSampler(hf.pid as number);
  const a = await api(base, '/api/flows?publish=true', asyncFlow);
  const s = await api(base, '/api/flows?publish=true', syncFlow);
  const ingest = await load(a.webhook.url);
  console.log(`(b) durable async ingest:           ${fmt(ingest)}  (${(ingest.rps / ceiling.rps).toFixed(2)}× ceiling)`);
  await untilDrained(join(dir, 'hookflow.db'));
  const sync = await load(s.webhook.url);
  console.log(`(c) sync webhook→validate→transform→condition→respond: ${fmt(sync)}  (${(sync.rps / ceiling.rps).toFixed(2)}× ceiling)`);
  await untilDrained(join(dir, 'hookflow.db'));
  const peakRss = rss.stop();
  await stop(hf);

  const store = createSqliteStore(join(dir, 'hookflow.db'), createIds());
  for (let i = 0; i < DRAIN_N; i += 1000) {
    await Promise.all(Array.from({ length: Math.min(1000, DRAIN_N - i) }, (_, k) => store.executions.accept({
      flowId: a.id, flowVersion: a.version, mode: 'async',
      envelope: { method: 'POST', headers: {}, query: {}, body: JSON.parse(BODY), receivedAt: new Date().toISOString(), eventId: `evt_bench_${i + k}` },
    })));
  }
  store.close();
  hf = startHookflow(dir, port);
  await waitReady(`${base}/healthz`, hf);
  const t0 = performance.now();
  await untilDrained(join(dir, 'hookflow.db'));
  const drainRate = DRAIN_N / ((performance.now() - t0) / 1000);
  await stop(hf);
  rmSync(dir, { recursive: true, force: true });
  console.log(`(d) drain of ${DRAIN_N} queued webhook→transform executions: ${Math.round(drainRate)} executions/s`);
  console.log(`peak RSS of the Hookflow process tree: ${(peakRss / 1048576).toFixed(0)} MB; ready ${readyMs.toFixed(0)} ms after spawn`);

  const targets = [
    ['async ingest ≥ 0.4× ceiling', ingest.rps / ceiling.rps >= 0.4],
    ['async ingest p99 ≤ 25 ms', ingest.p99 <= 25],
    ['sync 5-node flow ≥ 0.1× ceiling', sync.rps / ceiling.rps >= 0.1],
    ['drain ≥ 3,000 executions/s', drainRate >= 3000],
    ['peak RSS ≤ 250 MB', peakRss <= 250 * 1048576],
    ['ready ≤ 1.5 s', readyMs <= 1500],
  ] as const;
  for (const [name, ok] of targets) console.log(`${ok ? 'MET   ' : 'MISSED'} ${name}`);
  writeResults({ ceiling, ingest, sync, drainRate, peakRss, readyMs, targets });

  // (e) an unrelated flow's latency quiet and while other flows attack the sandbox; (f) the sandbox micro-benchmark.
  const attack = await benchAttack();
  console.log(formatAttack(attack));
  writeAttackResults(attack);
}

function writeResults(r: { ceiling: Load; ingest: Load; sync: Load; drainRate: number; peakRss: number; readyMs: number; targets: ReadonlyArray<readonly [string, boolean]> }): void {
  const row = (name: string, l: Load) => `| ${name} | ${Math.round(l.rps)} | ${l.p50} | ${l.p99} | ${(l.rps / r.ceiling.rps).toFixed(2)}× | ${l.non2xx} | ${l.errors} |`;
  const block = `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.
Load: autocannon, ${CONNECTIONS} connections, ${DURATION} s per run, POST of a ${BODY.length}-byte JSON order, on the same 2 cores as the server.

| run | req/s | p50 ms | p99 ms | vs ceiling | non-2xx | errors |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${row('(a) ceiling: bare node:http, JSON.parse, 202', r.ceiling)}
${row('(b) durable async ingest, webhook→transform', r.ingest)}
${row('(c) sync webhook→validate→transform→condition→respond', r.sync)}

- (d) drain: ${Math.round(r.drainRate)} executions/s (${DRAIN_N} queued webhook→transform executions, from start of the server to the last one finished)
- peak RSS of all Hookflow processes (server + sandbox child) during (b) and (c): ${(r.peakRss / 1048576).toFixed(0)} MB
- ready to serve: ${r.readyMs.toFixed(0)} ms from spawn to the first 200 from /healthz

Targets:
${r.targets.map(([n, ok]) => `- ${ok ? 'met' : '**missed**'}: ${n}`).join('\n')}`;
  // Only the latest-run block is replaced: notes and the sandbox micro-benchmark's table below it stay.
  const file = join(ROOT, 'bench/RESULTS.md');
  const [start, end] = ['<!-- bench:start -->', '<!-- bench:end -->'];
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const md = old.includes(start) && old.includes(end)
    ? `${old.slice(0, old.indexOf(start) + start.length)}\n${block}\n${old.slice(old.indexOf(end))}`
    : `# Benchmark results\n\n${start}\n${block}\n${end}\n${old.replace(/^# Benchmark results\n/, '')}`;
  writeFileSync(file, md);
}

const args = process.argv.slice(2);
const store = args.includes('--store') ? args[args.indexOf('--store') + 1] : 'sqlite';
const run = args.includes('--peers')
  ? import('./peers.js').then((m) => m.runPeers(args))
  : store === 'postgres'
  ? import('./store-bench.js').then((m) => m.runStoreBench(args))
  : store === 'sqlite' ? main() : Promise.reject(new Error(`--store must be sqlite or postgres, got "${store}"`));
run.then(() => process.exit(0), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
