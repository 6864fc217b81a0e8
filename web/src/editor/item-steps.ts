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

/** One step per node, in order (a node run per item where its first item is): item steps become a node step whose status sums them up, `ports` every port the items took. */
export function rollUp(steps: readonly StepRecord[]): Array<StepRecord & { items?: ItemCounts }> {
  const groups = new Map<string, StepRecord[]>();
  const order: Array<StepRecord | string> = [];
  for (const s of steps) {
    if (!isItemStep(s.nodeId)) { order.push(s); continue; }
    const b = baseOf(s.nodeId);
    const list = groups.get(b);
    if (list) { list.push(s); continue; }
    groups.set(b, [s]);
    order.push(b);
  }
  return order.map((x) => (typeof x === 'string' ? rolled(x, groups.get(x) ?? []) : x));
}

function rolled(nodeId: string, list: readonly StepRecord[]): StepRecord & { items: ItemCounts } {
  const items = countItems(list);
  const status = items.pending ? 'running' : items.failed ? 'failed' : items.ok ? 'succeeded' : 'skipped';
  const ports = [...new Set(list.flatMap((s) => (s.ports ?? (s.port ? [s.port] : []))))];
  const failed = list.find((s) => s.status === 'failed' && s.port !== 'error');
  return {
    nodeId, status: status as StepRecord['status'], port: ports[0], ports, attempts: list.reduce((n, s) => n + s.attempts, 0), items,
    ...(failed?.error ? { error: failed.error } : {}),
  };
}
