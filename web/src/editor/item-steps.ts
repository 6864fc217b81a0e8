/** Steps of nodes that run once per item after a split (`inv@3`): rolled up per node, with counts like "12 ✓ 1 ✗". */
import type { StepRecord } from '../api/types.js';

export interface ItemCounts { ok: number; failed: number; skipped: number; pending: number; canceled?: number }

/** `inv@3` → `inv`; ids of nodes outside a split come back unchanged. */
export const baseOf = (stepId: string): string => { const at = stepId.indexOf('@'); return at < 0 ? stepId : stepId.slice(0, at); };
export const isItemStep = (stepId: string): boolean => stepId.includes('@');

/** "12 ✓ 1 ✗ 2 skipped 3 running": only the parts that are not zero. */
export function countsNote(c: ItemCounts): string {
  const parts = [`${c.ok} ✓`];
  if (c.failed) parts.push(`${c.failed} ✗`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  if (c.pending) parts.push(`${c.pending} running`);
  if (c.canceled) parts.push(`${c.canceled} canceled`);
  return parts.join(' ');
}

export function countItems(steps: readonly StepRecord[]): ItemCounts {
  const c: ItemCounts = { ok: 0, failed: 0, skipped: 0, pending: 0 };
  for (const s of steps) {
    if (s.status === 'succeeded' || (s.status === 'failed' && s.port === 'error')) c.ok++;
    else if (s.status === 'failed') c.failed++;
    else if (s.status === 'skipped') c.skipped++;
    else if (s.status === 'canceled') c.canceled = (c.canceled ?? 0) + 1;
    else c.pending++;
  }
  return c;
}

/** One step per node: item steps become a node step whose status sums them up, `ports` every port the items took. */
export function rollUp(steps: readonly StepRecord[]): Array<StepRecord & { items?: ItemCounts }> {
  const groups = new Map<string, StepRecord[]>();
  const out: Array<StepRecord & { items?: ItemCounts }> = [];
  for (const s of steps) {
    if (!isItemStep(s.nodeId)) { out.push(s); continue; }
    const b = baseOf(s.nodeId);
    if (!groups.has(b)) groups.set(b, []);
    groups.get(b)?.push(s);
  }
  for (const [nodeId, list] of groups) {
    const items = countItems(list);
    const status = items.pending ? 'running' : items.failed ? 'failed' : items.ok ? 'succeeded' : 'skipped';
    const ports = [...new Set(list.flatMap((s) => (s.ports ?? (s.port ? [s.port] : []))))];
    const failed = list.find((s) => s.status === 'failed' && s.port !== 'error');
    out.push({
      nodeId, status: status as StepRecord['status'], port: ports[0], ports, attempts: list.reduce((n, s) => n + s.attempts, 0), items,
      ...(failed?.error ? { error: failed.error } : {}),
    });
  }
  return out;
}
