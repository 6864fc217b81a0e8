/** Pure: per-group back-off for sandbox code that keeps exceeding its limits, so one flow cannot keep the sandbox busy or crash-loop it. */

export interface BackoffOptions {
  /** Strikes older than this no longer count. @default 60000 */
  windowMs: number;
  /** Strikes within the window after which the group's calls fail at once. @default 3 */
  threshold: number;
  /** Length of the first back-off; it doubles with each further strike in the window. @default 2000 */
  baseMs: number;
  /** Longest back-off. @default 60000 */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { windowMs: 60_000, threshold: 3, baseMs: 2000, maxMs: 60_000 };

export interface BackedOff {
  until: number;
  strikes: number;
  /** The failure that caused the last strike, e.g. `sandbox_memory`. */
  last: string;
}

interface GroupState {
  /** Times of strikes within the window, oldest first (a crash adds `threshold` of them). */
  at: number[];
  until: number;
  last: string;
}

export interface Backoff {
  /**
   * Records that a call of `group` failed on a limit; `weight` strikes at once (a crash of the child counts as
   * `threshold`, so it backs off at once). Returns the back-off if the group is now backed off.
   */
  strike(group: string, last: string, weight?: number): BackedOff | undefined;
  /** The group's back-off if it is in one now. */
  check(group: string): BackedOff | undefined;
  /** Whether the group has strikes in the window (its calls then run one at a time, none sent ahead). */
  suspect(group: string): boolean;
  /** Forgets groups with no recent strikes (call now and then; bounded work). */
  sweep(): void;
  readonly threshold: number;
}

export function createBackoff(opts: Partial<BackoffOptions> = {}, now: () => number = Date.now): Backoff {
  const o = { ...DEFAULT_BACKOFF, ...opts };
  const groups = new Map<string, GroupState>();

  const prune = (g: GroupState, t: number): void => {
    let i = 0;
    while (i < g.at.length && (g.at[i] as number) <= t - o.windowMs) i++;
    if (i > 0) g.at.splice(0, i);
  };

  return {
    threshold: o.threshold,
    strike(group, last, weight = 1) {
      const t = now();
      const g = groups.get(group) ?? { at: [], until: 0, last };
      groups.set(group, g);
      prune(g, t);
      for (let i = 0; i < weight; i++) g.at.push(t);
      g.last = last;
      if (g.at.length < o.threshold) return undefined;
      g.until = Math.max(g.until, t + Math.min(o.baseMs * 2 ** (g.at.length - o.threshold), o.maxMs));
      return { until: g.until, strikes: g.at.length, last };
    },
    check(group) {
      const g = groups.get(group);
      if (!g || g.until <= now()) return undefined;
      return { until: g.until, strikes: g.at.length, last: g.last };
    },
    suspect(group) {
      const g = groups.get(group);
      if (!g) return false;
      prune(g, now());
      return g.at.length > 0;
    },
    sweep() {
      const t = now();
      for (const [name, g] of groups) {
        prune(g, t);
        if (g.at.length === 0 && g.until <= t) groups.delete(name);
      }
    },
  };
}
