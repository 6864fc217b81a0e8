/**
 * Fires `schedule` triggers (docs/flow-nodes.md, "Schedule"). Every process that runs flows runs one: for each active
 * flow whose trigger is a schedule, the latest slot at or before now is fired when no slot at or after it is recorded.
 * A slot fires as an execution accepted with the idempotency key `schedule:<slot ms>` on the flow — the unique
 * (flow, key) of the accept decides, across processes sharing a store, that it runs once — and is then recorded in
 * schedule_slots (unique (flow, slot)), which tells the next tick it is done. A crash between the two fires the same
 * slot again, which the key turns into a duplicate. A slot found more than `graceMs` late was missed (the server was
 * down or the flow inactive): it runs once, marked late (`missed: "run-once"`), or is recorded as skipped.
 */
import type { Clock, Logger } from '../../nodes/contract.js';
import { scheduleProblems, slotsOf, type ScheduleParamsT, type Slots } from '../../nodes/schedule.js';
import type { Ids } from '../adapters/ids.js';
import type { Store } from '../store/types.js';

export interface SchedulerDeps {
  store: Pick<Store, 'flows' | 'executions' | 'schedules'>;
  clock: Clock;
  ids: Ids;
  log: Logger;
  /** Told after a slot's execution is stored. */
  wake(): void;
  /** How often the list of scheduled flows is read again. @default 5000 */
  refreshMs?: number;
  /** A slot found at most this long after its time is on time; later, it was missed. @default 30000 */
  graceMs?: number;
  /** Longest sleep between checks. @default 1000 */
  maxSleepMs?: number;
}

export interface Scheduler {
  start(): void;
  stop(): Promise<void>;
  /** One pass over the scheduled flows at the clock's now; resolves with the slots fired. */
  tick(): Promise<number>;
  /** Read the list of scheduled flows again at the next tick (after a flow changed). */
  invalidate(): void;
}

interface Entry {
  flowId: string;
  version: number;
  params: ScheduleParamsT;
  slots: Slots;
  /** The latest slot known to be recorded. */
  last?: number;
}

/** A slot's key is kept this long: far longer than any process is late to a slot it shares. */
const KEY_WINDOW_MS = 30 * 86_400_000;

export function createScheduler(d: SchedulerDeps): Scheduler {
  const refreshMs = d.refreshMs ?? 5000;
  const graceMs = d.graceMs ?? 30_000;
  const maxSleepMs = d.maxSleepMs ?? 1000;
  let entries = new Map<string, Entry>();
  let refreshedAt = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  const refresh = async (): Promise<void> => {
    const next = new Map<string, Entry>();
    let cursor: string | undefined;
    for (;;) {
      const page = await d.store.flows.list({ limit: 200, cursor });
      for (const f of page.items) {
        // Like webhooks, schedules run the published version (activating a flow publishes it).
        const version = f.publishedVersion;
        if (!f.active || version === null) continue;
        const doc = version === f.version ? f : await d.store.flows.getVersion(f.id, version);
        const node = doc?.nodes.find((n) => n.type === 'schedule');
        if (!node) continue;
        const params = node.params as ScheduleParamsT;
        if (scheduleProblems(params).length > 0) continue;
        const prev = entries.get(f.id);
        const same = prev && prev.version === version;
        next.set(f.id, { flowId: f.id, version, params, slots: same ? prev.slots : slotsOf(params), last: same ? prev.last : undefined });
      }
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    entries = next;
    refreshedAt = d.clock.now();
  };

  const fire = async (e: Entry, slot: number, now: number, late: boolean): Promise<void> => {
    const iso = new Date(slot).toISOString();
    const r = await d.store.executions.accept({
      flowId: e.flowId, flowVersion: e.version, mode: 'schedule',
      envelope: {
        method: 'POST', headers: { 'x-hookflow-schedule-slot': iso }, query: {},
        body: { slot: iso, firedAt: new Date(now).toISOString(), late, timezone: e.params.timezone ?? 'UTC', ...(e.params.cron ? { cron: e.params.cron } : { intervalSec: e.params.intervalSec }) },
        receivedAt: new Date(now).toISOString(), eventId: d.ids.next('evt'),
      },
      idempotency: { key: `schedule:${slot}`, windowMs: KEY_WINDOW_MS },
    });
    await d.store.schedules.record(e.flowId, slot, r.executionId, now);
    if (!r.duplicate) {
      d.wake();
      d.log.info({ flowId: e.flowId, slot: iso, executionId: r.executionId, late }, 'schedule fired');
    }
  };

  const check = async (e: Entry, now: number): Promise<boolean> => {
    const cur = e.slots.atOrBefore(now);
    if (cur === undefined) return false;
    if (e.last === undefined || e.last < cur) e.last = await d.store.schedules.lastSlot(e.flowId);
    if (e.last === undefined) {
      // First sight of this schedule: what lies before now was not missed; the count starts here.
      await d.store.schedules.record(e.flowId, cur, null, now);
      e.last = cur;
      return false;
    }
    if (cur <= e.last) return false;
    const onTime = now - cur <= graceMs;
    if (onTime || e.params.missed === 'run-once') await fire(e, cur, now, !onTime);
    else {
      await d.store.schedules.record(e.flowId, cur, null, now);
      d.log.info({ flowId: e.flowId, slot: new Date(cur).toISOString() }, 'schedule slot missed while down: skipped');
    }
    e.last = cur;
    return onTime || e.params.missed === 'run-once';
  };

  const tick = async (): Promise<number> => {
    const now = d.clock.now();
    if (now - refreshedAt >= refreshMs) await refresh();
    let fired = 0;
    for (const e of entries.values()) {
      try {
        if (await check(e, now)) fired++;
      } catch (err) {
        d.log.error({ flowId: e.flowId, err: String(err) }, 'schedule: could not fire a slot; trying again on the next tick');
        e.last = undefined;
      }
    }
    return fired;
  };

  const loop = (): void => {
    if (stopped) return;
    running = tick().catch((err: unknown) => d.log.error({ err: String(err) }, 'schedule: tick failed')).finally(() => {
      running = undefined;
      if (stopped) return;
      const now = d.clock.now();
      let at = now + maxSleepMs;
      for (const e of entries.values()) {
        const next = e.slots.after(now);
        if (next !== undefined && next < at) at = next;
      }
      timer = setTimeout(loop, Math.max(10, at - now));
      timer.unref();
    });
  };

  return {
    start() {
      stopped = false;
      loop();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    tick,
    invalidate() {
      refreshedAt = -Infinity;
    },
  };
}
