/**
 * The cluster channel over LISTEN/NOTIFY: one dedicated connection listens (reconnecting with back-off), and
 * messages are sent batched — everything published in one tick goes out as one NOTIFY per ~7 kB of JSON, never
 * one per transaction (a NOTIFY takes a global lock at commit, so one per transaction would cap the database).
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { ClusterChannel, ClusterMessage } from '../types.js';
import { WAKE_CHANNEL } from './accept-batcher.js';
import { createClient, type Pool } from './pool.js';

export const CLUSTER_CHANNEL = 'hookflow_cluster';
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD = 7000;

interface Envelope { o: string; m: ClusterMessage[] }

export interface PgChannelOptions {
  url: string;
  /** Sends the NOTIFYs (the synchronous_commit=off pool: a lost message is covered by the poll). */
  pool: Pool;
  log: { warn(o: object, msg: string): void };
}

/** Splits messages into payloads under the limit; an 'events' message too big alone is split event by event. */
export function packMessages(origin: string, msgs: ClusterMessage[]): string[] {
  const out: string[] = [];
  let cur: ClusterMessage[] = [];
  const flush = (): void => {
    if (cur.length) out.push(JSON.stringify({ o: origin, m: cur } satisfies Envelope));
    cur = [];
  };
  const size = (m: ClusterMessage[]): number => JSON.stringify({ o: origin, m }).length;
  for (const msg of msgs) {
    const parts: ClusterMessage[] = msg.k === 'events' && size([msg]) > MAX_PAYLOAD ? msg.events.map((e) => ({ k: 'events', events: [e] })) : [msg];
    for (const p of parts) {
      if (size([p]) > MAX_PAYLOAD) continue; // a single event that is still too big is left to the poll (cluster/event-relay.ts trims first)
      if (size([...cur, p]) > MAX_PAYLOAD) flush();
      cur.push(p);
    }
  }
  flush();
  return out;
}

export function createPgChannel(o: PgChannelOptions): ClusterChannel & { start(): Promise<void>; close(): Promise<void> } {
  const origin = randomBytes(6).toString('hex');
  const onMsg = new Set<(m: ClusterMessage) => void>();
  const onWake = new Set<() => void>();
  const onReconnect = new Set<() => void>();
  let queue: ClusterMessage[] = [];
  let scheduled = false;
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const deliver = (payload: string): void => {
    let env: Envelope;
    try {
      env = JSON.parse(payload) as Envelope;
    } catch {
      return;
    }
    if (env.o === origin) return;
    for (const m of env.m) for (const fn of onMsg) fn(m);
  };

  const connect = async (): Promise<void> => {
    const c = createClient(o.url, 'hookflow-listen');
    c.on('notification', (n) => {
      if (n.channel === WAKE_CHANNEL) for (const fn of onWake) fn();
      else if (n.channel === CLUSTER_CHANNEL && n.payload) deliver(n.payload);
    });
    c.on('error', () => undefined);
    c.on('end', () => {
      if (client !== c || closed) return;
      client = undefined;
      o.log.warn({}, 'cluster: the LISTEN connection to PostgreSQL was lost; reconnecting');
      schedule(500);
    });
    await c.connect();
    await c.query(`LISTEN ${WAKE_CHANNEL}`);
    await c.query(`LISTEN ${CLUSTER_CHANNEL}`);
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    const reconnected = client === undefined && started;
    client = c;
    if (reconnected) {
      for (const fn of onReconnect) fn();
      for (const fn of onWake) fn();
    }
  };
  let started = false;
  const schedule = (ms: number): void => {
    clearTimeout(retry);
    retry = setTimeout(() => {
      connect().catch(() => { if (!closed) schedule(Math.min(ms * 2, 5000)); });
    }, ms);
    retry.unref();
  };

  // One NOTIFY at a time: on two pooled connections a later message could commit, and arrive, first (a live view
  // would see an execution finish before its last step).
  let sending: Promise<unknown> = Promise.resolve();
  const flush = (): void => {
    scheduled = false;
    const msgs = queue;
    queue = [];
    for (const payload of packMessages(origin, msgs)) {
      sending = sending.then(() => o.pool.query(`SELECT pg_notify('${CLUSTER_CHANNEL}', $1)`, [payload])).catch(() => undefined);
    }
  };

  return {
    origin,
    publish(m) {
      if (closed) return;
      queue.push(m);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    onMessage(fn) { onMsg.add(fn); return () => onMsg.delete(fn); },
    onWake(fn) { onWake.add(fn); return () => onWake.delete(fn); },
    onReconnect(fn) { onReconnect.add(fn); return () => onReconnect.delete(fn); },
    async start() {
      await connect();
      started = true;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      if (queue.length) flush();
      await sending;
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
