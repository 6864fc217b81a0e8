import { describe, expect, it } from 'vitest';
import { countsNote, rollUp } from '../../../web/src/editor/item-steps.js';
import type { StepRecord } from '../../../server/store/types.js';

describe('item steps rolled up per node', () => {
  const steps: StepRecord[] = [
    { nodeId: 'hook', status: 'succeeded', port: 'out', attempts: 1 },
    ...Array.from({ length: 12 }, (_, i): StepRecord => ({ nodeId: `inv@${i}`, status: 'succeeded', port: i === 3 ? 'insufficient' : 'ok', attempts: 1 })),
    { nodeId: 'inv@12', status: 'failed', attempts: 3, error: { code: 'sqlite_busy', message: 'busy' } },
  ];
  it('counts items and keeps every port they took', () => {
    const inv = rollUp(steps).find((s) => s.nodeId === 'inv');
    expect(inv).toMatchObject({ status: 'failed', ports: ['ok', 'insufficient'], attempts: 15, items: { ok: 12, failed: 1, skipped: 0, pending: 0 }, error: { code: 'sqlite_busy' } });
    expect(countsNote(inv!.items!)).toBe('12 ✓ 1 ✗');
    expect(rollUp(steps).map((s) => s.nodeId)).toEqual(['hook', 'inv']);
    expect(rollUp([steps[0], steps[1], { nodeId: 'all', status: 'succeeded', attempts: 1 }, steps[2]]).map((s) => s.nodeId)).toEqual(['hook', 'inv', 'all']);
  });
  it('shows items still running', () => {
    expect(countsNote({ ok: 2, failed: 0, skipped: 1, pending: 3 })).toBe('2 ✓ 1 skipped 3 running');
  });
});
