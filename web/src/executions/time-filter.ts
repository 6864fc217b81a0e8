/** The executions page's time filter: preset windows and a custom range, turned into the API's since/until. */
const HOUR = 3_600_000;
/** Time windows offered in the filter, by their `value`; `custom` shows from/to inputs. */
export const WINDOWS: ReadonlyArray<{ value: string; label: string; ms?: number }> = [
  { value: '', label: 'Any time' }, { value: '15m', label: 'Last 15 minutes', ms: HOUR / 4 }, { value: '1h', label: 'Last hour', ms: HOUR },
  { value: '24h', label: 'Last 24 hours', ms: 24 * HOUR }, { value: '7d', label: 'Last 7 days', ms: 168 * HOUR }, { value: 'custom', label: 'Between…' },
];

export interface TimeFilter { window: string; from: string; to: string }

/** The `since`/`until` bounds of a time filter; `now` is when the filter was chosen (so paging stays stable). */
export function timeBounds(t: TimeFilter, now: number): { since?: number; until?: number } {
  if (t.window === 'custom') {
    const since = t.from ? new Date(t.from).getTime() : NaN;
    const until = t.to ? new Date(t.to).getTime() : NaN;
    return { since: Number.isFinite(since) ? since : undefined, until: Number.isFinite(until) ? until : undefined };
  }
  const w = WINDOWS.find((x) => x.value === t.window);
  return w?.ms ? { since: now - w.ms } : {};
}
