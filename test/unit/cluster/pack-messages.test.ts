/** NOTIFY payloads stay under PostgreSQL's 8000-byte limit: messages are packed, and split event by event when big. */
import { describe, expect, it } from 'vitest';
import { packMessages } from '../../../server/store/postgres/notify.js';
import type { ClusterMessage } from '../../../server/store/types.js';

describe('packMessages', () => {
  it('packs small messages into one payload and splits a large batch under the limit, losing none', () => {
    expect(packMessages('o1', [{ k: 'flow', id: 'a' }, { k: 'cancel', id: 'b' }])).toEqual([JSON.stringify({ o: 'o1', m: [{ k: 'flow', id: 'a' }, { k: 'cancel', id: 'b' }] })]);
    const events = Array.from({ length: 200 }, (_, i) => ({ type: 'step.started' as const, executionId: `exe_${i}`, nodeId: 'n'.repeat(20), attempt: 1 }));
    const msgs: ClusterMessage[] = [{ k: 'events', events }, ...Array.from({ length: 300 }, (_, i) => ({ k: 'flow' as const, id: `flw_${i}` }))];
    const payloads = packMessages('o1', msgs);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000);
    const back = payloads.flatMap((p) => (JSON.parse(p) as { m: ClusterMessage[] }).m);
    expect(back.flatMap((m) => (m.k === 'events' ? m.events : []))).toEqual(events);
    expect(back.filter((m) => m.k === 'flow')).toHaveLength(300);
  });
});
