/**
 * `npm run bench:bodies` (W-27, W-28): what 1 MB webhooks cost a server.
 *  - bytes written: 30 sequential 1 MB webhooks to a 4-node flow (webhook → validate → transform → http), the
 *    server's write syscalls (/proc/<pid>/io wchar, WAL and checkpoints included) per webhook byte;
 *  - memory: 64 concurrent 1 MB webhooks, peak RSS of the server process against its idle RSS, and the answers.
 * Starts `server/cli.ts` from HOOKFLOW_BENCH_ROOT (default: this checkout) through tsx, so another checkout (e.g. an
 * unpacked `git archive` of main) can be measured the same way. Loopback only; bounded in count and time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'node:http';

const ROOT = process.env.HOOKFLOW_BENCH_ROOT ?? fileURLToPath(new URL('../', import.meta.url));
const TOKEN = 'bench-token-0123456789abcdef';
const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A ~1 MB JSON order with many items. */
function bigBody(seed: number): string {
  const items = [];
  for (let i = 0, size = 0; size < MB - 200; i++) {
    const item = { sku: `SKU-${seed}-${i}`, qty: (i % 7) + 1, price: (i % 13) + 0.5, note: 'x'.repeat(40) };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return JSON.stringify({ id: `ord_${seed}`, customer: { email: 'ann@example.test' }, items });
}

function startServer(dataDir: string, port: number, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'server/cli.ts', 'start'], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, NODE_OPTIONS: '', HOOKFLOW_PORT: String(port), HOOKFLOW_HOST: '127.0.0.1', HOOKFLOW_DATA_DIR: dataDir,
      HOOKFLOW_API_TOKEN: TOKEN, HOOKFLOW_LOG_LEVEL: 'error', HOOKFLOW_ALLOWED_HOSTS: '127.0.0.1', HOOKFLOW_ALLOW_PRIVATE_NETWORKS: 'true', ...env,
    },
  });
}

async function ready(base: string, proc: ChildProcess): Promise<void> {
  const end = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}`);
    try { if ((await fetch(`${base}/healthz`)).ok) return; } catch { /* not yet */ }
    if (Date.now() > end) throw new Error('server not ready');
    await sleep(50);
  }
}

const stop = (p: ChildProcess) => new Promise<void>((resolve) => {
  if (p.exitCode !== null) return resolve();
  p.once('exit', () => resolve());
  p.kill('SIGTERM');
});

const io = (pid: number): { wchar: number; writeBytes: number } => {
  const text = readFileSync(`/proc/${pid}/io`, 'utf8');
  return { wchar: Number(/wchar: (\d+)/.exec(text)?.[1] ?? 0), writeBytes: Number(/write_bytes: (\d+)/.exec(text)?.[1] ?? 0) };
};
const rss = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

async function api(base: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** POST with node:http (fetch holds extra copies); resolves with the status. */
const post = (url: string, body: string) => new Promise<number>((resolve, reject) => {
  const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode ?? 0));
  });
  req.on('error', reject);
  req.end(body);
});

async function receiver(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => { req.resume(); req.on('end', () => res.end('{"ok":true}')); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  return { server, url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}` };
}

const flowFor = (target: string) => ({
  name: 'large bodies', active: true,
  nodes: [
    { id: 'hook', type: 'webhook', params: { maxBodyBytes: 2 * MB } },
    { id: 'check', type: 'validate', params: { schema: { type: 'object', required: ['id', 'items'] } } },
    { id: 'calc', type: 'transform', params: { code: 'return { ...input.body, total: input.body.items.length }' } },
    { id: 'send', type: 'http', params: { url: `${target}/orders`, body: { id: '{{ input.id }}', total: '{{ input.total }}' } } },
  ],
  edges: [{ from: 'hook', to: 'check' }, { from: 'check', fromPort: 'valid', to: 'calc' }, { from: 'calc', to: 'send' }],
});

async function untilFinished(base: string, flowId: string, n: number): Promise<void> {
  const end = Date.now() + 300_000;
  for (;;) {
    const page = await api(base, 'GET', `/api/executions?flowId=${flowId}&limit=200`);
    const done = page.items.filter((e: { status: string }) => ['succeeded', 'failed'].includes(e.status)).length;
    if (done >= n) return;
    if (Date.now() > end) throw new Error(`only ${done} of ${n} finished`);
    await sleep(100);
  }
}

async function main(): Promise<void> {
  const rx = await receiver();
  const port = 20_000 + Math.floor(Math.random() * 2000);
  const base = `http://127.0.0.1:${port}`;
  const bodies = Array.from({ length: 64 }, (_, i) => bigBody(i));
  const size = Buffer.byteLength(bodies[0]);
  console.log(`root: ${ROOT}\nbody: ${(size / MB).toFixed(2)} MB`);

  // 1. Bytes written per webhook byte.
  {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-bodies-'));
    const proc = startServer(dir, port);
    await ready(base, proc);
    const flow = await api(base, 'POST', '/api/flows', flowFor(rx.url));
    await post(flow.webhook.url, bodies[63]); // warm-up (first compile of the transform)
    await untilFinished(base, flow.id, 1);
    const N = 30;
    const before = io(proc.pid as number);
    let busy = 0;
    for (let i = 0; i < N; i++) {
      // A sender retries a 503 (the in-flight byte bound, W-28) after a pause, as providers do.
      for (let status = await post(flow.webhook.url, bodies[i]); status !== 202; status = await post(flow.webhook.url, bodies[i])) {
        if (status !== 503) throw new Error(`webhook answered ${status}`);
        busy++;
        await sleep(200);
      }
    }
    await untilFinished(base, flow.id, N + 1);
    await sleep(1500);
    const after = io(proc.pid as number);
    const wchar = after.wchar - before.wchar;
    const storage = after.writeBytes - before.writeBytes;
    console.log(`bytes written to storage (write_bytes): ${(storage / MB).toFixed(1)} MB for ${N} webhooks of ${(size / MB).toFixed(2)} MB = ${(storage / (N * size)).toFixed(2)}× the body`);
    console.log(`  write syscalls (wchar, sockets and the sandbox pipe included): ${(wchar / MB).toFixed(1)} MB = ${(wchar / (N * size)).toFixed(2)}×; 503 answers retried: ${busy}`);
    await stop(proc);
    rmSync(dir, { recursive: true, force: true });
  }

  // 2. Memory under 64 concurrent 1 MB webhooks.
  {
    const dir = mkdtempSync(join(tmpdir(), 'hookflow-bodies-'));
    const proc = startServer(dir, port);
    await ready(base, proc);
    const flow = await api(base, 'POST', '/api/flows', flowFor(rx.url));
    await post(flow.webhook.url, bodies[63]);
    await untilFinished(base, flow.id, 1);
    await sleep(1000);
    const pid = proc.pid as number;
    const idle = rss(pid);
    let peak = idle;
    const t = setInterval(() => { peak = Math.max(peak, rss(pid)); }, 20);
    const statuses = await Promise.all(bodies.map((b) => post(flow.webhook.url, b)));
    const accepted = statuses.filter((s) => s === 202).length;
    await untilFinished(base, flow.id, 1 + accepted);
    clearInterval(t);
    const count = (s: number) => statuses.filter((x) => x === s).length;
    console.log(`memory: idle ${(idle / MB).toFixed(0)} MB, peak ${(peak / MB).toFixed(0)} MB during 64 concurrent 1 MB webhooks (+${((peak - idle) / MB).toFixed(0)} MB); answers: ${count(202)}×202, ${count(503)}×503, ${statuses.length - count(202) - count(503)}× other`);
    await stop(proc);
    rmSync(dir, { recursive: true, force: true });
  }
  rx.server.close();
}

main().catch((e) => { console.error(e); process.exit(1); });
