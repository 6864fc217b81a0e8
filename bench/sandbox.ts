/**
 * Sandbox micro-benchmark against the real child: warm call latency (sequential), warm throughput (32 in flight, one and four flows),
 * first call of a new cacheKey, and a cold child. Run alone with
 * `node --no-node-snapshot --import tsx bench/sandbox.ts`; `npm run bench` runs it too.
 */
import { createSandbox, type SupervisedSandbox } from '../server/sandbox/supervisor.js';
import type { SandboxRequest } from '../nodes/contract.js';
import { treeRss } from './procs.js';

const CODE = 'return { id: input.body.id, total: input.body.items.reduce((s, i) => s + i.qty * i.price, 0) }';
const INPUT = { body: { id: 'ord_1001', customer: { email: 'ann@example.test' }, items: [{ sku: 'A-1', qty: 2, price: 9.5 }, { sku: 'B-2', qty: 1, price: 20 }] } };
const call = (key: string, extra: Partial<SandboxRequest> = {}): SandboxRequest => ({ cacheKey: key, kind: 'function', code: CODE, input: INPUT, ctx: { trigger: INPUT }, ...extra });

export interface SandboxBench {
  warmUs: number;
  warmP99Us: number;
  throughput: number;
  throughput4: number;
  newKeyUs: number;
  coldMs: number;
  childRssMb: number;
}

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

async function warm(sb: SupervisedSandbox, n: number): Promise<{ median: number; p99: number }> {
  for (let i = 0; i < 200; i++) await sb.run(call('warm'));
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await sb.run(call('warm'));
    times.push((performance.now() - t) * 1000);
  }
  return { median: pct(times, 0.5), p99: pct(times, 0.99) };
}

/** Calls/s with 32 in flight, spread over `flows` flows (groups) of two nodes each. */
async function throughput(sb: SupervisedSandbox, seconds: number, flows: number): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  const worker = async (w: number): Promise<void> => {
    while (performance.now() < end) {
      const flow = `flow${w % flows}`;
      await sb.run(call(`${flow}:1:node${w % 2}`, { group: flow }));
      done++;
    }
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: 32 }, (_, w) => worker(w)));
  return done / ((performance.now() - t) / 1000);
}

export async function benchSandbox(seconds = 3): Promise<SandboxBench> {
  const t0 = performance.now();
  const sb = createSandbox({});
  await sb.ready();
  await sb.run(call('cold'));
  const coldMs = performance.now() - t0;
  try {
    const w = await warm(sb, 2000);
    const tp = await throughput(sb, seconds, 1);
    const tp4 = await throughput(sb, seconds, 4);
    const keys: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await sb.run(call(`new-${i}`));
      keys.push((performance.now() - t) * 1000);
    }
    const pid = sb.stats().pid;
    const childRssMb = pid === undefined ? NaN : treeRss(pid) / 1048576;
    return { warmUs: w.median, warmP99Us: w.p99, throughput: tp, throughput4: tp4, newKeyUs: pct(keys, 0.5), coldMs, childRssMb };
  } finally {
    await sb.close();
  }
}

export const formatSandbox = (r: SandboxBench): string =>
  `warm call ${r.warmUs.toFixed(0)} µs median (p99 ${r.warmP99Us.toFixed(0)} µs), ${Math.round(r.throughput)} calls/s with 32 in flight (one flow), ${Math.round(r.throughput4)} (four flows), ` +
  `first call of a new cacheKey ${r.newKeyUs.toFixed(0)} µs, cold child + first call ${r.coldMs.toFixed(0)} ms, child RSS ${r.childRssMb.toFixed(0)} MB`;

if (import.meta.url === `file://${process.argv[1]}`) {
  benchSandbox(Number(process.env.BENCH_SECONDS ?? 3)).then((r) => console.log(formatSandbox(r)), (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
