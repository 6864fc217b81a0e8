/** Token-bucket limiter (W-21) with a fake clock: burst, refill, Retry-After, isolation, bounded memory. */
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../server/ingress/rate-limit.js';

function fakeClock(start = 1_000_000): { now(): number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

function takeMany(take: () => { ok: boolean }, n: number): number {
  let allowed = 0;
  for (let i = 0; i < n; i++) if (take().ok) allowed++;
  return allowed;
}

describe('createRateLimiter', () => {
  it('allows a burst of perMinute, then refuses with Retry-After (W-21)', () => {
    const limiter = createRateLimiter({ clock: fakeClock() });
    expect(takeMany(() => limiter.take('flow:a', 10), 10)).toBe(10);
    expect(limiter.take('flow:a', 10)).toEqual({ ok: false, retryAfterSec: 6 }); // one token per 6 s
  });

  it('refills perMinute / 60 tokens per second', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ clock });
    takeMany(() => limiter.take('k', 60), 60);
    expect(limiter.take('k', 60)).toEqual({ ok: false, retryAfterSec: 1 });
    clock.advance(500);
    expect(limiter.take('k', 60).ok).toBe(false);
    clock.advance(500);
    expect(limiter.take('k', 60)).toEqual({ ok: true });
    clock.advance(10_000);
    expect(takeMany(() => limiter.take('k', 60), 20)).toBe(10);
  });

  it('never refills past capacity, however long the key was idle', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ clock });
    limiter.take('k', 5);
    clock.advance(3_600_000);
    expect(takeMany(() => limiter.take('k', 5), 10)).toBe(5);
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ clock });
    takeMany(() => limiter.take('slow', 1), 1);
    expect(limiter.take('slow', 1)).toEqual({ ok: false, retryAfterSec: 60 });
    clock.advance(59_001);
    expect(limiter.take('slow', 1)).toEqual({ ok: false, retryAfterSec: 1 });
    takeMany(() => limiter.take('fast', 600), 600);
    expect(limiter.take('fast', 600)).toEqual({ ok: false, retryAfterSec: 1 }); // 0.1 s → 1
  });

  it('keeps another flow unaffected by a burst on one flow', () => {
    const limiter = createRateLimiter({ clock: fakeClock() });
    takeMany(() => limiter.take('flow:a', 3), 100);
    expect(limiter.take('flow:a', 3).ok).toBe(false);
    expect(takeMany(() => limiter.take('flow:b', 3), 3)).toBe(3);
  });

  it('follows a changed perMinute, capping the level at the new capacity', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ clock });
    limiter.take('k', 100); // 99 left
    expect(takeMany(() => limiter.take('k', 2), 10)).toBe(2);
  });

  it('does not refill when the clock steps backwards', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ clock });
    takeMany(() => limiter.take('k', 2), 2);
    clock.advance(-30_000);
    expect(limiter.take('k', 2).ok).toBe(false);
  });

  it.each([0, -1, Number.NaN])('throws a RangeError for perMinute %s', (perMinute) => {
    const limiter = createRateLimiter({ clock: fakeClock() });
    expect(() => limiter.take('k', perMinute)).toThrow(RangeError);
  });
});

describe('createRateLimiter memory', () => {
  it('forgets buckets idle for a minute or more, exactly (they were full again)', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ clock });
    for (let i = 0; i < 1000; i++) limiter.take(`ip:${i}`, 10);
    expect(limiter.size()).toBe(1000);
    clock.advance(60_000);
    limiter.take('other', 10);
    clock.advance(60_000);
    limiter.take('other', 10);
    expect(limiter.size()).toBe(1);
    expect(takeMany(() => limiter.take('ip:1', 10), 20)).toBe(10); // a full bucket, as if never forgotten
  });

  it('keeps a bucket that is still in use across generations', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ clock });
    takeMany(() => limiter.take('hot', 60), 60);
    for (let step = 0; step < 8; step++) {
      clock.advance(30_000); // refills 30 of 60 tokens; a forgotten bucket would come back with 60
      limiter.take(`noise:${step}`, 60);
      expect(takeMany(() => limiter.take('hot', 60), 100)).toBe(30);
    }
  });

  it('stays within maxKeys when keys are sprayed', () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ clock, maxKeys: 1000 });
    for (let i = 0; i < 300_000; i++) {
      limiter.take(`ip:${i}`, 10);
      if (i % 997 === 0) clock.advance(1);
    }
    expect(limiter.size()).toBeLessThanOrEqual(1000);
  });

  it('defaults maxKeys to 100 000', () => {
    const limiter = createRateLimiter({ clock: fakeClock() });
    for (let i = 0; i < 250_000; i++) limiter.take(`k${i}`, 1);
    expect(limiter.size()).toBeLessThanOrEqual(100_000);
    expect(limiter.size()).toBeGreaterThanOrEqual(50_000);
  });
});
