/**
 * PostgreSQL execution store: batch claims with FOR UPDATE SKIP LOCKED, leases and fencing, fenced writes grouped
 * into one multi-row UPDATE per batch (durable ones on the synchronous_commit=on pool, re-derivable ones on the
 * off pool), history queries, and a queue depth kept current for the ingress hot path.
 */
import type { Ids } from '../../adapters/ids.js';
import type { TriggerEnvelope } from '../../../nodes/contract.js';
import { FINAL_STATUSES, LeaseLost, type CommitWrite, type ExecutionStatus, type ExecutionStore, type RunState } from '../types.js';
import { toExecution, stepsOf, attemptsOf, capAttempt, capAnswer, type ExecutionRow } from '../sqlite/rows.js';
import { createPgAcceptBatcher, WAKE_CHANNEL } from './accept-batcher.js';
import { createPgBatcher } from './batcher.js';
import { createPgHistory } from './history.js';
import { inTx, type Pool } from './pool.js';
import { retrying } from './retry.js';
import { createQueueLoad, loadKindOf, type QueueLoad } from '../queue-load.js';
import { packOutputs, unpackOutputs } from '../step-refs.js';
import { cancelParked, CANCELED_BY_USER } from '../../runner/leftovers.js';

interface CommitArgs {
  id: string;
  fence: number;
  w: CommitWrite;
}

const FINAL: readonly string[] = FINAL_STATUSES;

/** Rows are locked in id order first, so two batches (or a batch and a lease renewal) never deadlock. */
const COMMIT_SQL = `
WITH locked AS (SELECT id FROM executions WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE)
UPDATE executions e SET steps = v.steps, attempts = v.attempts,
  status = coalesce(v.status, e.status), due_at = coalesce(v.due_at, e.due_at), finished_at = coalesce(v.finished_at, e.finished_at),
  error = coalesce(v.error, e.error), response = coalesce(v.response, e.response),
  lease_owner = CASE WHEN v.status IS NULL THEN e.lease_owner ELSE NULL END,
  lease_until = CASE WHEN v.status IS NULL THEN e.lease_until ELSE 0 END
FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::text[])
  AS v(id, fence, steps, attempts, status, due_at, finished_at, error, response)
WHERE e.id = v.id AND e.id IN (SELECT id FROM locked) AND e.fence = v.fence AND e.status = 'running'
RETURNING e.id, e.flow_id`;

/**
 * Up to $2 rows of each kind of due work, locked with SKIP LOCKED so concurrent claimers (other processes)
 * take different rows; each CTE is read only as far as the LIMIT of the union needs.
 */
const CLAIM_SQL = `
WITH q AS (SELECT id FROM executions WHERE status = 'queued' AND due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED),
     w AS (SELECT id FROM executions WHERE status = 'waiting' AND due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED),
     l AS (SELECT id FROM executions WHERE status = 'running' AND lease_until < $1 LIMIT $2 FOR UPDATE SKIP LOCKED),
     pick AS (SELECT id, 'queued' AS was FROM q UNION ALL SELECT id, 'waiting' FROM w UNION ALL SELECT id, 'running' FROM l LIMIT $2)
UPDATE executions e SET status = 'running', lease_owner = $3, lease_until = $4, fence = e.fence + 1,
  started_at = coalesce(e.started_at, $1)
FROM pick WHERE e.id = pick.id
RETURNING e.*, pick.was, (SELECT envelope FROM events v WHERE v.id = e.event_id) AS envelope`;

const ACTIVE = `status IN ('queued','running','waiting')`;

export interface PgExecutionOptions {
  /** How often the cluster-wide queue depth is re-counted. @default 1000 */
  depthRefreshMs?: number;
}

/** `pool` commits with synchronous_commit on (accepts, durable writes, cancel, resume); `fast` with it off. */
export function createPgExecutionStore(pool: Pool, fast: Pool, ids: Ids, now: () => number, o: PgExecutionOptions = {}): ExecutionStore & { stop(): void; refreshDepth(): Promise<void> } {
  // Per-flow loads (W-26) as in SQLite, but recounted for the whole cluster every second: between recounts this
  // process adds what it changes itself, so its caps hold against its own bursts and the cluster's steady state.
  let load: QueueLoad = createQueueLoad();
  const refreshDepth = async (): Promise<void> => {
    const r = await fast.query<{ flow_id: string; status: string; n: number }>(
      `SELECT flow_id, status, count(*) AS n FROM executions WHERE ${ACTIVE} GROUP BY flow_id, status`);
    load = createQueueLoad(r.rows.map((x) => ({ flowId: x.flow_id, kind: loadKindOf(x.status) ?? 'queued', n: x.n })));
  };
  const depthTimer = setInterval(() => { refreshDepth().catch(() => undefined); }, o.depthRefreshMs ?? 1000);
  depthTimer.unref();
  const batcher = createPgAcceptBatcher(pool, ids, now, { onAccepted: () => undefined });

  const applyBatch = (p: Pool) => createPgBatcher<CommitArgs, string>(async (batch) => {
    const cols: unknown[][] = Array.from({ length: 9 }, () => []);
    for (const { arg: { id, fence, w } } of batch) {
      const s = w.settle;
      [id, fence, JSON.stringify(packOutputs(w.steps, w.trigger)), JSON.stringify(packOutputs(w.attempts.map(capAttempt), w.trigger)),
        s ? (s.kind === 'park' ? 'waiting' : s.status) : null, s?.kind === 'park' ? s.dueAt : null,
        s?.kind === 'finish' ? now() : null, s?.kind === 'finish' && s.error ? JSON.stringify(s.error) : null,
        s?.kind === 'finish' && s.response ? JSON.stringify(s.response) : null].forEach((x, i) => cols[i].push(x));
    }
    // A fenced write applied twice (after a lost connection) writes the same values: safe to repeat.
    const r = await retrying('commit', () => p.query<{ id: string; flow_id: string }>(COMMIT_SQL, cols));
    const ok = new Map(r.rows.map((x) => [x.id, x.flow_id]));
    for (const item of batch) {
      const flowId = ok.get(item.arg.id);
      if (flowId !== undefined) item.resolve(flowId);
      else item.reject(new LeaseLost(item.arg.id));
    }
  }, { maxBatch: 256, maxInFlight: 2 });
  const commitDurable = applyBatch(pool);
  const commitQuick = applyBatch(fast);
  const history = createPgHistory(fast);

  // Reads go to the larger pool: the fast one is kept for the writes that need not wait for a flush.
  const row = async (id: string): Promise<(ExecutionRow & { envelope: string | null }) | undefined> =>
    (await retrying('read', () => pool.query<ExecutionRow & { envelope: string | null }>(
      'SELECT x.*, (SELECT envelope FROM events v WHERE v.id = x.event_id) AS envelope FROM executions x WHERE x.id = $1', [id]))).rows[0];
  const envelopeOf = (r: { envelope: string | null }): TriggerEnvelope | undefined => (r.envelope === null ? undefined : (JSON.parse(r.envelope) as TriggerEnvelope));
  /** Outputs stored as references to the trigger (W-27) are put back. */
  const stateOf = (r: ExecutionRow & { envelope: string | null }): RunState | undefined => {
    const env = envelopeOf(r);
    return env && { execution: toExecution(r), envelope: env, steps: unpackOutputs(stepsOf(r), env), attempts: unpackOutputs(attemptsOf(r), env) };
  };

  return {
    async accept(req) {
      // Counted before the commit, so concurrent accepts of one batch see each other (no overshoot of a cap).
      load.add(req.flowId, 'queued', 1);
      try {
        const r = await batcher.accept(req);
        if (r.duplicate) load.add(req.flowId, 'queued', -1);
        return r;
      } catch (e) {
        load.add(req.flowId, 'queued', -1);
        throw e;
      }
    },
    async claimDue(owner, t, leaseMs, limit) {
      if (limit <= 0) return [];
      // Not retried: a claim lost with its connection is simply made again by the next tick. The rows come back
      // whole (with the event), so the runner starts without loading each one.
      const rows = (await fast.query<ExecutionRow & { envelope: string | null; was: string }>(CLAIM_SQL, [t, limit, owner, t + leaseMs])).rows;
      for (const r of rows) if (r.was === 'waiting') load.move(r.flow_id, 'waiting', 'queued');
      return rows.map((r) => ({ id: r.id, fence: r.fence, state: stateOf(r) }));
    },
    async loadRun(id) {
      const r = await row(id);
      return r && stateOf(r);
    },
    async commit(id, fence, w) {
      const flowId = await (w.durable ? commitDurable : commitQuick)({ id, fence, w });
      if (w.settle?.kind === 'finish') load.add(flowId, 'queued', -1);
      else if (w.settle?.kind === 'park') load.move(flowId, 'queued', 'waiting');
    },
    async finish(id, fence, status, error, response) {
      const r = await row(id);
      if (!r) throw new LeaseLost(id);
      // A finished execution keeps no parked step (the runner's invariant, also for a finish from outside advance).
      const steps = cancelParked(stepsOf(r), `canceled: the execution ${status}${error ? ` (${error.code})` : ''}`, now());
      await this.commit(id, fence, { steps, attempts: attemptsOf(r), durable: false, settle: { kind: 'finish', status, error, response } });
    },
    async renewLeases(owner, idList, until) {
      if (idList.length === 0) return;
      await retrying('renew leases', () => fast.query(`WITH locked AS (SELECT id FROM executions WHERE id = ANY($2::text[]) ORDER BY id FOR UPDATE)
        UPDATE executions SET lease_until = $1 WHERE id IN (SELECT id FROM locked) AND lease_owner = $3`, [until, idList, owner]), { forMs: 5000 });
    },
    async releaseLeases(owner) {
      await retrying('release leases', () => fast.query(`UPDATE executions SET lease_until = 0 WHERE lease_owner = $1 AND status = 'running'`, [owner]), { forMs: 5000 });
    },
    async get(id) {
      const r = await row(id);
      if (!r) return undefined;
      const env = envelopeOf(r);
      return { ...toExecution(r), trigger: env ?? ({} as TriggerEnvelope), steps: unpackOutputs(stepsOf(r), env), attempts: unpackOutputs(attemptsOf(r), env) };
    },
    list: (filter) => history.list(filter),
    async recordAnswer(id, a) {
      // Like SQLite's NORMAL connection: what the caller was sent is history, not a delivery.
      await fast.query('UPDATE executions SET answer = $1 WHERE id = $2', [JSON.stringify(capAnswer(a)), id]);
    },
    async cancel(id, t) {
      return retrying('cancel', () => inTx(pool, async (c) => {
        const cur = (await c.query<{ status: string; flow_id: string; steps: string }>('SELECT status, flow_id, steps FROM executions WHERE id = $1 FOR UPDATE', [id])).rows[0];
        if (!cur) return undefined;
        if (FINAL.includes(cur.status)) return cur.status as ExecutionStatus;
        const steps = JSON.stringify(cancelParked(stepsOf(cur), CANCELED_BY_USER, t));
        await c.query(`UPDATE executions SET status = 'canceled', finished_at = $2, fence = fence + 1, lease_owner = NULL,
                       lease_until = 0, steps = $3 WHERE id = $1`, [id, t, steps]);
        load.add(cur.flow_id, loadKindOf(cur.status) ?? 'queued', -1);
        return 'canceled' as const;
      }));
    },
    async resume(id, t) {
      return retrying('resume', () => inTx(pool, async (c) => {
        const cur = (await c.query<ExecutionRow>('SELECT * FROM executions WHERE id = $1 FOR UPDATE', [id])).rows[0];
        if (!cur) return undefined;
        if (cur.status !== 'failed' && cur.status !== 'canceled') return 'not_resumable';
        // Skipped steps go too: a node skipped only because its upstream failed must run once that upstream succeeds (the planner re-derives skips).
        const kept = stepsOf(cur).filter((s) => s.status === 'succeeded' || (s.status === 'failed' && s.port === 'error'));
        await c.query(`UPDATE executions SET status = 'queued', due_at = $2, fence = fence + 1, finished_at = NULL, error = NULL,
                       lease_owner = NULL, lease_until = 0, steps = $3 WHERE id = $1`, [id, t, JSON.stringify(kept)]);
        // Whichever process has a free worker picks it up (one NOTIFY, delivered at commit).
        await c.query(`SELECT pg_notify('${WAKE_CHANNEL}', '')`);
        load.add(cur.flow_id, 'queued', 1);
        return 'resumed' as const;
      }));
    },
    queueDepth: () => load.total('queued'),
    parkedDepth: () => load.total('waiting'),
    flowLoad: (flowId) => load.of(flowId),
    async oldestQueuedAt() {
      return (await fast.query<{ t: number | null }>(`SELECT min(created_at) AS t FROM executions WHERE status = 'queued'`)).rows[0].t ?? undefined;
    },
    async nextDueAt() {
      return (await fast.query<{ t: number | null }>(`SELECT min(due_at) AS t FROM executions WHERE status IN ('queued','waiting')`)).rows[0].t ?? undefined;
    },
    async children(parentId, limit, nodeId) {
      const r = await retrying('children', () => fast.query<ExecutionRow>(`SELECT id, flow_id, flow_version, event_id, mode, status, due_at, replay_of, created_at,
        started_at, finished_at, error, response, fence, '' AS steps, '' AS attempts, parent_id, parent_step FROM executions
        WHERE parent_id = $1 AND ($3::text IS NULL OR parent_step = $3) ORDER BY created_at, id LIMIT $2`, [parentId, limit, nodeId ?? null]));
      return r.rows.map(toExecution);
    },
    async pruneIdempotencyKeys(t) {
      return (await pool.query('DELETE FROM idempotency_keys WHERE expires_at <= $1', [t])).rowCount ?? 0;
    },
    refreshDepth,
    stop: () => clearInterval(depthTimer),
  };
}
