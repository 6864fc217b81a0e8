import { describe, expect, it } from 'vitest';
import { scheduleNode, scheduleProblems, slotsOf } from '../../../nodes/schedule.js';
import { fakeCtx } from './fake-ctx.js';

const at = (iso: string) => Date.parse(iso);

describe('schedule params', () => {
  it('needs exactly one of cron or interval, a real time zone and a valid expression', () => {
    expect(scheduleProblems({ intervalSec: 60 })).toEqual([]);
    expect(scheduleProblems({ cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' })).toEqual([]);
    expect(scheduleProblems({ cron: '*/10 * * * * *' })).toEqual([]);
    expect(scheduleProblems({})).toMatchObject([{ field: 'cron' }]);
    expect(scheduleProblems({ cron: '* * * * *', intervalSec: 5 })).toMatchObject([{ field: 'cron' }]);
    expect(scheduleProblems({ cron: 'every day' })).toMatchObject([{ field: 'cron', message: expect.stringContaining('five, six, or seven') }]);
    expect(scheduleProblems({ cron: '61 * * * *' })).toMatchObject([{ field: 'cron' }]);
    expect(scheduleProblems({ intervalSec: 5, timezone: 'Mars/Olympus' })).toMatchObject([{ field: 'timezone' }]);
  });
});

describe('schedule slots', () => {
  it('intervals count from the epoch', () => {
    const s = slotsOf({ intervalSec: 3600 });
    expect(s.atOrBefore(at('2025-01-01T10:59:59Z'))).toBe(at('2025-01-01T10:00:00Z'));
    expect(s.atOrBefore(at('2025-01-01T11:00:00Z'))).toBe(at('2025-01-01T11:00:00Z'));
    expect(s.after(at('2025-01-01T11:00:00Z'))).toBe(at('2025-01-01T12:00:00Z'));
  });

  it('cron is read in the flow time zone, with seconds when six fields are given', () => {
    const ny = slotsOf({ cron: '0 9 * * *', timezone: 'America/New_York' });
    expect(ny.atOrBefore(at('2025-01-02T13:59:59Z'))).toBe(at('2025-01-01T14:00:00Z'));
    expect(ny.atOrBefore(at('2025-01-02T14:00:00Z'))).toBe(at('2025-01-02T14:00:00Z'));
    expect(ny.after(at('2025-07-01T00:00:00Z'))).toBe(at('2025-07-01T13:00:00Z')); // summer time
    const secs = slotsOf({ cron: '*/15 * * * * *' });
    expect(secs.atOrBefore(at('2025-01-01T00:00:44.999Z'))).toBe(at('2025-01-01T00:00:30Z'));
    expect(secs.after(at('2025-01-01T00:00:45Z'))).toBe(at('2025-01-01T00:01:00Z'));
  });

  it('the node emits its trigger envelope', async () => {
    const ctx = fakeCtx();
    expect(await scheduleNode.execute(ctx, undefined, { intervalSec: 1 })).toEqual({ port: 'out', value: ctx.trigger });
  });
});
