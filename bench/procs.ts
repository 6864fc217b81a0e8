/** Process helpers for the benchmark: start servers, sample the RSS and CPU time of a whole process tree. */
import { readFileSync, readdirSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { FINAL_STATUSES } from '../server/store/types.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** SIGTERM, then SIGKILL after 10 s; resolves when the process has exited. */
export const stop = (p: ChildProcess) => new Promise<void>((resolve) => {
  if (p.exitCode !== null || p.signalCode !== null) return resolve();
  p.once('exit', () => resolve());
  p.kill('SIGTERM');
  setTimeout(() => p.kill('SIGKILL'), 10_000).unref();
});

/** Waits until the SQLite file at `dbFile` holds no execution that is not final. */
export async function untilDrained(dbFile: string, timeoutMs = 300_000): Promise<void> {
  const db = new Database(dbFile, { readonly: true });
  const q = db.prepare(`SELECT count(*) FROM executions WHERE status NOT IN (${FINAL_STATUSES.map(() => '?').join(',')})`).pluck();
  const end = Date.now() + timeoutMs;
  try {
    while ((q.get(...FINAL_STATUSES) as number) > 0) {
      if (Date.now() > end) throw new Error('drain did not finish');
      await sleep(20);
    }
  } finally {
    db.close();
  }
}

/** `pid` and all its descendants (Linux /proc); processes that end while listed are skipped. */
export function treePids(pid: number): number[] {
  const out: number[] = [];
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop() as number;
    try {
      for (const t of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        if (kids) stack.push(...kids.split(/\s+/).map(Number));
      }
      out.push(p);
    } catch {
      // the process ended between listing and reading
    }
  }
  return out;
}

/** RSS in bytes of `pid` and all its descendants (Linux /proc). */
export function treeRss(pid: number): number {
  let total = 0;
  for (const p of treePids(pid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // ended meanwhile
    }
  }
  return total;
}

/** User + system CPU time in ms of `pid` and its live descendants, all threads included (/proc/<pid>/stat, 100 Hz ticks). */
export function treeCpuMs(pid: number, only?: number): number {
  let ticks = 0;
  for (const p of only !== undefined ? [only] : treePids(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    } catch {
      // ended meanwhile
    }
  }
  return ticks * 10;
}

/** Samples the tree's RSS every `everyMs` until stopped; returns the peak. */
export function rssSampler(pid: number, everyMs = 100) {
  let peak = treeRss(pid);
  const t = setInterval(() => { peak = Math.max(peak, treeRss(pid)); }, everyMs);
  return { stop: () => { clearInterval(t); return Math.max(peak, treeRss(pid)); }, peak: () => peak };
}
