/**
 * Runner events across a cluster. Locally it is the usual bus; besides, events are relayed through the cluster
 * channel to the process that needs them: all events of test and shadow runs (the editor follows them) and of
 * executions someone watches (the execution page's live view sends a `watch`), and a sync execution's answer
 * (`responded`, `finished`) when its caller waits in another process. A subscriber whose execution runs
 * elsewhere also polls the database, so a lost message costs latency, never an answer.
 */
import { FINAL_STATUSES, type ClusterChannel, type ExecutionDetail, type ExecutionMode, type FinalStatus } from '../store/types.js';
import { createEventBus, type EventBus, type Listener, type RunnerEvent } from '../runner/events.js';

export interface ClusterEventsDeps {
  channel: Pick<ClusterChannel, 'publish' | 'onMessage'>;
  /** The execution as stored (for the poll and for answers too big for a message). */
  load(id: string): Promise<(Pick<ExecutionDetail, 'status' | 'error' | 'response'> & { steps?: ExecutionDetail['steps'] }) | undefined>;
  /** How often a subscriber checks the database for a final status. @default 1000 */
  pollMs?: number;
  /** How long a remote watch lasts unless renewed. @default 600000 */
  watchTtlMs?: number;
  now?: () => number;
}

const FINAL: ReadonlySet<string> = new Set(FINAL_STATUSES);
const RELAY_ALL: ReadonlySet<ExecutionMode> = new Set(['test', 'shadow']);
/** Events bigger than this (a large answer or error) are trimmed; the receiver reads the rest from the database. */
const MAX_EVENT = 6000;
/**
 * An execution running in this process ends here; the database is polled for it only after this long (in case
 * this process lost its lease and another one finished it).
 */
const LOCAL_GRACE_MS = 30_000;

type Trimmed = RunnerEvent & { trimmed?: true };

function trim(e: RunnerEvent): Trimmed | undefined {
  if (JSON.stringify(e).length <= MAX_EVENT) return e;
  if (e.type === 'execution.finished') return { type: e.type, executionId: e.executionId, status: e.status, trimmed: true };
  if (e.type === 'step.finished' && e.error) return { ...e, error: { code: e.error.code, message: e.error.message.slice(0, 1000) } };
  return undefined;
}

/** A stored step as the event that reported it. */
function stepEvent(executionId: string, st: ExecutionDetail['steps'][number]): RunnerEvent {
  if (st.status === 'skipped') return { type: 'step.skipped', executionId, nodeId: st.nodeId, reason: st.reason };
  return { type: 'step.finished', executionId, nodeId: st.nodeId, status: st.status, port: st.port, attempt: st.attempts, dueAt: st.dueAt, error: st.error };
}

export function createClusterEvents(d: ClusterEventsDeps): EventBus & { close(): void } {
  const now = d.now ?? Date.now;
  const pollMs = d.pollMs ?? 1000;
  const ttl = d.watchTtlMs ?? 600_000;
  const local = createEventBus();
  const remote = createEventBus();
  const modes = new Map<string, ExecutionMode>();
  /** When executions started running in this process: their end is emitted here, so the poll can wait. */
  const startedHere = new Map<string, number>();
  const watched = new Map<string, number>();
  const subs = new Map<string, { count: number; timer: NodeJS.Timeout; watchedAt: number; live: boolean; finalSeen: boolean }>();
  let outbox: RunnerEvent[] = [];
  let scheduled = false;

  const send = (e: RunnerEvent): void => {
    const t = trim(e);
    if (!t) return;
    outbox.push(t);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const events = outbox;
      outbox = [];
      d.channel.publish({ k: 'events', events });
    });
  };

  const shouldRelay = (e: RunnerEvent): boolean => {
    const id = e.executionId;
    const until = watched.get(id);
    if (until !== undefined && until > now()) return true;
    const mode = modes.get(id);
    if (mode !== undefined && RELAY_ALL.has(mode)) return true;
    // A sync caller waits in the process that accepted the request; if that is not this one, it needs the answer.
    return mode === 'sync' && (e.type === 'execution.responded' || e.type === 'execution.finished') && !subs.has(id);
  };

  const deliverRemote = (e: Trimmed): void => {
    if (!subs.has(e.executionId)) return;
    if (e.type === 'execution.finished' && e.trimmed) {
      void d.load(e.executionId).then((x) => {
        if (x) remote.emit({ type: 'execution.finished', executionId: e.executionId, status: e.status, error: x.error, response: x.response });
      }, () => undefined);
      return;
    }
    remote.emit(e);
  };

  /** Executions that never finish here (a lost lease, a crash elsewhere) must not pile up in these maps. */
  const bound = (): void => {
    if (modes.size > 50_000) modes.clear();
    if (startedHere.size > 50_000) startedHere.clear();
    if (watched.size > 10_000) for (const [id, until] of watched) if (until <= now()) watched.delete(id);
  };
  const offMessages = d.channel.onMessage((m) => {
    bound();
    if (m.k === 'watch') for (const id of m.ids) watched.set(id, now() + ttl);
    else if (m.k === 'events') for (const e of m.events) deliverRemote(e);
  });

  const poll = (id: string): void => {
    const since = startedHere.get(id);
    if (since !== undefined && now() - since < LOCAL_GRACE_MS) return;
    d.load(id).then((x) => {
      const sub = subs.get(id);
      if (x && FINAL.has(x.status) && sub) {
        // The relayed events of the last steps may still be on their way: give them one more poll interval.
        if (!sub.finalSeen) {
          sub.finalSeen = true;
          return;
        }
        // A live view may have missed the last steps' messages: it gets each settled step from the record first.
        if (sub.live) for (const st of x.steps ?? []) remote.emit(stepEvent(id, st));
        remote.emit({ type: 'execution.finished', executionId: id, status: x.status as FinalStatus, error: x.error, response: x.response });
      }
    }, () => undefined);
    const s = subs.get(id);
    if (s?.live && now() - s.watchedAt > ttl / 2) {
      s.watchedAt = now();
      d.channel.publish({ k: 'watch', ids: [id] });
    }
  };

  return {
    emit(e) {
      if (e.type === 'execution.started' && e.mode) {
        bound();
        modes.set(e.executionId, e.mode);
      }
      if (e.type === 'execution.started') startedHere.set(e.executionId, now());
      local.emit(e);
      if (shouldRelay(e)) send(e);
      if (e.type === 'execution.finished') {
        modes.delete(e.executionId);
        watched.delete(e.executionId);
        startedHere.delete(e.executionId);
      }
    },
    subscribe(id: string, fn: Listener, opts?: { live?: boolean }) {
      const offLocal = local.subscribe(id, fn);
      const offRemote = remote.subscribe(id, fn);
      let s = subs.get(id);
      if (!s) {
        s = { count: 0, timer: setInterval(() => poll(id), pollMs), watchedAt: now(), live: false, finalSeen: false };
        s.timer.unref();
        subs.set(id, s);
      }
      // A live view (unless it runs here): whoever runs it starts relaying all its events.
      if (opts?.live && !modes.has(id)) {
        s.watchedAt = now();
        s.live = true;
        d.channel.publish({ k: 'watch', ids: [id] });
      }
      s.count++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        offLocal();
        offRemote();
        const cur = subs.get(id);
        if (cur && --cur.count === 0) {
          clearInterval(cur.timer);
          subs.delete(id);
        }
      };
    },
    subscribeAll: (fn) => local.subscribeAll(fn),
    close() {
      offMessages();
      for (const s of subs.values()) clearInterval(s.timer);
      subs.clear();
    },
  };
}
