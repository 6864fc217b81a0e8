/**
 * `npm run bench -- --store postgres [--processes N]`: the same figures as the SQLite run — durable async ingest,
 * the sync 5-node flow, the drain of 20,000 queued executions, p99 and RSS per process — for one Hookflow process
 * on SQLite and for 1…N processes on one PostgreSQL database, side by side in one run. Prints a table and writes
 * it into bench/RESULTS.md between the postgres markers. Loopback only; every load is bounded in time.
 */
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createSqliteStore } from '../server/store/sqlite/index.js';
import { createPostgresStore } from '../server/store/postgres/index.js';
import { createIds } from '../server/adapters/ids.js';
import type { Store } from '../server/store/types.js';
import { createTestDatabase, pgAdminUrl } from '../test/helpers/pg.js';
import { rssSampler } from './procs.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TOKEN = 'bench-token-0123456789abcdef';
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;
const DRAIN_N = Number(process.env.BENCH_DRAIN ?? 20_000);
const BODY = JSON.stringify({ id: 'ord_1001', customer: { email: 'ann@example.test' }, items: [{ sku: 'A-1', qty: 2, price: 9.5 }, { sku: 'B-2', qty: 1, price: 20 }] });
const SECRET = randomBytes(32).toString('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Load { rps: number; p50: number; p99: number; non2xx: number; errors: number }
interface Row { label: string; store: 'sqlite' | 'postgres'; processes: number; ingest: Load; sync: Load; drainRate: number; drainWorkers: number; rssMb: number[] }

/** One autocannon per process, the connections shared out; requests summed, latency the worst of them. */
async function load(urls: string[]): Promise<Load> {
  const per = Math.max(1, Math.floor(CONNECTIONS / urls.length));
  const rs = await Promise.all(urls.map((url) => autocannon({ url, method: 'POST', connections: per, duration: DURATION, headers: { 'content-type': 'application/json' }, body: BODY })));
  return {
    rps: rs.reduce((s, r) => s + r.requests.average, 0), p50: Math.max(...rs.map((r) => r.latency.p50)), p99: Math.max(...rs.map((r) => r.latency.p99)),
    non2xx: rs.reduce((s, r) => s + r.non2xx, 0), errors: rs.reduce((s, r) => s + r.errors + r.timeouts, 0),
  };
}

function spawnNode(env: Record<string, string>, port: number, dataDir: string, role = 'all'): ChildProcess {
  return spawn(process.execPath, ['--no-node-snapshot', 'dist/cli.js', 'start', '--role', role], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '', HOOKFLOW_PORT: String(port), HOOKFLOW_DATA_DIR: dataDir, HOOKFLOW_API_TOKEN: TOKEN, HOOKFLOW_LOG_LEVEL: 'error', HOOKFLOW_MAX_QUEUE: '10000000', HOOKFLOW_SECRET_KEY: SECRET, ...env },
  });
}

async function ready(url: string, p: ChildProcess): Promise<void> {
  const end = Date.now() + 60_000;
  for (;;) {
    if (p.exitCode !== null) throw new Error(`server exited ${p.exitCode}`);
    try { if ((await fetch(`${url}/healthz`)).ok) return; } catch { /* not yet */ }
    if (Date.now() > end) throw new Error('server not ready');
    await sleep(20);
  }
}

const stop = (p: ChildProcess) => new Promise<void>((resolve) => {
  if (p.exitCode !== null) return resolve();
  p.once('exit', () => resolve());
  p.kill('SIGTERM');
});

async function post(base: string, path: string, body: unknown): Promise<any> {
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

/** What a backend needs: the env that selects it, a count of unfinished executions, and a store to queue work directly. */
interface Backend {
  store: 'sqlite' | 'postgres';
  /** SQLite: the one data directory its database lives in (the server's). */
  dataDir?: string;
  env(dataDir: string): Record<string, string>;
  open(dataDir: string): Promise<Store>;
  open_count(): Promise<number>;
  close(): Promise<void>;
}

async function sqliteBackend(dir: string): Promise<Backend> {
  const file = join(dir, 'hookflow.db');
  return {
    store: 'sqlite', dataDir: dir, env: () => ({}),
    open: async () => createSqliteStore(file, createIds()),
    async open_count() {
      const db = new Database(file, { readonly: true });
      try { return db.prepare(`SELECT count(*) FROM executions WHERE status NOT IN ('succeeded','failed','canceled')`).pluck().get() as number; } finally { db.close(); }
    },
    close: async () => undefined,
  };
}

async function postgresBackend(): Promise<Backend> {
  const db = await createTestDatabase(process.env.HOOKFLOW_BENCH_DATABASE_URL ?? (await pgAdminUrl()));
  const pool = new pg.Pool({ connectionString: db.url, max: 1 });
  return {
    store: 'postgres', env: () => ({ HOOKFLOW_DATABASE_URL: db.url }),
    open: async () => createPostgresStore(createIds(), { url: db.url, poolSize: 8, listen: false }),
    async open_count() {
      try {
        return Number((await pool.query(`SELECT count(*) AS n FROM executions WHERE status NOT IN ('succeeded','failed','canceled')`)).rows[0].n);
      } catch { return 1; }
    },
    async close() { await pool.end(); await db.drop(); },
  };
}

async function untilDrained(b: Backend, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await b.open_count()) > 0) {
    if (Date.now() > end) throw new Error('drain did not finish');
    await sleep(20);
  }
}

/** Ingest and sync with `n` processes (role all), then the drain of DRAIN_N queued executions by `drainWorkers` workers. */
async function measure(label: string, b: Backend, n: number, drainWorkers: number): Promise<Row> {
  const dirs = Array.from({ length: Math.max(n, drainWorkers) }, (_, i) => (i === 0 && b.dataDir) || mkdtempSync(join(tmpdir(), 'hookflow-bench-')));
  const running: ChildProcess[] = [];
  try {
    return await measureIn(label, b, n, drainWorkers, dirs, running);
  } finally {
    await Promise.all(running.map(stop));
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

async function measureIn(label: string, b: Backend, n: number, drainWorkers: number, dirs: string[], running: ChildProcess[]): Promise<Row> {
  const port0 = 18_000 + Math.floor(Math.random() * 2000);
  const urls = Array.from({ length: n }, (_, i) => `http://127.0.0.1:${port0 + i}`);
  let procs = urls.map((u, i) => spawnNode(b.env(dirs[i]), port0 + i, dirs[i]));
  running.push(...procs);
  await Promise.all(procs.map((p, i) => ready(urls[i], p)));
  const samplers = procs.map((p) => rssSampler(p.pid as number));
  const a = await post(urls[0], '/api/flows', asyncFlow);
  const s = await post(urls[0], '/api/flows', syncFlow);
  const on = (hook: string) => urls.map((u) => `${u}${new URL(hook).pathname}`);
  const ingest = await load(on(a.webhook.url));
  await untilDrained(b);
  const sync = await load(on(s.webhook.url));
  await untilDrained(b);
  const rssMb = samplers.map((x) => Math.round(x.stop() / 1048576));
  await Promise.all(procs.map(stop));

  const store = await b.open(dirs[0]);
  for (let i = 0; i < DRAIN_N; i += 1000) {
    await Promise.all(Array.from({ length: Math.min(1000, DRAIN_N - i) }, (_, k) => store.executions.accept({
      flowId: a.id, flowVersion: a.version, mode: 'async',
      envelope: { method: 'POST', headers: {}, query: {}, body: JSON.parse(BODY), receivedAt: new Date().toISOString(), eventId: `evt_bench_${label.replace(/\W/g, '')}_${i + k}` },
    })));
  }
  await store.close();
  const t0 = performance.now();
  procs = Array.from({ length: drainWorkers }, (_, i) => spawnNode(b.env(dirs[i]), port0 + i, dirs[i], b.store === 'postgres' ? 'worker' : 'all'));
  running.push(...procs);
  await untilDrained(b);
  const drainRate = DRAIN_N / ((performance.now() - t0) / 1000);
  await Promise.all(procs.map(stop));
  return { label, store: b.store, processes: n, ingest, sync, drainRate, drainWorkers, rssMb };
}

const fmt = (l: Load) => `${Math.round(l.rps)} req/s, p99 ${l.p99} ms${l.non2xx || l.errors ? `, non-2xx ${l.non2xx}, errors ${l.errors}` : ''}`;

export async function runStoreBench(argv: string[]): Promise<void> {
  const at = argv.indexOf('--processes');
  const maxProcs = at >= 0 ? Number(argv[at + 1]) : 1;
  if (!Number.isInteger(maxProcs) || maxProcs < 1 || maxProcs > 8) throw new Error('--processes must be a whole number from 1 to 8');
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'hookflow-bench-sqlite-'));
  const lite = await sqliteBackend(dir);
  rows.push(await measure('SQLite, 1 process', lite, 1, 1));
  console.log(`${rows[0].label}: ingest ${fmt(rows[0].ingest)}; sync ${fmt(rows[0].sync)}; drain ${Math.round(rows[0].drainRate)}/s`);
  rmSync(dir, { recursive: true, force: true });
  for (let n = 1; n <= maxProcs; n++) {
    const b = await postgresBackend();
    try {
      // Drain: one worker for the one-process row, two for every other (the ≥ 1.3× target compares them).
      const row = await measure(`PostgreSQL, ${n} process${n > 1 ? 'es' : ''}`, b, n, n === 1 ? 1 : 2);
      rows.push(row);
      console.log(`${row.label}: ingest ${fmt(row.ingest)}; sync ${fmt(row.sync)}; drain (${row.drainWorkers} worker${row.drainWorkers > 1 ? 's' : ''}) ${Math.round(row.drainRate)}/s; RSS ${row.rssMb.join(' + ')} MB`);
    } finally {
      await b.close();
    }
  }
  const lite1 = rows[0];
  const pg1 = rows[1];
  const targets: Array<[string, boolean]> = [
    [`one process on PostgreSQL ≥ 0.7× SQLite for async ingest (${(pg1.ingest.rps / lite1.ingest.rps).toFixed(2)}×)`, pg1.ingest.rps >= 0.7 * lite1.ingest.rps],
    [`one process on PostgreSQL ≥ 0.7× SQLite for the drain (${(pg1.drainRate / lite1.drainRate).toFixed(2)}×)`, pg1.drainRate >= 0.7 * lite1.drainRate],
  ];
  for (const r of rows.slice(2)) {
    targets.push([`${r.label} ingest ≥ one process (${(r.ingest.rps / pg1.ingest.rps).toFixed(2)}×)`, r.ingest.rps >= pg1.ingest.rps]);
    targets.push([`${r.label} sync ≥ one process (${(r.sync.rps / pg1.sync.rps).toFixed(2)}×)`, r.sync.rps >= pg1.sync.rps]);
  }
  const two = rows.find((r) => r.store === 'postgres' && r.drainWorkers === 2);
  if (two) targets.push([`drain of ${DRAIN_N} with two worker processes ≥ 1.3× one (${(two.drainRate / pg1.drainRate).toFixed(2)}×)`, two.drainRate >= 1.3 * pg1.drainRate]);
  for (const [name, ok] of targets) console.log(`${ok ? 'MET   ' : 'MISSED'} ${name}`);
  writeSection(rows, targets);
}

const START = '<!-- postgres:start -->';
const END = '<!-- postgres:end -->';

function writeSection(rows: Row[], targets: Array<[string, boolean]>): void {
  const file = join(ROOT, 'bench/RESULTS.md');
  const line = (r: Row) => `| ${r.label} | ${Math.round(r.ingest.rps)} | ${r.ingest.p99} | ${Math.round(r.sync.rps)} | ${r.sync.p99} | ${Math.round(r.drainRate)} (${r.drainWorkers}) | ${r.rssMb.join(' + ')} | ${r.ingest.non2xx + r.sync.non2xx} |`;
  const section = `${START}
## SQLite and PostgreSQL side by side (\`npm run bench -- --store postgres --processes ${rows.length - 1}\`)

Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.
PostgreSQL on the same machine and the same 2 cores; load: autocannon, ${CONNECTIONS} connections shared out over the processes, ${DURATION} s per run.
Drain: ${DRAIN_N} queued webhook→transform executions, from spawning the worker processes to the last one finished.

| run | async ingest req/s | p99 ms | sync 5-node req/s | p99 ms | drain exec/s (workers) | RSS per process MB | non-2xx |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.map(line).join('\n')}

Targets:
${targets.map(([n, ok]) => `- ${ok ? 'met' : '**missed**'}: ${n}`).join('\n')}
${END}`;
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n';
  const s = old.indexOf(START);
  const e = old.indexOf(END);
  const next = s >= 0 && e > s ? `${old.slice(0, s)}${section}${old.slice(e + END.length)}` : `${old.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
