/** The executions page's time filter: preset windows relative to when they were chosen, and a custom range. */
import { describe, expect, it } from 'vitest';
import { timeBounds } from '../../../web/src/executions/time-filter.js';

const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

describe('timeBounds', () => {
  it('leaves both bounds open for "any time"', () => {
    expect(timeBounds({ window: '', from: '', to: '' }, NOW)).toEqual({});
  });

  it('turns a preset window into a lower bound counted back from when it was chosen', () => {
    expect(timeBounds({ window: '1h', from: '', to: '' }, NOW)).toEqual({ since: NOW - 3_600_000 });
    expect(timeBounds({ window: '7d', from: 'ignored', to: '' }, NOW)).toEqual({ since: NOW - 7 * 86_400_000 });
  });

  it('reads a custom range from datetime-local values, leaving out a bound that is empty or unreadable', () => {
    const from = '2026-11-01T08:30';
    expect(timeBounds({ window: 'custom', from, to: '' }, NOW)).toEqual({ since: new Date(from).getTime(), until: undefined });
    expect(timeBounds({ window: 'custom', from: 'nonsense', to: '2026-11-02T00:00' }, NOW))
      .toEqual({ since: undefined, until: new Date('2026-11-02T00:00').getTime() });
  });

  it('ignores an unknown window instead of filtering everything out', () => {
    expect(timeBounds({ window: '3y', from: '', to: '' }, NOW)).toEqual({});
  });
});
