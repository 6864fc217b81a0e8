/** SQLite execution store: claims with leases and fencing, group-committed fenced writes, history queries. */
import type { Db } from '../db.js';
import type { Ids } from '../../adapters/ids.js';
import type { TriggerEnvelope } from '../../../nodes/contract.js';
import { FINAL_STATUSES, LeaseLost, type CommitWrite, type ExecutionStore, type ExecutionStatus } from '../types.js';
import { createAcceptBatcher } from './accept-batcher.js';
import { toExecution, stepsOf, attemptsOf, capAnswer, capAttempt, type ExecutionRow } from './rows.js';
import { createHistoryQueries } from './history.js';
import { createWriteBatcher } from './write-batcher.js';
import { createQueueLoad, loadKindOf } from '../queue-load.js';
import { packOutputs, unpackOutputs } from '../step-refs.js';
import type { WalSync } from './wal-sync.js';
import { cancelParked, CANCELED_BY_USER } from '../../runner/leftovers.js';

interface CommitArgs {
  id: string;
  fence: number;
  w: CommitWrite;
}

const FINAL: readonly string[] = FINAL_STATUSES;

/**
 * `db` is the FULL-synchronous connection (accepts, durable commits); `fast` is a NORMAL-synchronous
 * connection to the same file for re-derivable writes (pure steps, leases). See runner/ARCHITECTURE.md.
 */
export function createExecutionStore(db: Db, fast: Db, ids: Ids, now: () => number, walSync?: WalSync): ExecutionStore {
  const counts = db.prepare<[], { flow_id: string; status: string; n: number }>(
    `SELECT flow_id, status, count(*) AS n FROM executions WHERE status IN ('queued','running','waiting') GROUP BY flow_id, status`).all();
  const load = createQueueLoad(counts.map((r) => ({ flowId: r.flow_id, kind: loadKindOf(r.status) ?? 'queued', n: r.n })));
  const batcher = createAcceptBatcher(db, ids, now, () => undefined, walSync);
  const writeSql = `UPDATE executions SET steps = @steps, attempts = @attempts,
      status = coalesce(@status, status), due_at = coalesce(@dueAt, due_at), finished_at = coalesce(@finishedAt, finished_at),
      error = coalesce(@error, error), response = coalesce(@response, response),
      lease_owner = CASE WHEN @status IS NULL THEN lease_owner ELSE NULL END,
      lease_until = CASE WHEN @status IS NULL THEN lease_until ELSE 0 END
    WHERE id = @id AND fence = @fence AND status = 'running' RETURNING flow_id`;
  const apply = (c: Db) => {
    const stmt = c.prepare<[Record<string, unknown>], { flow_id: string }>(writeSql);
    return ({ id, fence, w }: CommitArgs): string => {
      const s = w.settle;
      const r = stmt.get({
        id, fence, steps: JSON.stringify(packOutputs(w.steps, w.trigger)), attempts: JSON.stringify(packOutputs(w.attempts.map(capAttempt), w.trigger)),
        status: s ? (s.kind === 'park' ? 'waiting' : s.status) : null,
        dueAt: s?.kind === 'park' ? s.dueAt : null,
        finishedAt: s?.kind === 'finish' ? now() : null,
        error: s?.kind === 'finish' && s.error ? JSON.stringify(s.error) : null,
        response: s?.kind === 'finish' && s.response ? JSON.stringify(s.response) : null,
      });
      if (r === undefined) throw new LeaseLost(id);
      return r.flow_id;
    };
  };
  // Each connection group-commits: many executions share one transaction (and, for durable writes, one
  // fsync); a fence mismatch fails only its own write.
  const commitDurable = createWriteBatcher(db, apply(db), { walSync });
  // The NORMAL connection's batch also carries the answers sync callers got (recordAnswer): an execution's answer
  // and its finish usually land in the same tick, and one transaction then writes the row's page once, not twice.
  const answer = fast.prepare('UPDATE executions SET answer = ? WHERE id = ?');
  const applyQuick = apply(fast);
  const commitQuick = createWriteBatcher(fast, (op: CommitArgs | { answer: string; id: string }): string | undefined =>
    'answer' in op ? (answer.run(op.answer, op.id), undefined) : applyQuick(op));
  // Queued first, then parked work that is due, then expired leases; a parked claim moves its flow's load back to
  // runnable, so each kind is its own statement (one transaction).
  type ClaimArgs = { owner: string; until: number; now: number; limit: number };
  const claimWhere = (where: string) => fast.prepare<[ClaimArgs], { id: string; fence: number; flow_id: string }>(
    `UPDATE executions SET status = 'running', lease_owner = @owner, lease_until = @until, fence = fence + 1,
       started_at = coalesce(started_at, @now)
     WHERE id IN (SELECT id FROM executions WHERE ${where} LIMIT @limit)
     RETURNING id, fence, flow_id`);
  const claimQueued = claimWhere(`status = 'queued' AND due_at <= @now ORDER BY due_at`);
  const claimParked = claimWhere(`status = 'waiting' AND due_at <= @now ORDER BY due_at`);
  const claimExpired = claimWhere(`status = 'running' AND lease_until < @now`);
  const claimTx = fast.transaction((a: ClaimArgs) => {
    const queued = claimQueued.all(a);
    const parked = a.limit > queued.length ? claimParked.all({ ...a, limit: a.limit - queued.length }) : [];
    const left = a.limit - queued.length - parked.length;
    const expired = left > 0 ? claimExpired.all({ ...a, limit: left }) : [];
    return { parked, all: [...queued, ...parked, ...expired] };
  });
  const renew = fast.prepare('UPDATE executions SET lease_until = ? WHERE id = ? AND lease_owner = ?');
  const release = fast.prepare(`UPDATE executions SET lease_until = 0 WHERE lease_owner = ? AND status = 'running'`);
  const exec = fast.prepare<[string], ExecutionRow>('SELECT * FROM executions WHERE id = ?');
  const childrenOf = fast.prepare<[string, string | null, string | null, number], ExecutionRow>(`SELECT id, flow_id, flow_version, event_id, mode, status, due_at, replay_of, created_at,
    started_at, finished_at, error, response, fence, '' AS steps, '' AS attempts, parent_id, parent_step FROM executions
    WHERE parent_id = ? AND (? IS NULL OR parent_step = ?) ORDER BY created_at, id LIMIT ?`);
  const envelope = fast.prepare<[string], { envelope: string }>('SELECT envelope FROM events WHERE id = ?');
  const nextDue = fast.prepare(`SELECT min(due_at) FROM executions WHERE status IN ('queued','waiting')`).pluck();
  const oldestQueued = fast.prepare(`SELECT min(created_at) FROM executions WHERE status = 'queued'`).pluck();
  const pruneKeys = db.prepare('DELETE FROM idempotency_keys WHERE expires_at <= ?');
  const history = createHistoryQueries(fast);
  const cancelTx = db.transaction((id: string, t: number): ExecutionStatus | undefined => {
    const row = exec.get(id);
    if (!row) return undefined;
    if (FINAL.includes(row.status)) return row.status as ExecutionStatus;
    const steps = JSON.stringify(cancelParked(stepsOf(row), CANCELED_BY_USER, t));
    db.prepare(`UPDATE executions SET status = 'canceled', finished_at = ?, fence = fence + 1, lease_owner = NULL,
                lease_until = 0, steps = ? WHERE id = ?`).run(t, steps, id);
    load.add(row.flow_id, loadKindOf(row.status) ?? 'queued', -1);
    return 'canceled';
  });
  const resumeTx = db.transaction((id: string, t: number): 'resumed' | 'not_resumable' | undefined => {
    const row = exec.get(id);
    if (!row) return undefined;
    if (row.status !== 'failed' && row.status !== 'canceled') return 'not_resumable';
    // Skipped steps go too: a node skipped only because its upstream failed must run once that upstream succeeds (the planner re-derives skips).
    const kept = stepsOf(row).filter((s) => s.status === 'succeeded' || (s.status === 'failed' && s.port === 'error'));
    db.prepare(`UPDATE executions SET status = 'queued', due_at = ?, fence = fence + 1, finished_at = NULL, error = NULL,
                lease_owner = NULL, lease_until = 0, steps = ? WHERE id = ?`).run(t, JSON.stringify(kept), id);
    load.add(row.flow_id, 'queued', 1);
    return 'resumed';
  });
  const envelopeOf = (row: ExecutionRow): TriggerEnvelope | undefined => {
    const ev = envelope.get(row.event_id);
    return ev ? (JSON.parse(ev.envelope) as TriggerEnvelope) : undefined;
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
      const r = claimTx({ owner, until: t + leaseMs, now: t, limit });
      for (const p of r.parked) load.move(p.flow_id, 'waiting', 'queued');
      // An accept committed but not yet fdatasync'd (wal-sync.ts) is visible here: nothing runs before it is durable.
      if (r.all.length > 0) await walSync?.barrier();
      return r.all.map(({ id, fence }) => ({ id, fence }));
    },
    async loadRun(id) {
      const row = exec.get(id);
      const env = row && envelopeOf(row);
      if (!row || !env) return undefined;
      return { execution: toExecution(row), envelope: env, steps: unpackOutputs(stepsOf(row), env), attempts: unpackOutputs(attemptsOf(row), env) };
    },
    async commit(id, fence, w) {
      const flowId = (await (w.durable ? commitDurable : commitQuick)({ id, fence, w })) as string;
      if (w.settle?.kind === 'finish') load.add(flowId, 'queued', -1);
      else if (w.settle?.kind === 'park') load.move(flowId, 'queued', 'waiting');
    },
    async finish(id, fence, status, error, response) {
      const row = exec.get(id);
      if (!row) throw new LeaseLost(id);
      // A finished execution keeps no parked step (the runner's invariant, also for a finish from outside advance).
      const steps = cancelParked(stepsOf(row), `canceled: the execution ${status}${error ? ` (${error.code})` : ''}`, now());
      await this.commit(id, fence, { steps, attempts: attemptsOf(row), durable: false, settle: { kind: 'finish', status, error, response } });
    },
    async renewLeases(owner, idList, until) {
      fast.transaction(() => { for (const id of idList) renew.run(until, id, owner); })();
    },
    async releaseLeases(owner) {
      release.run(owner);
    },
    async get(id) {
      const row = exec.get(id);
      if (!row) return undefined;
      const env = envelopeOf(row);
      return { ...toExecution(row), trigger: env ?? ({} as TriggerEnvelope), steps: unpackOutputs(stepsOf(row), env), attempts: unpackOutputs(attemptsOf(row), env) };
    },
    list: async (filter) => history.list(filter),
    async recordAnswer(id, a) {
      await commitQuick({ answer: JSON.stringify(capAnswer(a)), id });
    },
    cancel: async (id, t) => cancelTx(id, t),
    resume: async (id, t) => resumeTx(id, t),
    queueDepth: () => load.total('queued'),
    parkedDepth: () => load.total('waiting'),
    flowLoad: (flowId) => load.of(flowId),
    oldestQueuedAt: async () => (oldestQueued.get() as number | null) ?? undefined,
    nextDueAt: async () => (nextDue.get() as number | null) ?? undefined,
    pruneIdempotencyKeys: async (t) => pruneKeys.run(t).changes,
    children: async (parentId, limit, nodeId) => childrenOf.all(parentId, nodeId ?? null, nodeId ?? null, limit).map(toExecution),
  };
}
