/** The cluster event relay with a fake channel: what it relays, to whom, and the database poll that backs it up. */
import { describe, expect, it } from 'vitest';
import { createClusterEvents } from '../../../server/cluster/event-relay.js';
import type { ClusterMessage } from '../../../server/store/types.js';
import type { RunnerEvent } from '../../../server/runner/events.js';

function channel() {
  const sent: ClusterMessage[] = [];
  const handlers = new Set<(m: ClusterMessage) => void>();
  return {
    sent,
    deliver: (m: ClusterMessage) => { for (const h of handlers) h(m); },
    publish: (m: ClusterMessage) => { sent.push(m); },
    onMessage: (fn: (m: ClusterMessage) => void) => { handlers.add(fn); return () => handlers.delete(fn); },
  };
}
const tick = () => new Promise((r) => setImmediate(r));
const relayed = (sent: ClusterMessage[]) => sent.flatMap((m) => (m.k === 'events' ? m.events.map((e) => `${e.executionId}:${e.type}`) : []));

describe('cluster event relay', () => {
  it('relays every event of test runs, only the answer of sync runs whose caller waits elsewhere, nothing of async runs', async () => {
    const ch = channel();
    const bus = createClusterEvents({ channel: ch, load: async () => undefined });
    const run = (id: string, mode: 'test' | 'sync' | 'async') => {
      bus.emit({ type: 'execution.started', executionId: id, flowId: 'f', mode });
      bus.emit({ type: 'step.started', executionId: id, nodeId: 'n', attempt: 1 });
      bus.emit({ type: 'execution.responded', executionId: id, response: { status: 200, headers: {}, body: 1 } });
      bus.emit({ type: 'execution.finished', executionId: id, status: 'succeeded' });
    };
    run('t', 'test');
    run('s', 'sync');
    run('a', 'async');
    const local = bus.subscribe('s2', () => undefined);
    run('s2', 'sync'); // its caller waits in this process
    local();
    await tick();
    expect(relayed(ch.sent)).toEqual(['t:execution.started', 't:step.started', 't:execution.responded', 't:execution.finished', 's:execution.responded', 's:execution.finished']);
    bus.close();
  });

  it('a live subscriber asks for a watch; a watched execution is relayed in full; remote events reach only subscribers', async () => {
    const ch = channel();
    const bus = createClusterEvents({ channel: ch, load: async () => undefined });
    const got: RunnerEvent[] = [];
    const all: RunnerEvent[] = [];
    bus.subscribeAll((e) => all.push(e));
    const off = bus.subscribe('x', (e) => got.push(e), { live: true });
    expect(ch.sent).toContainEqual({ k: 'watch', ids: ['x'] });
    ch.deliver({ k: 'events', events: [{ type: 'step.started', executionId: 'x', nodeId: 'n', attempt: 1 }, { type: 'step.started', executionId: 'other', nodeId: 'n', attempt: 1 }] });
    expect(got).toEqual([{ type: 'step.started', executionId: 'x', nodeId: 'n', attempt: 1 }]);
    expect(all).toEqual([]); // remote events never reach metrics
    off();
    ch.deliver({ k: 'watch', ids: ['w'] });
    bus.emit({ type: 'execution.started', executionId: 'w', flowId: 'f', mode: 'async' });
    await tick();
    expect(relayed(ch.sent)).toEqual(['w:execution.started']);
    bus.close();
  });

  it('a subscriber whose execution runs elsewhere learns of its end from the database when no message comes', async () => {
    const ch = channel();
    let status = 'running';
    const bus = createClusterEvents({ channel: ch, load: async () => ({ status: status as 'running', response: { status: 201, headers: {}, body: 'late' } }), pollMs: 20 });
    const got = new Promise<RunnerEvent>((resolve) => { bus.subscribe('far', (e) => resolve(e)); });
    setTimeout(() => { status = 'succeeded'; }, 60);
    expect(await got).toEqual({ type: 'execution.finished', executionId: 'far', status: 'succeeded', response: { status: 201, headers: {}, body: 'late' }, error: undefined });
    bus.close();
  });

  it('an answer too big for a message is trimmed; the receiver reads it from the database', async () => {
    const ch = channel();
    const big = 'x'.repeat(10_000);
    const sender = createClusterEvents({ channel: ch, load: async () => undefined });
    sender.emit({ type: 'execution.started', executionId: 'b', flowId: 'f', mode: 'test' });
    sender.emit({ type: 'execution.finished', executionId: 'b', status: 'succeeded', response: { status: 200, headers: {}, body: big } });
    await tick();
    const msg = ch.sent.find((m) => m.k === 'events') as Extract<ClusterMessage, { k: 'events' }>;
    expect(JSON.stringify(msg).length).toBeLessThan(7000);
    const rx = channel();
    const receiver = createClusterEvents({ channel: rx, load: async () => ({ status: 'succeeded', response: { status: 200, headers: {}, body: big } }) });
    const got = new Promise<RunnerEvent>((resolve) => { receiver.subscribe('b', (e) => { if (e.type === 'execution.finished') resolve(e); }); });
    rx.deliver(msg);
    const e = await got;
    expect(e.type === 'execution.finished' && e.response?.body === big).toBe(true);
    sender.close();
    receiver.close();
  });
});
