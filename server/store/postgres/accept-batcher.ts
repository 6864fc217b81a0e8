/**
 * Group-committed accepts on PostgreSQL: one statement per batch inserts the idempotency keys, events and
 * executions (multi-row, from arrays) and, when another process must run some of them, one NOTIFY. It runs
 * on a synchronous_commit=on connection in autocommit: it resolves only after the commit is flushed.
 */
import type { Ids } from '../../adapters/ids.js';
import { StoreUnavailable, type AcceptRequest, type AcceptResult } from '../types.js';
import { createPgBatcher, type BatchItem } from './batcher.js';
import { isCheckoutFailure, isConnectionError, type Pool } from './pool.js';

export const WAKE_CHANNEL = 'hookflow_wake';

interface Row {
  req: AcceptRequest;
  id: string;
  /** Index of the first request in the batch with the same (flow, key): this one is its duplicate. */
  leader?: number;
}

const ACCEPT_SQL = `
WITH req AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[],
                       $9::int[], $10::text[], $11::text[], $12::text[], $13::bigint[], $16::text[], $17::text[])
    AS r(id, flow_id, version, event_id, mode, status, owner, lease_until, fence, replay_of, envelope, ikey, iexp, parent_id, parent_step)
), k AS (
  INSERT INTO idempotency_keys (flow_id, key, execution_id, expires_at)
  SELECT flow_id, ikey, id, iexp FROM req WHERE ikey IS NOT NULL ORDER BY flow_id, ikey
  ON CONFLICT (flow_id, key) DO UPDATE SET execution_id = excluded.execution_id, expires_at = excluded.expires_at
    WHERE idempotency_keys.expires_at <= $14
  RETURNING execution_id
), win AS (
  SELECT * FROM req WHERE ikey IS NULL OR id IN (SELECT execution_id FROM k)
), ev AS (
  INSERT INTO events (id, flow_id, received_at, envelope) SELECT event_id, flow_id, $14, envelope FROM win WHERE envelope IS NOT NULL
), ex AS (
  INSERT INTO executions (id, flow_id, flow_version, event_id, mode, status, due_at, lease_owner, lease_until, fence, replay_of, created_at, parent_id, parent_step)
  SELECT id, flow_id, version, event_id, mode, status, $14, owner, lease_until, fence, replay_of, $14, parent_id, parent_step FROM win
  RETURNING id
), n AS (
  SELECT pg_notify('${WAKE_CHANNEL}', '') WHERE $15 AND EXISTS (SELECT 1 FROM win WHERE owner IS NULL)
)
SELECT coalesce((SELECT array_agg(id) FROM ex), '{}') AS ids, (SELECT count(*) FROM n) AS notified`;

/** Shapes the batch into the statement's arrays (one per column). */
function argsOf(rows: Row[], t: number, notify: boolean): unknown[] {
  const cols: unknown[][] = Array.from({ length: 15 }, () => []);
  for (const { req, id, leader } of rows) {
    if (leader !== undefined) continue;
    const c = req.claimFor;
    const v = [id, req.flowId, req.flowVersion, req.envelope.eventId, req.mode, c ? 'running' : 'queued', c?.owner ?? null,
      c ? t + c.leaseMs : 0, c ? 1 : 0, req.replayOf ?? null, req.existingEvent ? null : JSON.stringify(req.envelope),
      req.idempotency?.key ?? null, req.idempotency ? t + req.idempotency.windowMs : null, req.parent?.executionId ?? null, req.parent?.nodeId ?? null];
    v.forEach((x, i) => cols[i].push(x));
  }
  return [...cols.slice(0, 13), t, notify, ...cols.slice(13)];
}

const dedupKey = (r: AcceptRequest): string | undefined => (r.idempotency ? `${r.flowId}\u0000${r.idempotency.key}` : undefined);

export interface AcceptBatcherOptions {
  /** Called after each commit with the number of new executions (the queue depth estimate). */
  onAccepted(n: number): void;
  /** How long to keep retrying a batch whose connection was lost (or a database that is down) before answering 503. @default 5000 */
  retryForMs?: number;
}

export function createPgAcceptBatcher(pool: Pool, ids: Ids, now: () => number, o: AcceptBatcherOptions) {
  const retryForMs = o.retryForMs ?? 5_000;

  /** Which of the batch's candidate ids made it in, if the statement committed; undefined when it did not. */
  const committedIds = async (rows: Row[]): Promise<Set<string> | undefined> => {
    const r = await pool.query<{ id: string }>('SELECT id FROM executions WHERE id = ANY($1::text[])', [rows.map((x) => x.id)]);
    return r.rows.length === 0 ? undefined : new Set(r.rows.map((x) => x.id));
  };

  /** Runs the statement; after a lost connection, finds out whether it committed before trying again (never twice). */
  const store = async (rows: Row[], t: number): Promise<Set<string>> => {
    const until = Date.now() + retryForMs;
    let delay = 50;
    let inDoubt = false;
    for (;;) {
      try {
        if (inDoubt) {
          const done = await committedIds(rows.filter((r) => r.leader === undefined));
          if (done) return done;
          inDoubt = false;
        }
        const r = await pool.query<{ ids: string[] }>(ACCEPT_SQL, argsOf(rows, t, true));
        return new Set(r.rows[0].ids);
      } catch (e) {
        // The pool already waited out a database that takes no connections (nothing was sent): answer now.
        if (e instanceof StoreUnavailable && isCheckoutFailure(e.cause) && !inDoubt) throw e;
        if (!isConnectionError(e) || Date.now() + delay > until) throw e;
        inDoubt = true;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 1000);
      }
    }
  };

  /** Existing executions of the keys that lost (a live key from an earlier delivery, maybe in another process). */
  const holders = async (rows: Row[]): Promise<Map<string, string>> => {
    if (rows.length === 0) return new Map();
    const r = await pool.query<{ flow_id: string; key: string; execution_id: string }>(
      'SELECT i.flow_id, i.key, i.execution_id FROM idempotency_keys i JOIN unnest($1::text[], $2::text[]) AS q(f, k) ON i.flow_id = q.f AND i.key = q.k',
      [rows.map((x) => x.req.flowId), rows.map((x) => x.req.idempotency?.key)]);
    return new Map(r.rows.map((x) => [`${x.flow_id}\u0000${x.key}`, x.execution_id]));
  };

  const settle = async (batch: Array<BatchItem<AcceptRequest, AcceptResult>>, single: boolean): Promise<void> => {
    const t = now();
    const leaders = new Map<string, number>();
    const rows: Row[] = batch.map((p, i) => {
      const key = dedupKey(p.arg);
      const leader = key === undefined ? undefined : leaders.get(key);
      if (key !== undefined && leader === undefined) leaders.set(key, i);
      return { req: p.arg, id: ids.next('exe'), leader };
    });
    let won: Set<string>;
    try {
      won = await store(rows, t);
    } catch (e) {
      // One bad row (say a replay whose event is gone) must not fail the others: each goes alone once.
      if (!single && batch.length > 1 && !isConnectionError(e)) {
        await Promise.all(batch.map((p) => settle([p], true)));
        return;
      }
      const err = e instanceof StoreUnavailable ? e : new StoreUnavailable(`could not store the event: ${(e as Error).message}`, { cause: e });
      for (const p of batch) p.reject(err);
      return;
    }
    const lost = rows.filter((r) => r.leader === undefined && !won.has(r.id));
    const held = await holders(lost).catch(() => undefined);
    const results: Array<AcceptResult | undefined> = rows.map((r) => {
      if (r.leader !== undefined) return undefined;
      if (won.has(r.id)) return fresh(r, t);
      const existing = held?.get(dedupKey(r.req) as string);
      return existing === undefined ? undefined : { executionId: existing, duplicate: true };
    });
    rows.forEach((r, i) => {
      const res = r.leader !== undefined ? dupOf(results[r.leader]) : results[i];
      if (res) batch[i].resolve(res);
      else batch[i].reject(new StoreUnavailable('could not tell whether the event was stored; retry it'));
    });
    o.onAccepted(won.size);
  };

  const accept = createPgBatcher<AcceptRequest, AcceptResult>((b) => settle(b, false), { maxBatch: 500, maxInFlight: 2 });
  return { accept };
}

const dupOf = (r: AcceptResult | undefined): AcceptResult | undefined => r && { executionId: r.executionId, duplicate: true };

function fresh(r: Row, t: number): AcceptResult {
  const { req, id } = r;
  const claim = req.claimFor;
  if (!claim) return { executionId: id, duplicate: false };
  const execution = {
    id, flowId: req.flowId, flowVersion: req.flowVersion, eventId: req.envelope.eventId, mode: req.mode,
    status: 'running' as const, dueAt: t, replayOf: req.replayOf, createdAt: t, ...(req.parent ? { parent: req.parent } : {}),
  };
  return { executionId: id, duplicate: false, fence: 1, state: { execution, envelope: req.envelope, steps: [], attempts: [] } };
}
