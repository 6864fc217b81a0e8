/**
 * Pure: which sandbox call runs where. Calls queue per group (a flow); a group holds at most one lane (isolate) at a
 * time, so its slow code can only delay its own calls. Free lanes go to waiting groups in arrival order (round
 * robin); a lane keeps taking its group's calls (up to `pipeline` sent ahead) only while no other group waits for a
 * lane, so with more busy groups than lanes each gets its turn after at most `pipeline` calls of the one before it.
 */

export interface SchedJob {
  group: string;
}

export interface LaneScheduler<J extends SchedJob> {
  enqueue(job: J): void;
  /** Puts jobs back at the front of their groups' queues, in the given order (calls a dead child never finished). */
  requeue(jobs: readonly J[]): void;
  /** Removes a job that is still queued (not sent); false if it is not queued. */
  remove(job: J): boolean;
  /** Removes and returns every queued job of `group`. */
  dropGroup(group: string): J[];
  /** Jobs to send now, each with its lane. */
  take(): Array<{ lane: number; job: J }>;
  /** A sent job is finished (answered, or given up with its child). */
  done(lane: number, job: J): void;
  /** The job a lane runs now (the oldest sent and unfinished). */
  head(lane: number): J | undefined;
  /** Sent and unfinished jobs of `group` other than the one its lane runs now. */
  sentBehind(group: string): J[];
  /** Every sent and unfinished job, lane by lane in sending order; all lanes are freed. */
  drainSent(): Array<{ lane: number; job: J; running: boolean }>;
  queued(): number;
  sent(): number;
  /** Queued jobs, all groups (for close). */
  drainQueued(): J[];
}

interface Group<J> {
  queue: J[];
  lane?: number;
  waiting: boolean;
}

/** Groups whose last lane is remembered (their warm contexts live there) after they go idle. */
const AFFINITY_ENTRIES = 1000;

/** `pipeline(group)`: how many of the group's calls a lane may be sent ahead of answers. */
export function createLaneScheduler<J extends SchedJob>(laneCount: number, pipeline: (group: string) => number): LaneScheduler<J> {
  const groups = new Map<string, Group<J>>();
  const lanes: Array<{ group?: string; sent: J[] }> = Array.from({ length: laneCount }, () => ({ sent: [] }));
  /** Groups with queued jobs and no lane, oldest first. */
  let waiting: string[] = [];
  let queuedCount = 0;
  const lastLane = new Map<string, number>();

  const groupOf = (name: string): Group<J> => {
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { queue: [], waiting: false }));
    return g;
  };
  const wait = (name: string, g: Group<J>): void => {
    if (g.lane === undefined && !g.waiting && g.queue.length > 0) {
      g.waiting = true;
      waiting.push(name);
    }
  };
  const forgetIfIdle = (name: string, g: Group<J>): void => {
    if (g.queue.length === 0 && g.lane === undefined && !g.waiting) groups.delete(name);
  };
  const release = (lane: number): void => {
    const l = lanes[lane] as { group?: string; sent: J[] };
    const name = l.group;
    l.group = undefined;
    if (name === undefined) return;
    const g = groups.get(name);
    if (!g) return;
    g.lane = undefined;
    lastLane.delete(name);
    lastLane.set(name, lane);
    if (lastLane.size > AFFINITY_ENTRIES) lastLane.delete(lastLane.keys().next().value as string);
    wait(name, g);
    forgetIfIdle(name, g);
  };
  const freeLane = (preferred: number | undefined): number | undefined => {
    if (preferred !== undefined && lanes[preferred]?.group === undefined) return preferred;
    const i = lanes.findIndex((l) => l.group === undefined);
    return i < 0 ? undefined : i;
  };

  return {
    enqueue(job) {
      const g = groupOf(job.group);
      g.queue.push(job);
      queuedCount++;
      wait(job.group, g);
    },
    requeue(jobs) {
      for (let i = jobs.length - 1; i >= 0; i--) {
        const job = jobs[i] as J;
        const g = groupOf(job.group);
        g.queue.unshift(job);
        queuedCount++;
        wait(job.group, g);
      }
    },
    remove(job) {
      const g = groups.get(job.group);
      const i = g ? g.queue.indexOf(job) : -1;
      if (!g || i < 0) return false;
      g.queue.splice(i, 1);
      queuedCount--;
      forgetIfIdle(job.group, g);
      return true;
    },
    dropGroup(name) {
      const g = groups.get(name);
      if (!g) return [];
      const out = g.queue;
      g.queue = [];
      queuedCount -= out.length;
      forgetIfIdle(name, g);
      return out;
    },
    take() {
      const out: Array<{ lane: number; job: J }> = [];
      while (waiting.length > 0) {
        const name = waiting[0] as string;
        const g = groups.get(name);
        if (!g || g.queue.length === 0) {
          waiting.shift();
          if (g) {
            g.waiting = false;
            forgetIfIdle(name, g);
          }
          continue;
        }
        const lane = freeLane(lastLane.get(name));
        if (lane === undefined) break;
        waiting.shift();
        g.waiting = false;
        g.lane = lane;
        (lanes[lane] as { group?: string }).group = name;
      }
      const contended = waiting.length > 0;
      lanes.forEach((l, lane) => {
        const g = l.group === undefined ? undefined : groups.get(l.group);
        if (!g || g.queue.length === 0) return;
        // While another group waits for a lane, a lane only finishes what it was sent, then changes hands.
        const depth = contended && l.sent.length > 0 ? 0 : pipeline(l.group as string);
        while (g.queue.length > 0 && l.sent.length < depth) {
          const job = g.queue.shift() as J;
          queuedCount--;
          l.sent.push(job);
          out.push({ lane, job });
        }
      });
      return out;
    },
    done(lane, job) {
      const l = lanes[lane];
      if (!l) return;
      const i = l.sent.indexOf(job);
      if (i >= 0) l.sent.splice(i, 1);
      if (l.sent.length === 0) release(lane);
    },
    head: (lane) => lanes[lane]?.sent[0],
    sentBehind(name) {
      const lane = groups.get(name)?.lane;
      return lane === undefined ? [] : (lanes[lane] as { sent: J[] }).sent.slice(1);
    },
    drainSent() {
      const out: Array<{ lane: number; job: J; running: boolean }> = [];
      lanes.forEach((l, lane) => {
        l.sent.forEach((job, i) => out.push({ lane, job, running: i === 0 }));
        l.sent = [];
        release(lane);
      });
      return out;
    },
    queued: () => queuedCount,
    sent: () => lanes.reduce((n, l) => n + l.sent.length, 0),
    drainQueued() {
      const out: J[] = [];
      for (const g of groups.values()) out.push(...g.queue);
      groups.clear();
      waiting = [];
      queuedCount = 0;
      return out;
    },
  };
}
