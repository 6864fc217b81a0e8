/**
 * The `schedule` trigger: runs the flow on a cron expression (five fields, or six with seconds first) or a simple
 * interval, in the flow's time zone. The scheduler (server/runner/scheduler.ts) fires each slot once, as a durable
 * execution; running the node emits the trigger envelope, whose body says which slot it is.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Cron } from 'croner';
import { defineNode, NO_RETRY } from './contract.js';

export const ScheduleParams = Type.Object(
  {
    cron: Type.Optional(Type.String({ maxLength: 200, title: 'Cron expression',
      description: 'minute hour day month weekday, e.g. "0 9 * * 1-5"; six fields put seconds first. Or leave empty and give an interval' })),
    intervalSec: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 * 86_400, title: 'Every (seconds)', description: 'A simple interval, counted from the epoch (so 3600 = on the hour)' })),
    timezone: Type.Optional(Type.String({ maxLength: 64, default: 'UTC', title: 'Time zone', description: 'IANA name, e.g. Europe/Berlin; cron fields are read in it' })),
    missed: Type.Optional(Type.Union([Type.Literal('skip'), Type.Literal('run-once')], {
      default: 'skip', title: 'Runs missed while the server was down', 'x-labels': { skip: 'skip them', 'run-once': 'run once on start' } })),
  },
  { additionalProperties: false },
);
export type ScheduleParamsT = Static<typeof ScheduleParams>;

const validZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** Problems with a schedule's params (also run at save). */
export function scheduleProblems(p: ScheduleParamsT): Array<{ field: string; message: string }> {
  const both = p.cron !== undefined && p.intervalSec !== undefined;
  const none = (p.cron === undefined || p.cron.trim() === '') && p.intervalSec === undefined;
  if (both || none) return [{ field: 'cron', message: 'set exactly one of "cron" or "intervalSec"' }];
  if (p.timezone !== undefined && !validZone(p.timezone)) return [{ field: 'timezone', message: `"${p.timezone}" is not an IANA time zone` }];
  if (p.cron !== undefined) {
    try {
      const c = new Cron(p.cron.trim(), { timezone: p.timezone ?? 'UTC', paused: true });
      if (c.nextRun(new Date(0)) === null) return [{ field: 'cron', message: 'never fires' }];
    } catch (e) {
      return [{ field: 'cron', message: (e as Error).message.replace(/^CronPattern: /, '') }];
    }
  }
  return [];
}

/** Slot arithmetic for one schedule: times (ms since the epoch) at which it fires. */
export interface Slots {
  /** The latest slot at or before `t`, or undefined if there is none. */
  atOrBefore(t: number): number | undefined;
  /** The first slot after `t`, or undefined if there is none. */
  after(t: number): number | undefined;
}

export function slotsOf(p: ScheduleParamsT): Slots {
  if (p.intervalSec !== undefined) {
    const every = p.intervalSec * 1000;
    return { atOrBefore: (t) => Math.floor(t / every) * every, after: (t) => (Math.floor(t / every) + 1) * every };
  }
  const cron = new Cron((p.cron ?? '').trim(), { timezone: p.timezone ?? 'UTC', paused: true });
  return {
    atOrBefore: (t) => cron.previousRuns(1, new Date(t + 1))[0]?.getTime(),
    after: (t) => cron.nextRun(new Date(t))?.getTime(),
  };
}

export const scheduleNode = defineNode({
  type: 'schedule',
  title: 'Schedule',
  category: 'trigger',
  description: 'Starts the flow on a cron expression or an interval, in a time zone; each slot runs once, even with several processes.',
  params: ScheduleParams,
  defaults: { intervalSec: 3600, timezone: 'UTC', missed: 'skip' },
  ports: ['out'] as const,
  retry: NO_RETRY,
  timeoutMs: 1000,
  effect: 'pure',
  check: scheduleProblems,
  async execute(ctx) {
    return { port: 'out', value: ctx.trigger };
  },
});
