/** Group commit for inbound events: many accepts share one fsync'd transaction; none resolves before it commits. */
import type { Db } from '../db.js';
import { StoreUnavailable, type AcceptRequest, type AcceptResult } from '../types.js';
import type { Ids } from '../../adapters/ids.js';
import { createWriteBatcher } from './write-batcher.js';
import type { WalSync } from './wal-sync.js';

export function createAcceptBatcher(db: Db, ids: Ids, now: () => number, onAccepted: (n: number) => void, walSync?: WalSync) {
  const q = {
    dedup: db.prepare<[string, string, number], { execution_id: string }>(
      'SELECT execution_id FROM idempotency_keys WHERE flow_id = ? AND key = ? AND expires_at > ?'),
    event: db.prepare('INSERT INTO events (id, flow_id, received_at, envelope) VALUES (?, ?, ?, ?)'),
    exec: db.prepare(
      `INSERT INTO executions (id, flow_id, flow_version, event_id, mode, status, due_at, lease_owner, lease_until,
         fence, replay_of, created_at, started_at, parent_id, parent_step) VALUES (@id, @flowId, @version, @eventId, @mode, @status, @now, @owner,
         @leaseUntil, @fence, @replayOf, @now, @startedAt, @parentId, @parentStep)`),
    key: db.prepare('INSERT OR REPLACE INTO idempotency_keys (flow_id, key, execution_id, expires_at) VALUES (?, ?, ?, ?)'),
  };

  /** Inside the batch transaction: a key seen earlier in the same batch is already visible here. */
  const insertOne = (req: AcceptRequest): AcceptResult => {
    const t = now();
    if (req.idempotency) {
      const hit = q.dedup.get(req.flowId, req.idempotency.key, t);
      if (hit) return { executionId: hit.execution_id, duplicate: true };
    }
    const id = ids.next('exe');
    const claim = req.claimFor;
    if (!req.existingEvent) q.event.run(req.envelope.eventId, req.flowId, t, JSON.stringify(req.envelope));
    q.exec.run({
      id, flowId: req.flowId, version: req.flowVersion, eventId: req.envelope.eventId, mode: req.mode,
      status: claim ? 'running' : 'queued', now: t, owner: claim?.owner ?? null,
      leaseUntil: claim ? t + claim.leaseMs : 0, fence: claim ? 1 : 0, replayOf: req.replayOf ?? null,
      // Leased at once: it starts now (a later claim, after a delay, keeps this start).
      startedAt: claim ? t : null,
      parentId: req.parent?.executionId ?? null, parentStep: req.parent?.nodeId ?? null,
    });
    if (req.idempotency) q.key.run(req.flowId, req.idempotency.key, id, t + req.idempotency.windowMs);
    if (!claim) return { executionId: id, duplicate: false };
    const execution = {
      id, flowId: req.flowId, flowVersion: req.flowVersion, eventId: req.envelope.eventId, mode: req.mode,
      status: 'running' as const, dueAt: t, replayOf: req.replayOf, createdAt: t, startedAt: t, ...(req.parent ? { parent: req.parent } : {}),
    };
    return { executionId: id, duplicate: false, fence: 1, state: { execution, envelope: req.envelope, steps: [], attempts: [] } };
  };

  const accept = createWriteBatcher(db, insertOne, {
    onCommitError: (e) => new StoreUnavailable(`could not store the event: ${(e as Error).message}`, { cause: e }),
    afterCommit: (results) => onAccepted(results.filter((r) => !r.duplicate).length),
    walSync,
  });
  return {
    /** Any failure to store the event (a row or the commit) is a StoreUnavailable: the caller answers 503. */
    accept: (req: AcceptRequest): Promise<AcceptResult> =>
      accept(req).catch((e: unknown) => {
        throw e instanceof StoreUnavailable ? e : new StoreUnavailable(`could not store the event: ${(e as Error).message}`, { cause: e });
      }),
  };
}
