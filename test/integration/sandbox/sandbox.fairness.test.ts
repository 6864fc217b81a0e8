/**
 * S-26…S-28 (docs/security.md) against the real sandbox child: one group's (flow's) backtracking, looping or
 * memory-blowing code never makes another group's calls fail or wait behind it; a call whose caller gave up is
 * really stopped; a group that keeps blowing limits is backed off instead of crash-looping the child.
 * Bounds are generous (shared 2-core machine): each proves "did not wait behind the attacker", whose calls take seconds.
 */
import { describe, expect, it } from 'vitest';
import { NodeError } from '../../../nodes/contract.js';
import { createSandbox, type SandboxOptions, type SupervisedSandbox } from '../../../server/sandbox/supervisor.js';
import { cpuTicksOver, expectFailure, pidOf, within } from './sandbox-helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withSandbox(opts: SandboxOptions, fn: (sb: SupervisedSandbox) => Promise<void>): Promise<void> {
  const sb = createSandbox(opts);
  try {
    await sb.ready();
    await fn(sb);
  } finally {
    await sb.close();
  }
}

/** The unrelated flow: a transform and a condition expression, as the runner calls them. */
async function unrelatedCalls(sb: SupervisedSandbox, n: number, boundMs: number): Promise<number[]> {
  const took: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = Date.now();
    const total = await within(sb.run({ cacheKey: 'u:1:calc', group: 'u', kind: 'function', code: 'return input.items.reduce((s, x) => s + x, 0)', input: { items: [i, 1, 2] }, ctx: {} }), boundMs, 'an unrelated transform');
    expect(total).toBe(i + 3);
    await expect(within(sb.run({ cacheKey: 'u:1:big', group: 'u', kind: 'expression', code: 'input > 5', input: total, ctx: {} }), boundMs, 'an unrelated condition')).resolves.toBe(i + 3 > 5);
    took.push(Date.now() - t);
    await sleep(20);
  }
  return took;
}

const codeOf = (e: unknown): string => (e instanceof NodeError ? e.code : `not a NodeError: ${String(e)}`);

describe('S-26 catastrophic backtracking in one flow', () => {
  it('fifteen calls of /^(\\w+\\s?)*$/ on 40×a+! do not fail or delay another flow, and the attacker is backed off', async () => {
    await withSandbox({}, async (sb) => {
      const regex = () => sb.run({
        cacheKey: 'r:1:re', group: 'r', kind: 'function', code: 'return /^(\\w+\\s?)*$/.test(input.name)',
        input: { name: `${'a'.repeat(40)}!` }, ctx: {}, timeoutMs: 2500,
      }).then((v) => v, (e: unknown) => e);
      const attacks = Array.from({ length: 15 }, regex);
      await sleep(200);
      const took = await unrelatedCalls(sb, 10, 2000);
      console.log(`S-26 unrelated flow under attack: ${took.join(', ')} ms`);
      const codes = (await Promise.all(attacks)).map(codeOf);
      expect(codes.filter((c) => c === 'sandbox_timeout').length).toBeGreaterThanOrEqual(1);
      expect(codes.filter((c) => c === 'sandbox_backoff').length).toBeGreaterThanOrEqual(10);
      expect(codes.filter((c) => c !== 'sandbox_timeout' && c !== 'sandbox_backoff')).toEqual([]);
    });
  }, 60_000);
});

describe('S-27 an endless loop with a 30 s limit in one flow', () => {
  it('does not block another flow, and is really stopped (isolate disposed, child idle) when its caller gives up', async () => {
    await withSandbox({}, async (sb) => {
      const giveUp = new AbortController();
      const looping = sb.run({ cacheKey: 's:1:spin', group: 's', kind: 'function', code: 'for (;;) {}', input: null, ctx: {}, timeoutMs: 30_000, signal: giveUp.signal });
      looping.catch(() => undefined);
      await sleep(200);
      const took = await unrelatedCalls(sb, 10, 2000);
      console.log(`S-27 unrelated flow beside a 30 s loop: ${took.join(', ')} ms`);
      const pid = pidOf(sb);
      const t = Date.now();
      giveUp.abort(new Error('node timed out after 5000 ms'));
      const err = await within(expectFailure(looping, 'sandbox_canceled'), 2000, 'the canceled call');
      expect(err.message).toMatch(/node timed out/);
      console.log(`S-27 canceled after ${Date.now() - t} ms`);
      // A core still spinning would add ~100 ticks a second; a stopped isolate leaves the child near idle.
      await sleep(200);
      expect(await cpuTicksOver(pid, 1000)).toBeLessThan(40);
      expect(sb.stats()).toMatchObject({ restarts: 0, pid });
      await expect(sb.run({ cacheKey: 's:1:after', group: 's', kind: 'function', code: 'return 7', input: null, ctx: {} })).resolves.toBe(7);
    });
  }, 60_000);

  it('a call canceled while still queued never runs', async () => {
    await withSandbox({}, async (sb) => {
      const first = new AbortController();
      const queued = new AbortController();
      const a = sb.run({ cacheKey: 'q:1:a', group: 'q', kind: 'function', code: 'for (;;) {}', input: null, ctx: {}, timeoutMs: 30_000, signal: first.signal });
      const b = sb.run({ cacheKey: 'q:1:b', group: 'q', kind: 'function', code: 'for (;;) {}', input: null, ctx: {}, timeoutMs: 30_000, signal: queued.signal });
      await sleep(100);
      queued.abort(new Error('execution canceled'));
      await within(expectFailure(b, 'sandbox_canceled'), 1000, 'the queued call');
      first.abort(new Error('execution canceled'));
      await within(expectFailure(a, 'sandbox_canceled'), 2000, 'the running call');
      await sleep(200);
      expect(await cpuTicksOver(pidOf(sb), 1000)).toBeLessThan(40);
    });
  }, 30_000);
});

describe('S-28 a flow whose code keeps blowing the memory cap', () => {
  it('ten calls do not crash-loop the child: the flow is backed off, another flow is served throughout', async () => {
    await withSandbox({}, async (sb) => {
      const t = Date.now();
      // Recorded: a Map this size ends in V8's "Catastrophic out-of-memory error" (the child must die) or in the
      // isolate's memory limit, depending on where the last allocation lands.
      const bombs = Array.from({ length: 10 }, () => sb.run({
        cacheKey: 'm:1:bomb', group: 'm', kind: 'function', code: 'const m = new Map(); for (let i = 0;; i++) m.set(i, { i })', input: null, ctx: {},
      }).then((v) => v, (e: unknown) => e));
      let settled = false;
      void Promise.all(bombs).then(() => (settled = true));
      const took: number[] = [];
      while (!settled && Date.now() - t < 20_000) took.push(...(await unrelatedCalls(sb, 1, 5000)));
      const codes = (await Promise.all(bombs)).map(codeOf);
      console.log(`S-28 attacker: ${codes.join(', ')} in ${Date.now() - t} ms; restarts ${sb.stats().restarts}; unrelated flow: ${took.join(', ')} ms`);
      // Three strikes (or one crash), the call already running when the back-off starts, maybe one more: the rest fail at once.
      expect(codes.filter((c) => c === 'sandbox_backoff').length).toBeGreaterThanOrEqual(5);
      expect(codes.filter((c) => !['sandbox_memory', 'sandbox_timeout', 'sandbox_crash', 'sandbox_backoff'].includes(c))).toEqual([]);
      expect(sb.stats().restarts).toBeLessThanOrEqual(2);
      await expectFailure(sb.run({ cacheKey: 'm:1:bomb', group: 'm', kind: 'function', code: 'return 1', input: null, ctx: {} }), 'sandbox_backoff');
    });
  }, 60_000);
});

describe('pipeline depth: how many calls of one flow another flow may wait behind on a busy lane', () => {
  /** One lane; `ahead` calls of group `g` queued at once, then one call of `u`: how many of g's answered before u's. */
  async function answeredBefore(sb: SupervisedSandbox, code: string, ahead: number): Promise<number> {
    let answered = 0;
    const calls = Array.from({ length: ahead }, () => sb.run({ cacheKey: 'g:1:calc', group: 'g', kind: 'function', code, input: 1, ctx: {} }).then(() => { answered++; }));
    const before = await sb.run({ cacheKey: 'u:1:calc', group: 'u', kind: 'function', code: 'return input + 1', input: 1, ctx: {} }).then(() => answered);
    await Promise.all(calls);
    return before;
  }

  it('a flow whose calls answer fast gets up to 32 sent ahead (fewer IPC messages and commits per call)', async () => {
    await withSandbox({ lanes: 1 }, async (sb) => {
      // The first call builds the context (slow); the later ones are warm, and the last one is what counts.
      for (let i = 0; i < 3; i++) await sb.run({ cacheKey: 'g:1:calc', group: 'g', kind: 'function', code: 'return input', input: 1, ctx: {} });
      expect(await answeredBefore(sb, 'return input', 40)).toBe(32);
    });
  }, 60_000);

  it('a new flow, or one whose last call held the lane over 50 ms, gets 8 as before', async () => {
    await withSandbox({ lanes: 1 }, async (sb) => {
      const slow = 'const end = Date.now() + 60; while (Date.now() < end) {} return input';
      expect(await answeredBefore(sb, slow, 12)).toBe(8); // new: nothing known yet
      expect(await answeredBefore(sb, slow, 12)).toBe(8); // its calls were slow
    });
  }, 60_000);
});
