// isolated-vm micro-benchmark: what one transform costs inside an isolate, independent of the server and its child.
//   npm run bench:isolate [-- --write] [-- --ivm <isolated-vm package dir>]
// Plain JavaScript, so the same file runs on older Node with another isolated-vm for before/after figures
// (e.g. `/usr/bin/node --no-node-snapshot bench/isolate.mjs --ivm /tmp/ivm5/node_modules/isolated-vm`).
//  - warm call: a compiled user function in a reused context, called with a copied-in payload (applySync, and
//    the async apply() the sandbox child uses), result copied out;
//  - cold: a new isolate + context + compile of the function + its first call (what a fresh or recycled
//    sandbox pays before the first answer); the dispose after it is timed apart.
// Prints medians and p99s; --write records them in bench/RESULTS.md (one row per Node + isolated-vm version).
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const ivmDir = opt('--ivm');
const require = createRequire(ivmDir ? join(ivmDir, 'package.json') : join(ROOT, 'package.json'));
const ivm = ivmDir ? require(ivmDir) : require('isolated-vm');
const ivmVersion = require(ivmDir ? join(ivmDir, 'package.json') : 'isolated-vm/package.json').version;
const WARM_N = Number(opt('--warm') ?? 10_000);
const ASYNC_N = Number(opt('--async') ?? 2_000);
const COLD_N = Number(opt('--cold') ?? 200);

if (!process.execArgv.includes('--no-node-snapshot')) {
  console.error('run with node --no-node-snapshot (isolated-vm requires it)');
  process.exit(2);
}

const USER_CODE = '(input) => ({ ...input, total: input.items.reduce((a, b) => a + b.price * b.qty, 0) })';
const INPUT = { id: 'ord_1001', items: [{ sku: 'A-1', price: 9.99, qty: 2 }, { sku: 'B-2', price: 2.99, qty: 1 }] };
const EXPECTED = 22.97;
const OPTS = { result: { copy: true }, timeout: 50 };

const ms = () => Number(process.hrtime.bigint()) / 1e6;
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const stats = (xs) => { const s = [...xs].sort((a, b) => a - b); return { median: pct(s, 50), p99: pct(s, 99), n: s.length }; };
const check = (r) => { if (Math.abs(r.total - EXPECTED) > 1e-9) throw new Error(`wrong result ${JSON.stringify(r)}`); };

/** New isolate + context + compile + first call; returns [ms to the first answer, ms to dispose]. */
function cold() {
  const t0 = ms();
  const iso = new ivm.Isolate({ memoryLimit: 32 });
  const ctx = iso.createContextSync();
  const fn = ctx.evalSync(USER_CODE, { reference: true });
  check(fn.applySync(undefined, [new ivm.ExternalCopy(INPUT).copyInto()], OPTS));
  const t1 = ms();
  iso.dispose();
  return [t1 - t0, ms() - t1];
}

async function main() {
  for (let i = 0; i < 20; i++) cold(); // warm-up: code paths, allocator
  const coldFirst = [];
  const disposeMs = [];
  for (let i = 0; i < COLD_N; i++) { const [a, b] = cold(); coldFirst.push(a); disposeMs.push(b); }

  const iso = new ivm.Isolate({ memoryLimit: 32 });
  const fn = iso.createContextSync().evalSync(USER_CODE, { reference: true });
  const call = () => fn.applySync(undefined, [new ivm.ExternalCopy(INPUT).copyInto()], OPTS);
  for (let i = 0; i < 1000; i++) check(call());
  const warm = [];
  for (let i = 0; i < WARM_N; i++) { const t = ms(); const r = call(); warm.push(ms() - t); check(r); }
  const warmAsync = [];
  for (let i = 0; i < 200; i++) check(await fn.apply(undefined, [new ivm.ExternalCopy(INPUT).copyInto()], OPTS));
  for (let i = 0; i < ASYNC_N; i++) { const t = ms(); const r = await fn.apply(undefined, [new ivm.ExternalCopy(INPUT).copyInto()], OPTS); warmAsync.push(ms() - t); check(r); }
  iso.dispose();

  const r = { warm: stats(warm), warmAsync: stats(warmAsync), cold: stats(coldFirst), dispose: stats(disposeMs) };
  const us = (x) => `${(x * 1000).toFixed(1)} µs`;
  const msf = (x) => `${x.toFixed(2)} ms`;
  const label = `Node ${process.version}, isolated-vm ${ivmVersion}`;
  console.log(label);
  console.log(`warm call, applySync (n=${r.warm.n}):        median ${us(r.warm.median)}, p99 ${us(r.warm.p99)}`);
  console.log(`warm call, async apply (n=${r.warmAsync.n}):     median ${us(r.warmAsync.median)}, p99 ${us(r.warmAsync.p99)}`);
  console.log(`cold isolate+context+compile+first call (n=${r.cold.n}): median ${msf(r.cold.median)}, p99 ${msf(r.cold.p99)}; dispose median ${msf(r.dispose.median)}`);
  if (argv.includes('--write')) record(label, r, us, msf);
}

/** Replaces (or adds) this version's row in the sandbox table of bench/RESULTS.md; the rest of the file is left alone. */
function record(label, r, us, msf) {
  const file = join(ROOT, 'bench/RESULTS.md');
  const start = '<!-- isolate-bench:start -->';
  const end = '<!-- isolate-bench:end -->';
  let md = readFileSync(file, 'utf8');
  if (!md.includes(start)) {
    md += `\n## Sandbox isolate micro-benchmark (\`npm run bench:isolate\`: isolated-vm alone, before and after the Node 24 move)\n\n${start}\n| runtime | warm call, applySync median / p99 | warm call, async apply median / p99 | cold isolate+context+compile+first call median / p99 | dispose median | date, machine |\n| --- | ---: | ---: | ---: | ---: | --- |\n${end}\n`;
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
  const row = `| ${label} | ${us(r.warm.median)} / ${us(r.warm.p99)} | ${us(r.warmAsync.median)} / ${us(r.warmAsync.p99)} | ${msf(r.cold.median)} / ${msf(r.cold.p99)} | ${msf(r.dispose.median)} | ${new Date().toISOString().slice(0, 10)}, ${machine} |`;
  const [head, rest] = md.split(start);
  const [table, tail] = rest.split(end);
  const lines = table.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(`| ${label} |`));
  md = `${head}${start}\n${[...lines, row].join('\n')}\n${end}${tail}`;
  writeFileSync(file, md);
  console.log(`recorded in bench/RESULTS.md`);
}

main().catch((e) => { console.error(e); process.exit(1); });
