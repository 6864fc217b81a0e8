/** Process helpers for the benchmark: start servers, sample the RSS of a whole process tree. */
import { readFileSync, readdirSync } from 'node:fs';

/** RSS in bytes of `pid` and all its descendants (Linux /proc). */
export function treeRss(pid: number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop() as number;
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      const m = /VmRSS:\s+(\d+) kB/.exec(status);
      if (m) total += Number(m[1]) * 1024;
      for (const t of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim();
        if (kids) stack.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // the process ended between listing and reading
    }
  }
  return total;
}

/** Samples the tree's RSS every `everyMs` until stopped; returns the peak. */
export function rssSampler(pid: number, everyMs = 100) {
  let peak = treeRss(pid);
  const t = setInterval(() => { peak = Math.max(peak, treeRss(pid)); }, everyMs);
  return { stop: () => { clearInterval(t); return Math.max(peak, treeRss(pid)); }, peak: () => peak };
}
