import { describe, expect, it } from 'vitest';
import { nextRuns } from '../../../web/src/editor/schedule-runs.js';
import { slotsOf } from '../../../nodes/schedule.js';

const at = (iso: string) => Date.parse(iso);

describe('schedule preview', () => {
  it('lists the same next runs the server fires', () => {
    const now = at('2025-03-29T22:00:00Z');
    const p = { cron: '30 2 * * *', timezone: 'Europe/Berlin' };
    const runs = nextRuns(p, now) as number[];
    const s = slotsOf(p);
    expect(runs).toEqual([s.after(now), s.after(runs[0]), s.after(runs[1])]);
    expect(nextRuns({ intervalSec: 60 }, at('2025-01-01T00:00:30Z'))).toEqual([at('2025-01-01T00:01:00Z'), at('2025-01-01T00:02:00Z'), at('2025-01-01T00:03:00Z')]);
  });

  it('says why there is no schedule yet', () => {
    expect(nextRuns({}, 0)).toMatch(/exactly one/);
    expect(nextRuns({ cron: '* * * * *', intervalSec: 5 }, 0)).toMatch(/exactly one/);
    expect(nextRuns({ cron: 'nope' }, 0)).toMatch(/five, six, or seven/);
  });
});
