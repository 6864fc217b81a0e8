/** The pure parts of sandbox fairness: lane scheduling per group (scheduler.ts) and per-group back-off (backoff.ts). */
import { describe, expect, it } from 'vitest';
import { createBackoff } from '../../../server/sandbox/backoff.js';
import { createLaneScheduler } from '../../../server/sandbox/scheduler.js';

interface J { group: string; n: number }
const jobs = (group: string, count: number, from = 0): J[] => Array.from({ length: count }, (_, i) => ({ group, n: from + i }));
const names = (taken: Array<{ lane: number; job: J }>): string[] => taken.map(({ lane, job }) => `${lane}:${job.group}${job.n}`);

describe('createLaneScheduler', () => {
  it('gives each group its own lane and sends ahead up to the pipeline depth', () => {
    const s = createLaneScheduler<J>(2, () => 3);
    for (const j of [...jobs('a', 5), ...jobs('b', 1)]) s.enqueue(j);
    expect(names(s.take())).toEqual(['0:a0', '0:a1', '0:a2', '1:b0']);
    expect(s.take()).toEqual([]);
    expect({ queued: s.queued(), sent: s.sent() }).toEqual({ queued: 2, sent: 4 });
  });

  it('never puts a group behind another group\'s call while a lane is free', () => {
    const s = createLaneScheduler<J>(3, () => 8);
    s.enqueue({ group: 'slow', n: 0 });
    expect(names(s.take())).toEqual(['0:slow0']);
    s.enqueue({ group: 'fast', n: 0 });
    s.enqueue({ group: 'other', n: 0 });
    expect(names(s.take())).toEqual(['1:fast0', '2:other0']);
  });

  it('with more busy groups than lanes, stops refilling and hands a drained lane to the longest-waiting group', () => {
    const s = createLaneScheduler<J>(1, () => 2);
    for (const j of [...jobs('a', 4), ...jobs('b', 2), ...jobs('c', 2)]) s.enqueue(j);
    const first = s.take();
    expect(names(first)).toEqual(['0:a0', '0:a1']);
    s.done(0, first[0]?.job as J);
    expect(s.take()).toEqual([]); // b and c wait: a gets no more until its lane drains
    s.done(0, first[1]?.job as J);
    expect(names(s.take())).toEqual(['0:b0', '0:b1']);
  });

  it('keeps a group on the lane it used last when that lane is free (its warm contexts live there)', () => {
    const s = createLaneScheduler<J>(3, () => 1);
    s.enqueue({ group: 'x', n: 0 });
    s.enqueue({ group: 'y', n: 0 });
    const t = s.take();
    expect(names(t)).toEqual(['0:x0', '1:y0']);
    s.done(1, t[1]?.job as J);
    s.done(0, t[0]?.job as J);
    s.enqueue({ group: 'y', n: 1 });
    expect(names(s.take())).toEqual(['1:y1']);
  });

  it('requeues at the front in order, removes and drops queued jobs, and drains sent ones with the running flag', () => {
    const s = createLaneScheduler<J>(1, () => 2);
    for (const j of jobs('a', 4)) s.enqueue(j);
    const sent = s.take().map((x) => x.job);
    expect(s.head(0)).toBe(sent[0]);
    expect(s.sentBehind('a')).toEqual([sent[1]]);
    const drained = s.drainSent();
    expect(drained.map((d) => [d.job.n, d.running])).toEqual([[0, true], [1, false]]);
    s.requeue(drained.map((d) => d.job));
    expect(s.remove(sent[1] as J)).toBe(true);
    expect(s.remove(sent[1] as J)).toBe(false);
    expect(s.dropGroup('a').map((j) => j.n)).toEqual([0, 2, 3]);
    expect({ queued: s.queued(), sent: s.sent() }).toEqual({ queued: 0, sent: 0 });
  });

  it('sends a suspect group one call at a time', () => {
    const s = createLaneScheduler<J>(2, (g) => (g === 'bad' ? 1 : 4));
    for (const j of [...jobs('bad', 3), ...jobs('good', 3)]) s.enqueue(j);
    expect(names(s.take())).toEqual(['0:bad0', '1:good0', '1:good1', '1:good2']);
  });
});

describe('createBackoff', () => {
  it('backs a group off after `threshold` strikes in the window, doubling per further strike, capped', () => {
    let now = 0;
    const b = createBackoff({ threshold: 3, baseMs: 1000, maxMs: 4000, windowMs: 60_000 }, () => now);
    expect(b.strike('g', 'sandbox_timeout')).toBeUndefined();
    expect(b.suspect('g')).toBe(true);
    expect(b.strike('g', 'sandbox_timeout')).toBeUndefined();
    expect(b.strike('g', 'sandbox_memory')).toEqual({ until: 1000, strikes: 3, last: 'sandbox_memory' });
    expect(b.check('g')).toMatchObject({ until: 1000 });
    expect(b.check('other')).toBeUndefined();
    now = 1000;
    expect(b.check('g')).toBeUndefined();
    expect(b.strike('g', 'sandbox_timeout')?.until).toBe(3000);
    expect(b.strike('g', 'sandbox_timeout')?.until).toBe(5000);
    expect(b.strike('g', 'sandbox_timeout')?.until).toBe(5000); // 8000 capped at 4000 from now
  });

  it('a crash strikes `threshold` times at once; strikes expire with the window and sweep forgets the group', () => {
    let now = 0;
    const b = createBackoff({ threshold: 3, baseMs: 1000, windowMs: 10_000 }, () => now);
    expect(b.strike('g', 'sandbox_crash', b.threshold)).toMatchObject({ strikes: 3, until: 1000 });
    now = 10_001;
    expect(b.suspect('g')).toBe(false);
    expect(b.strike('g', 'sandbox_timeout')).toBeUndefined();
    now = 30_000;
    b.sweep();
    expect(b.suspect('g')).toBe(false);
    expect(b.check('g')).toBeUndefined();
  });
});
