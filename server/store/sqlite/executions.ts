/** SQLite execution store: claims with leases and fencing, step commits, history queries. */
import type { Db } from '../db.js';
import type { Ids } from '../../adapters/ids.js';
import type { TriggerEnvelope } from '../../../nodes/contract.js';
import { LeaseLost, type ExecutionStore, type ExecutionStatus } from '../types.js';
import { createAcceptBatcher } from './accept-batcher.js';
import {
  toExecution, toStep, toAttempt, stepParams, attemptParams,
  type ExecutionRow, type StepRow, type AttemptRow,
} from './rows.js';
import { createHistoryQueries } from './history.js';

/**
 * `db` is the FULL-synchronous connection (accepts, durable step commits); `fast` is a NORMAL-synchronous
 * connection to the same file for re-derivable writes (pure steps, leases). See runner/ARCHITECTURE.md.
 */
export function createExecutionStore(db: Db, fast: Db, ids: Ids, now: () => number): ExecutionStore {
  let depth = (db.prepare(`SELECT count(*) FROM executions WHERE status IN ('queued','running','waiting')`).pluck().get() as number);
  const batcher = createAcceptBatcher(db, ids, now, (n) => { depth += n; });
  const stmts = (c: Db) => ({
    fence: c.prepare<[string], { fence: number; status: string }>('SELECT fence, status FROM executions WHERE id = ?'),
    step: c.prepare(
      `INSERT INTO steps (execution_id, node_id, status, port, output, error, attempts, due_at, started_at, finished_at)
       VALUES (@execution_id, @node_id, @status, @port, @output, @error, @attempts, @due_at, @started_at, @finished_at)
       ON CONFLICT (execution_id, node_id) DO UPDATE SET status = excluded.status, port = excluded.port,
         output = excluded.output, error = excluded.error, attempts = excluded.attempts, due_at = excluded.due_at,
         started_at = coalesce(steps.started_at, excluded.started_at), finished_at = excluded.finished_at`),
    attempt: c.prepare(
      `INSERT OR REPLACE INTO attempts (execution_id, node_id, attempt, status, started_at, ended_at, error_code,
         error_message, output) VALUES (@execution_id, @node_id, @attempt, @status, @started_at, @ended_at,
         @error_code, @error_message, @output)`),
    park: c.prepare(`UPDATE executions SET status = 'waiting', due_at = ?, lease_owner = NULL, lease_until = 0
                     WHERE id = ? AND fence = ?`),
    finish: c.prepare(`UPDATE executions SET status = ?, finished_at = ?, error = ?, response = ?, lease_owner = NULL,
                       lease_until = 0 WHERE id = ? AND fence = ? AND status NOT IN ('succeeded','failed','canceled')`),
  });
  const full = stmts(db);
  const quick = stmts(fast);
  const claim = fast.prepare<[{ owner: string; until: number; now: number; limit: number }], { id: string; fence: number }>(
    `UPDATE executions SET status = 'running', lease_owner = @owner, lease_until = @until, fence = fence + 1,
       started_at = coalesce(started_at, @now)
     WHERE id IN (SELECT id FROM executions WHERE (status IN ('queued','waiting') AND due_at <= @now)
                  OR (status = 'running' AND lease_until < @now) ORDER BY due_at LIMIT @limit)
     RETURNING id, fence`);
  const renew = fast.prepare('UPDATE executions SET lease_until = ? WHERE id = ? AND lease_owner = ?');
  const release = fast.prepare(`UPDATE executions SET lease_until = 0 WHERE lease_owner = ? AND status = 'running'`);
  const exec = fast.prepare<[string], ExecutionRow>('SELECT * FROM executions WHERE id = ?');
  const envelope = fast.prepare<[string], { envelope: string }>('SELECT envelope FROM events WHERE id = ?');
  const steps = fast.prepare<[string], StepRow>('SELECT * FROM steps WHERE execution_id = ?');
  const attempts = fast.prepare<[string], AttemptRow>(
    'SELECT * FROM attempts WHERE execution_id = ? ORDER BY started_at, node_id, attempt');
  const nextDue = fast.prepare(`SELECT min(due_at) FROM executions WHERE status IN ('queued','waiting')`).pluck();
  const pruneKeys = db.prepare('DELETE FROM idempotency_keys WHERE expires_at <= ?');
  const history = createHistoryQueries(fast);

  const checkFence = (s: ReturnType<typeof stmts>, id: string, fence: number): void => {
    const row = s.fence.get(id);
    if (!row || row.fence !== fence || row.status !== 'running') throw new LeaseLost(id);
  };
  const commitWith = (s: ReturnType<typeof stmts>, c: Db) =>
    c.transaction((id: string, fence: number, st: Parameters<ExecutionStore['commitSteps']>[2],
      at: Parameters<ExecutionStore['commitSteps']>[3]) => {
      checkFence(s, id, fence);
      for (const x of st) s.step.run(stepParams(id, x));
      for (const a of at) s.attempt.run(attemptParams(id, a));
    });
  const commitDurable = commitWith(full, db);
  const commitQuick = commitWith(quick, fast);
  const cancelTx = db.transaction((id: string, t: number): ExecutionStatus | undefined => {
    const row = exec.get(id);
    if (!row) return undefined;
    if (['succeeded', 'failed', 'canceled'].includes(row.status)) return row.status as ExecutionStatus;
    db.prepare(`UPDATE executions SET status = 'canceled', finished_at = ?, fence = fence + 1, lease_owner = NULL,
                lease_until = 0 WHERE id = ?`).run(t, id);
    return 'canceled';
  });

  const resumeTx = db.transaction((id: string, t: number): 'resumed' | 'not_resumable' | undefined => {
    const row = exec.get(id);
    if (!row) return undefined;
    if (row.status !== 'failed' && row.status !== 'canceled') return 'not_resumable';
    db.prepare(`DELETE FROM steps WHERE execution_id = ? AND (status IN ('retrying','waiting')
                OR (status = 'failed' AND coalesce(port, '') <> 'error'))`).run(id);
    db.prepare(`UPDATE executions SET status = 'queued', due_at = ?, fence = fence + 1, finished_at = NULL, error = NULL,
                lease_owner = NULL, lease_until = 0 WHERE id = ?`).run(t, id);
    return 'resumed';
  });

  return {
    resume: async (id, t) => {
      const r = resumeTx(id, t);
      if (r === 'resumed') depth++;
      return r;
    },
    accept: (req) => batcher.accept(req),
    async claimDue(owner, t, leaseMs, limit) {
      return claim.all({ owner, until: t + leaseMs, now: t, limit });
    },
    async loadRun(id) {
      const row = exec.get(id);
      if (!row) return undefined;
      const ev = envelope.get(row.event_id);
      if (!ev) return undefined;
      return { execution: toExecution(row), envelope: JSON.parse(ev.envelope) as TriggerEnvelope, steps: steps.all(id).map(toStep) };
    },
    async commitSteps(id, fence, st, at, durable) {
      (durable ? commitDurable : commitQuick)(id, fence, st, at);
    },
    async park(id, fence, dueAt) {
      if (quick.park.run(dueAt, id, fence).changes === 0) throw new LeaseLost(id);
    },
    async finish(id, fence, status, error, response) {
      const r = full.finish.run(status, now(), error ? JSON.stringify(error) : null,
        response ? JSON.stringify(response) : null, id, fence);
      if (r.changes === 0) throw new LeaseLost(id);
      depth--;
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
      const ev = envelope.get(row.event_id);
      return {
        ...toExecution(row),
        trigger: ev ? (JSON.parse(ev.envelope) as TriggerEnvelope) : ({} as TriggerEnvelope),
        steps: steps.all(id).map(toStep), attempts: attempts.all(id).map(toAttempt),
      };
    },
    list: async (filter) => history.list(filter),
    async cancel(id, t) {
      const before = exec.get(id)?.status;
      const r = cancelTx(id, t);
      if (r === 'canceled' && before !== 'canceled') depth--;
      return r;
    },
    queueDepth: () => depth,
    nextDueAt: async () => (nextDue.get() as number | null) ?? undefined,
    pruneIdempotencyKeys: async (t) => pruneKeys.run(t).changes,
  };
}
