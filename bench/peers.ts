/**
 * `npm run bench -- --peers [--quick]`: Hookflow beside Node-RED and the bare node:http ceiling, in one run.
 *
 * Node-RED 4.1.15 is installed on first use into bench/.peers/node-red (git-ignored; never a dependency of the
 * product). Every measurement gets a fresh server process; the systems are interleaved round by round, and each
 * figure is the median over rounds. Hookflow's figures are printed as ratios to Node-RED's and to the ceiling
 * taken in the same round (then the median of those ratios), with p99, CPU time per request (user + system of
 * the whole process tree, from /proc, divided by the requests answered), peak RSS of all processes of each
 * system, and ready time (spawn → first 2xx on the flow's URL). Then: drain of 20,000 queued executions, and
 * 64 concurrent 1 MiB webhooks (peak RSS). Loopback only; every load is bounded in time.
 *
 * --quick: 1 round, 1 s warm-up, 3 s measured (default 3 rounds, 3 s, 10 s). Environment: BENCH_ROUNDS, BENCH_WARMUP,
 * BENCH_SECONDS, BENCH_DRAIN (executions, 20,000), BENCH_DRAIN_ROUNDS; BENCH_ONLY=ceiling,nrSync,sync3,sync5,nrAck,async
 * (a subset; nothing is written then); BENCH_ALT=name=dir,… other Hookflow builds measured in the same rounds (before/
 * after pairs); BENCH_ATTACK=only (with BENCH_ONLY: just the 64 × 1 MiB test, of each build); BENCH_NODE_ARGS (e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/p"); BENCH_ATTACH (a command attached to the server for the measured window,
 * {pid} replaced); BENCH_NO_WRITE=1 (print only).
 */
import autocannon from 'autocannon';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'node:http';
import Database from 'better-sqlite3';
import { createSqliteStore } from '../server/store/sqlite/index.js';
import { createIds } from '../server/adapters/ids.js';
import { NODE_RED_VERSION, ensureNodeRed, nodeRedInstance } from './node-red.js';
import { rssSampler, sleep, stop, treeCpuMs, untilDrained } from './procs.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TOKEN = 'bench-token-0123456789abcdef';
const CONNECTIONS = 50;
const MB = 1024 * 1024;
const BODY = JSON.stringify({ id: 'ord_1001', customer: { email: 'ann@example.test' }, items: [{ sku: 'A-1', qty: 2, price: 9.5 }, { sku: 'B-2', qty: 1, price: 20 }] });
const CODE = 'return { id: input.body.id, total: input.body.items.reduce((s, i) => s + i.qty * i.price, 0) }';
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---- flows: the same work in each system --------------------------------------------------------------------------

const hfFlows = {
  sync3: {
    name: 'bench sync 3', active: true,
    nodes: [
      { id: 'hook', type: 'webhook', params: { response: { mode: 'sync' } } },
      { id: 'calc', type: 'transform', params: { code: CODE } },
      { id: 'answer', type: 'respond', params: { status: 200, body: { id: '{{ input.id }}', total: '{{ input.total }}' } } },
    ],
    edges: [{ from: 'hook', to: 'calc' }, { from: 'calc', to: 'answer' }],
  },
  sync5: {
    name: 'bench sync 5', active: true,
    nodes: [
      { id: 'hook', type: 'webhook', params: { response: { mode: 'sync' } } },
      { id: 'check', type: 'validate', params: { schema: { type: 'object', required: ['id', 'items'], properties: { items: { type: 'array', maxItems: 100 } } } } },
      { id: 'calc', type: 'transform', params: { code: CODE } },
      { id: 'big', type: 'condition', params: { rules: [{ path: 'input.total', op: 'gte', value: 30 }] } },
      { id: 'answer', type: 'respond', params: { status: 200, body: { id: '{{ input.id }}', total: '{{ input.total }}' } } },
    ],
    edges: [{ from: 'hook', to: 'check' }, { from: 'check', fromPort: 'valid', to: 'calc' }, { from: 'calc', to: 'big' }, { from: 'big', fromPort: 'true', to: 'answer' }],
  },
  async: {
    name: 'bench async', active: true,
    nodes: [{ id: 'hook', type: 'webhook', params: {} }, { id: 'calc', type: 'transform', params: { code: CODE } }],
    edges: [{ from: 'hook', to: 'calc' }],
  },
} as const;

// ---- servers ---------------------------------------------------------------------------------------------------------

interface Server { proc: ChildProcess; url: string; readyMs: number; cleanup(): void; drained(): Promise<void> }



function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Spawn → the first 2xx from a POST of the benchmark body to the flow's own URL. */
async function waitServing(url: string, proc: ChildProcess, t0: number, timeoutMs = 60_000): Promise<number> {
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}`);
    try {
      const s = await post(url, BODY);
      if (s >= 200 && s < 300) return performance.now() - t0;
    } catch { /* not listening yet */ }
    if (performance.now() - t0 > timeoutMs) throw new Error(`${url} not ready`);
    await sleep(5);
  }
}

async function startCeiling(port: number): Promise<Server> {
  const t0 = performance.now();
  const proc = fork(join(ROOT, 'bench/ceiling-server.mjs'), [], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/events`;
  const readyMs = await waitServing(url, proc, t0);
  return { proc, url, readyMs, cleanup() {}, drained: async () => {} };
}

async function startNodeRed(port: number, path: '/sync' | '/ack'): Promise<Server> {
  const { dir, argv } = nodeRedInstance(port);
  const t0 = performance.now();
  const proc = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } });
  const url = `http://127.0.0.1:${port}${path}`;
  const readyMs = await waitServing(url, proc, t0);
  return { proc, url, readyMs, cleanup: () => rmSync(dir, { recursive: true, force: true }), drained: async () => {} };
}

/**
 * The build measured as "this build": a copy of dist/ taken at the start (with package.json and a link to
 * node_modules), so a test run that rebuilds dist/ meanwhile cannot change the server under measurement.
 */
let THIS_BUILD = ROOT;
function snapshotBuild(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-bench-build-'));
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  THIS_BUILD = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

function spawnHookflow(dataDir: string, port: number, root = THIS_BUILD): ChildProcess {
  // BENCH_NODE_ARGS: extra Node flags for the Hookflow server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const extra = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  return spawn(process.execPath, ['--no-node-snapshot', ...extra, 'dist/cli.js', 'start'], {
    cwd: root, stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, NODE_OPTIONS: '', HOOKFLOW_PORT: String(port), HOOKFLOW_DATA_DIR: dataDir, HOOKFLOW_API_TOKEN: TOKEN, HOOKFLOW_LOG_LEVEL: 'error',
      HOOKFLOW_MAX_QUEUE: '10000000', HOOKFLOW_FLOW_MAX_QUEUED: '10000000',
    },
  });
}


type HfKind = keyof typeof hfFlows;
interface Template { dir: string; paths: Record<HfKind, string> }

/** A data directory holding the three flows, copied for every Hookflow server (so each starts with its flows stored). */
async function hookflowTemplate(port: number): Promise<Template> {
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-bench-tpl-'));
  const base = `http://127.0.0.1:${port}`;
  const proc = spawnHookflow(dir, port);
  const t0 = performance.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}`);
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
    if (performance.now() - t0 > 60_000) throw new Error('server not ready');
    await sleep(20);
  }
  const paths = {} as Record<HfKind, string>;
  for (const kind of Object.keys(hfFlows) as HfKind[]) {
    const res = await fetch(`${base}/api/flows?publish=true`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(hfFlows[kind]) });
    if (!res.ok) throw new Error(`create flow: ${res.status} ${await res.text()}`);
    const created = (await res.json()) as { webhook: { url: string } };
    paths[kind] = new URL(created.webhook.url).pathname;
  }
  await stop(proc);
  return { dir, paths };
}

async function startHookflow(port: number, tpl: Template, kind: HfKind, prepare?: (dir: string) => Promise<void>, root = THIS_BUILD): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-bench-hf-'));
  cpSync(tpl.dir, dir, { recursive: true });
  await prepare?.(dir);
  const t0 = performance.now();
  const proc = spawnHookflow(dir, port, root);
  const url = `http://127.0.0.1:${port}${tpl.paths[kind]}`;
  const readyMs = await waitServing(url, proc, t0);
  return { proc, url, readyMs, cleanup: () => rmSync(dir, { recursive: true, force: true }), drained: () => untilDrained(join(dir, 'hookflow.db')) };
}

/** Bytes the process passed to write syscalls (files, sockets, pipes): /proc/<pid>/io wchar. */
const wchar = (pid: number): number => Number(/wchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);

// ---- one measurement ----------------------------------------------------------------------------------------------

interface Figure { mainPeak: number; cpuMainMsPerReq: number; wcharPerReq: number; rps: number; p50: number; p99: number; non2xx: number; errors: number; total: number; cpuMsPerReq: number; peakRss: number; readyMs: number }

async function measure(start: () => Promise<Server>, warmS: number, seconds: number): Promise<Figure> {
  const s = await start();
  const pid = s.proc.pid as number;
  const rss = rssSampler(pid, 50);
  let mainPeak = 0;
  const mainTimer = setInterval(() => { try { mainPeak = Math.max(mainPeak, procRss(pid)); } catch { /* gone */ } }, 50);
  try {
    await autocannon({ url: s.url, method: 'POST', connections: CONNECTIONS, duration: warmS, headers: { 'content-type': 'application/json' }, body: BODY });
    await s.drained();
    const cpu0 = treeCpuMs(pid);
    const main0 = treeCpuMs(pid, pid);
    const io0 = wchar(pid);
    // BENCH_ATTACH="strace -c -f -o /tmp/x.txt -p {pid}": a tool attached to the server for the measured window only.
    const attached = process.env.BENCH_ATTACH ? spawn('sh', ['-c', process.env.BENCH_ATTACH.replaceAll('{pid}', String(pid))], { stdio: 'inherit' }) : undefined;
    const r = await autocannon({ url: s.url, method: 'POST', connections: CONNECTIONS, duration: seconds, headers: { 'content-type': 'application/json' }, body: BODY });
    if (attached) await new Promise((resolve) => { attached.once('exit', resolve); attached.kill('SIGINT'); });
    await s.drained(); // work accepted in the window but run after it is part of what those requests cost
    const cpu = treeCpuMs(pid) - cpu0;
    const main = treeCpuMs(pid, pid) - main0;
    const ioPerReq = (wchar(pid) - io0) / Math.max(1, r['2xx'] || r.requests.total);
    const answered = r['2xx'] || r.requests.total;
    return {
      rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts, total: r.requests.total,
      cpuMsPerReq: cpu / Math.max(1, answered), cpuMainMsPerReq: main / Math.max(1, answered), wcharPerReq: ioPerReq, peakRss: rss.stop(), mainPeak, readyMs: s.readyMs,
    };
  } finally {
    rss.stop();
    clearInterval(mainTimer);
    await stop(s.proc);
    s.cleanup();
  }
}

// ---- drain and attack-sized input ---------------------------------------------------------------------------------

async function drain(port: number, tpl: Template, n: number, root = THIS_BUILD): Promise<{ rate: number; cpuMsPerExec: number; peakRss: number }> {
  let flowId = '';
  let version = 0;
  const s = await startHookflow(port, tpl, 'async', async (dir) => {
    const store = createSqliteStore(join(dir, 'hookflow.db'), createIds());
    try {
      const db = new Database(join(dir, 'hookflow.db'), { readonly: true });
      const row = db.prepare(`SELECT id, version FROM flows WHERE name = ?`).get(hfFlows.async.name) as { id: string; version: number } | undefined;
      db.close();
      if (!row) throw new Error('async flow missing from the template');
      ({ id: flowId, version } = row);
      for (let i = 0; i < n; i += 1000) {
        await Promise.all(Array.from({ length: Math.min(1000, n - i) }, (_, k) => store.executions.accept({
          flowId, flowVersion: version, mode: 'async',
          envelope: { method: 'POST', headers: {}, query: {}, body: JSON.parse(BODY), receivedAt: new Date().toISOString(), eventId: `evt_bench_${i + k}` },
        })));
      }
    } finally {
      store.close();
    }
  }, root);
  // `s.readyMs` includes the first executions already running; the rate is counted from spawn, as an operator sees it.
  const pid = s.proc.pid as number;
  const rss = rssSampler(pid, 50);
  const t0 = performance.now() - s.readyMs;
  await s.drained();
  const wall = performance.now() - t0;
  const cpu = treeCpuMs(pid);
  const peakRss = rss.stop();
  await stop(s.proc);
  s.cleanup();
  return { rate: n / (wall / 1000), cpuMsPerExec: cpu / n, peakRss };
}

function bigBody(seed: number): string {
  const items = [];
  for (let i = 0, size = 0; size < MB - 200; i++) {
    const item = { sku: `SKU-${seed}-${i}`, qty: (i % 7) + 1, price: (i % 13) + 0.5, note: 'x'.repeat(40) };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return JSON.stringify({ id: `ord_${seed}`, customer: { email: 'ann@example.test' }, items });
}

interface Attack { peakRss: number; idleRss: number; mainPeak: number; statuses: Record<string, number> }
const procRss = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

/** 64 concurrent 1 MiB webhooks at a fresh server: peak RSS of its whole process tree until all work is done. */
async function attack(start: () => Promise<Server>, bodies: string[]): Promise<Attack> {
  const s = await start();
  const pid = s.proc.pid as number;
  await s.drained();
  await sleep(500);
  const rss = rssSampler(pid, 20);
  const idleRss = rss.peak();
  let mainPeak = procRss(pid);
  const mainTimer = setInterval(() => { mainPeak = Math.max(mainPeak, procRss(pid)); }, 20);
  const codes = await Promise.all(bodies.map((b) => post(s.url, b).catch(() => 0)));
  await s.drained();
  await sleep(300);
  const peakRss = rss.stop();
  clearInterval(mainTimer);
  await stop(s.proc);
  s.cleanup();
  const statuses: Record<string, number> = {};
  for (const c of codes) statuses[c] = (statuses[c] ?? 0) + 1;
  return { peakRss, idleRss, mainPeak, statuses };
}

// ---- the run ------------------------------------------------------------------------------------------------------

type Key = 'ceiling' | 'nrSync' | 'nrAck' | HfKind;
/**
 * BENCH_ALT="name=dir,…": other Hookflow builds (a directory holding dist/ and node_modules/, e.g. an unpacked
 * `git archive` of another commit, built) measured in the same rounds as `<flow>@name`, for before/after pairs.
 */
const ALT = (process.env.BENCH_ALT ?? '').split(',').filter(Boolean).map((s) => s.split('=') as [string, string]);
const LABEL: Record<Key, string> = {
  ceiling: 'bare node:http (JSON.parse, 202)',
  nrSync: `Node-RED ${NODE_RED_VERSION}: http in → function → http response`,
  nrAck: `Node-RED ${NODE_RED_VERSION}: http in → http response 202 + function`,
  sync3: 'Hookflow sync: webhook → transform → respond',
  sync5: 'Hookflow sync 5-node: webhook → validate → transform → condition → respond',
  async: 'Hookflow durable ack: webhook (202 after fsync) → transform',
};

export async function runPeers(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const rounds = Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 3));
  const warmS = Number(process.env.BENCH_WARMUP ?? (quick ? 1 : 3));
  const seconds = Number(process.env.BENCH_SECONDS ?? (quick ? 3 : 10));
  const drainN = Number(process.env.BENCH_DRAIN ?? 20_000);
  const only = process.env.BENCH_ONLY?.split(',') as Key[] | undefined;
  ensureNodeRed();
  const dropSnapshot = snapshotBuild();
  process.once('exit', dropSnapshot);
  const port = 18_000 + Math.floor(Math.random() * 2000);
  const load0 = loadavg();
  const startedAt = new Date();
  const tpl = await hookflowTemplate(port);
  const starts: Record<Key, () => Promise<Server>> = {
    ceiling: () => startCeiling(port),
    nrSync: () => startNodeRed(port, '/sync'),
    nrAck: () => startNodeRed(port, '/ack'),
    sync3: () => startHookflow(port, tpl, 'sync3'),
    sync5: () => startHookflow(port, tpl, 'sync5'),
    async: () => startHookflow(port, tpl, 'async'),
  };
  const order: Key[] = (['ceiling', 'nrSync', 'sync3', 'sync5', 'nrAck', 'async'] as Key[]).filter((k) => !only || only.includes(k));
  const alts: Record<string, () => Promise<Server>> = {};
  for (const [name, dir] of ALT) for (const k of ['sync3', 'sync5', 'async'] as HfKind[]) if (order.includes(k)) alts[`${k}@${name}`] = () => startHookflow(port, tpl, k, undefined, dir);
  const all = [...order.flatMap((k) => [k, ...Object.keys(alts).filter((a) => a.startsWith(`${k}@`))])] as Key[];
  const startOf = (k: string) => (starts as Record<string, () => Promise<Server>>)[k] ?? alts[k];
  const figs = Object.fromEntries(all.map((k) => [k, [] as Figure[]])) as Record<Key, Figure[]>;
  for (let r = 0; r < rounds; r++) {
    for (const k of all) {
      const f = await measure(startOf(k), warmS, seconds);
      figs[k].push(f);
      console.log(`round ${r + 1} ${k.padEnd(7)} ${Math.round(f.rps)} req/s, p99 ${f.p99} ms, ${f.cpuMsPerReq.toFixed(3)} ms CPU/req (${f.cpuMainMsPerReq.toFixed(3)} in the main process, ${(f.wcharPerReq / 1024).toFixed(1)} KiB written), peak ${(f.peakRss / MB).toFixed(0)} MB (main ${(f.mainPeak / MB).toFixed(0)}), ready ${f.readyMs.toFixed(0)} ms, non-2xx ${f.non2xx}, errors ${f.errors}`);
    }
  }
  let dr: Awaited<ReturnType<typeof drain>> | undefined;
  if (!only || only.includes('async')) {
    // BENCH_DRAIN_ROUNDS (default 1) interleaved drains of this build and of each BENCH_ALT build; medians.
    const drains: Record<string, Array<Awaited<ReturnType<typeof drain>>>> = { '': [] };
    for (const [name] of ALT) drains[name] = [];
    for (let i = 0; i < Number(process.env.BENCH_DRAIN_ROUNDS ?? 1); i++) {
      drains[''].push(await drain(port, tpl, drainN));
      for (const [name, dir] of ALT) drains[name].push(await drain(port, tpl, drainN, dir));
    }
    const med = (xs: Array<Awaited<ReturnType<typeof drain>>>) => ({ rate: median(xs.map((x) => x.rate)), cpuMsPerExec: median(xs.map((x) => x.cpuMsPerExec)), peakRss: Math.max(...xs.map((x) => x.peakRss)) });
    dr = med(drains['']);
    for (const [name] of ALT) {
      const d = med(drains[name]);
      console.log(`drain@${name}: ${Math.round(d.rate)} executions/s (${(d.rate / dr.rate).toFixed(2)}× this build), ${d.cpuMsPerExec.toFixed(3)} vs ${dr.cpuMsPerExec.toFixed(3)} ms CPU/execution; rounds ${drains[name].map((x) => Math.round(x.rate)).join(', ')} vs ${drains[''].map((x) => Math.round(x.rate)).join(', ')}`);
    }
  }
  if (dr) console.log(`drain of ${drainN}: ${Math.round(dr.rate)} executions/s, ${dr.cpuMsPerExec.toFixed(3)} ms CPU/execution, peak ${(dr.peakRss / MB).toFixed(0)} MB`);
  const bodies = Array.from({ length: 64 }, (_, i) => bigBody(i));
  const attackOnly = process.env.BENCH_ATTACK === 'only';
  const atkHf = only && !attackOnly ? undefined : await attack(starts.async, bodies);
  const atkNr = only && !attackOnly ? undefined : await attack(starts.nrAck, bodies);
  for (const [name, dir] of attackOnly ? ALT : []) {
    const a = await attack(() => startHookflow(port, tpl, 'async', undefined, dir), bodies);
    console.log(`64 × 1 MiB @${name}: peak ${(a.peakRss / MB).toFixed(0)} MB (main process ${(a.mainPeak / MB).toFixed(0)} MB) ${JSON.stringify(a.statuses)}`);
  }
  if (atkHf && atkNr) console.log(`64 × 1 MiB: Hookflow peak ${(atkHf.peakRss / MB).toFixed(0)} MB (main process ${(atkHf.mainPeak / MB).toFixed(0)} MB) ${JSON.stringify(atkHf.statuses)}; Node-RED peak ${(atkNr.peakRss / MB).toFixed(0)} MB ${JSON.stringify(atkNr.statuses)}`);
  rmSync(tpl.dir, { recursive: true, force: true });
  const load1 = loadavg();
  for (const k of Object.keys(alts) as Key[]) {
    const base = k.split('@')[0] as Key;
    const ms = (key: Key) => median(figs[key].map((f) => f.cpuMsPerReq)).toFixed(3);
    console.log(`${k}: ${median(figs[k].map((f, i) => f.rps / figs[base][i].rps)).toFixed(2)}× ${base} (req/s), CPU ms/req ${ms(k)} vs ${ms(base)}, p99 ${median(figs[k].map((f) => f.p99))} vs ${median(figs[base].map((f) => f.p99))} ms`);
  }

  const med = (k: Key, f: (x: Figure) => number) => (figs[k]?.length ? median(figs[k].map(f)) : NaN);
  /** Median over rounds of the per-round ratio a/b (both measured in the same round). */
  const ratio = (a: Key, b: Key) => (figs[a]?.length && figs[b]?.length ? median(figs[a].map((x, i) => x.rps / figs[b][i].rps)) : NaN);
  const peakOf = (ks: Key[]) => Math.max(...ks.flatMap((k) => (figs[k] ?? []).map((x) => x.peakRss)));
  const readyOf = (ks: Key[]) => median(ks.flatMap((k) => (figs[k] ?? []).map((x) => x.readyMs)));
  const hfPeak = peakOf(['sync3', 'sync5', 'async']);
  const nrPeak = peakOf(['nrSync', 'nrAck']);
  const hfReady = readyOf(['sync3', 'sync5', 'async']);
  const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '—');
  const row = (k: Key, vsNr?: Key) => figs[k]?.length
    ? `| ${LABEL[k]} | ${Math.round(med(k, (f) => f.rps))} | ${med(k, (f) => f.p99)} | ${med(k, (f) => f.cpuMsPerReq).toFixed(3)} | ${vsNr ? x(ratio(k, vsNr)) : '—'} | ${k === 'ceiling' ? '1.00×' : x(ratio(k, 'ceiling'))} | ${figs[k].reduce((s, f) => s + f.non2xx + f.errors, 0)} |`
    : `| ${LABEL[k]} | not run | | | | | |`;
  const targets: Array<[string, boolean]> = [
    ['sync webhook → transform → respond ≥ 1.2× Node-RED', ratio('sync3', 'nrSync') >= 1.2],
    ['sync 5-node ≥ 1.0× Node-RED 3-node', ratio('sync5', 'nrSync') >= 1.0],
    ['acknowledged async ingest ≥ 3× Node-RED ack-first', ratio('async', 'nrAck') >= 3],
    ['acknowledged async ingest p99 ≤ 25 ms', med('async', (f) => f.p99) <= 25],
    [`drain of ${drainN} ≥ 5,000/s`, (dr?.rate ?? 0) >= 5000],
    ['peak RSS of Hookflow ≤ Node-RED', hfPeak <= nrPeak],
    ['ready ≤ 0.6 s', hfReady <= 600],
    ['64 × 1 MiB webhooks: peak RSS < 400 MB', (atkHf?.peakRss ?? Infinity) < 400 * MB],
  ];
  const block = `Run ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average ${load0[0].toFixed(1)} at the start, ${load1[0].toFixed(1)} at the end (machine shared with other agents' test runs).
Load: autocannon in the bench process, ${CONNECTIONS} connections, ${warmS} s warm-up then ${seconds} s measured, POST of a ${BODY.length}-byte JSON order; a fresh server per measurement; ${rounds} interleaved round(s), medians (ratios: median of the per-round ratios).

| flow | req/s | p99 ms | CPU ms/req | vs Node-RED | vs ceiling | non-2xx + errors |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${row('ceiling')}
${row('nrSync')}
${row('sync3', 'nrSync')}
${row('sync5', 'nrSync')}
${row('nrAck')}
${row('async', 'nrAck')}

- peak RSS of all processes: Hookflow ${(hfPeak / MB).toFixed(0)} MB (server + sandbox child), Node-RED ${(nrPeak / MB).toFixed(0)} MB, bare node:http ${(peakOf(['ceiling']) / MB).toFixed(0)} MB
- ready (spawn → first 2xx on the flow's URL, median): Hookflow ${hfReady.toFixed(0)} ms, Node-RED ${readyOf(['nrSync', 'nrAck']).toFixed(0)} ms, bare node:http ${readyOf(['ceiling']).toFixed(0)} ms
- drain: ${dr ? `${Math.round(dr.rate)} executions/s (${drainN} queued webhook → transform executions, spawn to the last one finished), ${dr.cpuMsPerExec.toFixed(3)} ms CPU per execution, peak ${(dr.peakRss / MB).toFixed(0)} MB` : 'not run'}
- 64 concurrent 1 MiB webhooks: ${atkHf && atkNr ? `Hookflow peak ${(atkHf.peakRss / MB).toFixed(0)} MB (idle ${(atkHf.idleRss / MB).toFixed(0)} MB), answers ${JSON.stringify(atkHf.statuses)}; Node-RED (ack flow) peak ${(atkNr.peakRss / MB).toFixed(0)} MB, answers ${JSON.stringify(atkNr.statuses)}` : 'not run'}

Targets:
${targets.map(([n, ok]) => `- ${ok ? 'met' : '**missed**'}: ${n}`).join('\n')}`;
  console.log(`\n${block}`);
  if (only || process.env.BENCH_NO_WRITE) return;
  const file = join(ROOT, 'bench/RESULTS.md');
  const [open, close] = ['<!-- peers:start -->', '<!-- peers:end -->'];
  const old = readFileSync(file, 'utf8');
  const md = old.includes(open) && old.includes(close)
    ? `${old.slice(0, old.indexOf(open) + open.length)}\n${block}\n${old.slice(old.indexOf(close))}`
    : old.replace(/^# Benchmark results\n/, `# Benchmark results\n\n## Beside Node-RED (\`npm run bench -- --peers\`)\n\n${open}\n${block}\n${close}\n`);
  writeFileSync(file, md);
}
