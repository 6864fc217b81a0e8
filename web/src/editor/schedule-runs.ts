/** PURE: a schedule node's next runs, with the same croner the server fires with (nodes/schedule.ts). */
import { Cron } from 'croner';

export interface ScheduleFields { cron?: string; intervalSec?: number; timezone?: string }

/** The next `n` runs after `now` (ms), or the reason there are none. */
export function nextRuns(p: ScheduleFields, now: number, n = 3): number[] | string {
  const cron = typeof p.cron === 'string' && p.cron.trim() !== '' ? p.cron.trim() : undefined;
  const every = typeof p.intervalSec === 'number' && p.intervalSec >= 1 ? p.intervalSec * 1000 : undefined;
  if ((cron === undefined) === (every === undefined)) return 'set exactly one of a cron expression or an interval';
  if (every !== undefined) return Array.from({ length: n }, (_, i) => (Math.floor(now / every) + 1 + i) * every);
  try {
    return new Cron(cron as string, { timezone: p.timezone || 'UTC', paused: true }).nextRuns(n, new Date(now)).map((d) => d.getTime());
  } catch (e) {
    return (e as Error).message.replace(/^Cron\w*: /, '');
  }
}

