/** The store interface the runner, ingress and routes depend on; SQLite (server/store/sqlite) and PostgreSQL (server/store/postgres) implement it. */
import type { TriggerEnvelope, SyncResponse } from '../../nodes/contract.js';
import type { Flow, FlowInput } from '../flows/flow-doc.js';
import type { StepStatus } from '../runner/planner.js';
import type { CaptureStore, CredentialStore, EndpointStore, InventoryStore, RetentionStore, SharedLimits, UserStore } from './ports.js';
import type { ClusterChannel } from './cluster.js';

export type * from './ports.js';
export type * from './records.js';
export type { ClusterChannel, ClusterMessage } from './cluster.js';

/** `rejected`: turned away by a `validate` node whose `invalid` port is not connected (the reason is its error). */
export type ExecutionStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'canceled' | 'rejected';
/** The statuses an execution ends in. */
export type FinalStatus = 'succeeded' | 'failed' | 'canceled' | 'rejected';
export const FINAL_STATUSES: readonly FinalStatus[] = ['succeeded', 'failed', 'canceled', 'rejected'];
/** `call`: started by a `call` node; `error`: started as a flow's error flow; `schedule`: fired by a schedule trigger. */
export type ExecutionMode = 'async' | 'sync' | 'test' | 'replay' | 'shadow' | 'call' | 'error' | 'schedule';

/** The step that started an execution (a `call` node, or the failed step for an error flow). */
export interface ParentRef {
  executionId: string;
  nodeId: string;
}

export interface StoredFlow extends Flow {
  /** The version webhooks run; null until the flow is first published (or activated). */
  publishedVersion: number | null;
  tokenHash: string;
  /** The webhook token, sealed with the master key. */
  tokenSealed: string;
}

export interface ListPage<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

/** Who saved a version, and whether the save also publishes it. */
export interface SaveMeta {
  /** An email, "api token …" or "cli"; absent when unknown. */
  savedBy?: string;
  /** Publish the saved version at once. An active flow that was never published is published anyway. @default false */
  publish?: boolean;
}

/** One saved version of a flow, as the version list shows it. */
export interface FlowVersionInfo {
  version: number;
  /** ISO 8601. */
  savedAt: string;
  savedBy: string | null;
}

export interface FlowStore {
  /** Version 1, a draft unless `meta.publish` or the flow is created active (then version 1 is published). */
  create(id: string, input: FlowInput, token: { hash: string; sealed: string }, meta?: SaveMeta): Promise<StoredFlow>;
  /**
   * Saves a new version (a draft) when `expectedVersion` matches (or is undefined); returns undefined if the flow is
   * gone. The published version stays unless `meta.publish`, or the flow is active and was never published.
   */
  update(id: string, input: FlowInput, expectedVersion?: number, meta?: SaveMeta): Promise<StoredFlow | undefined>;
  /** Activating a flow that was never published publishes its latest version. */
  setActive(id: string, active: boolean): Promise<StoredFlow | undefined>;
  /** Makes a saved version the one webhooks run; undefined if the flow or that version does not exist. */
  publish(id: string, version: number): Promise<StoredFlow | undefined>;
  /** Every saved version, newest first; undefined if the flow does not exist. */
  listVersions(id: string): Promise<FlowVersionInfo[] | undefined>;
  setToken(id: string, token: { hash: string; sealed: string }): Promise<StoredFlow | undefined>;
  get(id: string): Promise<StoredFlow | undefined>;
  getVersion(id: string, version: number): Promise<Flow | undefined>;
  findByTokenHash(hash: string): Promise<StoredFlow | undefined>;
  list(opts: { limit: number; cursor?: string }): Promise<ListPage<StoredFlow>>;
  delete(id: string): Promise<boolean>;
}

export interface AcceptRequest {
  flowId: string;
  flowVersion: number;
  mode: ExecutionMode;
  envelope: TriggerEnvelope;
  idempotency?: { key: string; windowMs: number };
  replayOf?: string;
  /** The envelope's event is already stored (replays run the same event again): add only the execution. */
  existingEvent?: boolean;
  /** Insert the execution already leased to this worker, so it can start without a claim round-trip. */
  claimFor?: { owner: string; leaseMs: number };
  /** The step that started it (sub-flows, error flows): history links parent and child both ways. */
  parent?: ParentRef;
}

export interface AcceptResult {
  executionId: string;
  duplicate: boolean;
  /** Set when `claimFor` was honoured: the fencing token of the lease. */
  fence?: number;
  /** Set when `claimFor` was honoured: the state to start from, so the runner need not read it back. */
  state?: RunState;
}

export interface ErrorRecord {
  code: string;
  message: string;
  nodeId?: string;
  details?: unknown;
}

export interface StepRecord {
  /** The node id, or `${nodeId}@${itemIndex}` for one item's run of a node after a `split`. */
  nodeId: string;
  status: StepStatus;
  port?: string;
  /** Every port emitted on when there are several (`switch` in "all matches" mode); `port` is the first. */
  ports?: string[];
  /** A join node (`merge`): which incoming nodes arrived, were skipped, or (mode `first`) came too late and were ignored. */
  joined?: JoinRecord;
  output?: unknown;
  error?: ErrorRecord;
  attempts: number;
  dueAt?: number;
  startedAt?: number;
  finishedAt?: number;
  /** Why the node did not run: skipped ("not reached: check took `invalid`") or canceled (the failure that ended it). */
  reason?: string;
}

export interface JoinRecord {
  arrived: string[];
  skipped: string[];
  ignored?: string[];
}

export interface AttemptRecord {
  nodeId: string;
  attempt: number;
  status: 'succeeded' | 'failed' | 'waiting';
  startedAt: number;
  endedAt: number;
  errorCode?: string;
  errorMessage?: string;
  /** Capped JSON text of the output. */
  output?: unknown;
}

export interface ExecutionRecord {
  id: string;
  flowId: string;
  flowVersion: number;
  eventId: string;
  mode: ExecutionMode;
  status: ExecutionStatus;
  dueAt: number;
  replayOf?: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  error?: ErrorRecord;
  response?: SyncResponse;
  /** What a synchronous webhook caller was actually sent (also a 202 after the sync timeout, or the 500 of a failure). */
  answer?: ExecutionAnswer;
  /** The step that started it, when another execution did (a `call` node, an error flow). */
  parent?: ParentRef;
}

/** The HTTP answer a synchronous caller received, recorded after it was sent; the body is capped. */
export interface ExecutionAnswer extends SyncResponse {
  /** When it was sent (ms since the epoch). */
  at: number;
}

/** How an execution was triggered, in a few words for a list: the method, the headers and the body's first bytes. */
export interface TriggerPeek {
  method?: string;
  headers?: Record<string, string>;
  /** The body as JSON text (a string body as it is), cut to its first 120 characters. */
  bodyPreview?: string;
}

/** A history row: the record plus a peek at its trigger. */
export interface ExecutionSummary extends ExecutionRecord {
  trigger: TriggerPeek;
}

/** Everything the runner needs to advance one execution. */
export interface RunState {
  execution: ExecutionRecord;
  envelope: TriggerEnvelope;
  steps: StepRecord[];
  attempts: AttemptRecord[];
}

export interface ExecutionDetail extends ExecutionRecord {
  trigger: TriggerEnvelope;
  steps: StepRecord[];
  attempts: AttemptRecord[];
  /** Executions its steps started (call nodes, its error flow): added by the API, not stored here. */
  children?: ExecutionChild[];
}

/** One execution started by another's step, as the parent's detail lists it. */
export interface ExecutionChild {
  id: string;
  flowId: string;
  mode: ExecutionMode;
  status: ExecutionStatus;
  /** The parent's step that started it. */
  nodeId?: string;
  createdAt: number;
  finishedAt?: number;
}

export interface ExecutionFilter {
  flowId?: string;
  status?: ExecutionStatus;
  /** Created at or after this time (ms since the epoch). */
  since?: number;
  /** Created before this time (ms since the epoch). */
  until?: number;
  limit: number;
  cursor?: string;
}

/** Thrown when a write carries a fence older than the execution's: a newer worker owns it. */
export class LeaseLost extends Error {
  constructor(executionId: string) {
    super(`lease on ${executionId} was lost to another worker`);
    this.name = 'LeaseLost';
  }
}

/** The flow changed since the version the client read. */
export class VersionConflict extends Error {
  constructor(id: string) {
    super(`flow ${id} was changed by someone else`);
    this.name = 'VersionConflict';
  }
}

/** Thrown when the database cannot take the write (disk full, read-only, I/O error). */
export class StoreUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailable';
  }
}

export type Settlement =
  | { kind: 'finish'; status: FinalStatus; error?: ErrorRecord; response?: SyncResponse }
  | { kind: 'park'; dueAt: number };

export interface CommitWrite {
  /** Every step of the execution so far (the write replaces the stored list). */
  steps: StepRecord[];
  /** Every attempt so far (replaces the stored list). */
  attempts: AttemptRecord[];
  /** fsync before returning: required once a side effect's result is in the write. */
  durable: boolean;
  settle?: Settlement;
  /** The execution's trigger: outputs that are (or hold) it or its body are stored as references to the event (W-27). */
  trigger?: TriggerEnvelope;
}

/** A flow's share of the queue: its runnable and its parked executions. */
export interface FlowLoad {
  queued: number;
  waiting: number;
}

export interface ExecutionStore {
  /** Durably stores the event and a queued execution (group-committed, fsync'd) before resolving. */
  accept(req: AcceptRequest): Promise<AcceptResult>;
  /**
   * Leases up to `limit` due executions (queued, waiting and due, or running with an expired lease). A store that
   * reads the rows in the same round trip (PostgreSQL) returns each one's `state`, so the runner need not load it.
   */
  claimDue(owner: string, now: number, leaseMs: number, limit: number): Promise<Array<{ id: string; fence: number; state?: RunState }>>;
  loadRun(id: string): Promise<RunState | undefined>;
  /** Steps, attempts and optionally the execution's settlement (finish or park) in one fenced transaction. */
  commit(id: string, fence: number, w: CommitWrite): Promise<void>;
  finish(id: string, fence: number, status: FinalStatus, error?: ErrorRecord, response?: SyncResponse): Promise<void>;
  renewLeases(owner: string, ids: string[], until: number): Promise<void>;
  releaseLeases(owner: string): Promise<void>;
  get(id: string): Promise<ExecutionDetail | undefined>;
  list(filter: ExecutionFilter): Promise<ListPage<ExecutionSummary>>;
  /** Records what a synchronous caller was sent (after sending it; not fsync'd: losing it loses no delivery). */
  recordAnswer(id: string, answer: ExecutionAnswer): Promise<void>;
  /** Cancels a non-final execution; returns its status after the call, or undefined if unknown. */
  cancel(id: string, now: number): Promise<ExecutionStatus | undefined>;
  /** Re-queues a failed or canceled execution, dropping only the steps that did not succeed. */
  resume(id: string, now: number): Promise<'resumed' | 'not_resumable' | undefined>;
  /**
   * Runnable executions: queued or running. Parked ones (waiting for a delay or a retry) are not in it (W-26).
   * Kept in memory, updated on every transition: cheap enough for every accept. On PostgreSQL it is recounted for the
   * whole cluster every second, plus what this process changed since.
   */
  queueDepth(): number;
  /** One flow's executions: `queued` = queued or running, `waiting` = parked (W-26). In memory, like queueDepth. */
  flowLoad(flowId: string): FlowLoad;
  /** Parked (waiting) executions of all flows. */
  parkedDepth(): number;
  /** When the oldest still-queued execution was accepted (for the metric), or undefined. */
  oldestQueuedAt(): Promise<number | undefined>;
  /** Earliest due time of parked work, for the scheduler's timer. */
  nextDueAt(): Promise<number | undefined>;
  pruneIdempotencyKeys(now: number): Promise<number>;
  /** Executions started by `parentId`'s steps (sub-flows, its error flow), oldest first, at most `limit`; only step `nodeId`'s when given. */
  children(parentId: string, limit: number, nodeId?: string): Promise<ExecutionRecord[]>;
}

/** What reached a parked step from outside: a request to a `wait` node's resume URL, a called flow's result. */
export interface SignalStore {
  /**
   * Stores the first signal for (execution, node) and, in the same transaction, makes the execution due now if it is
   * parked. False when that step already has one (a second callback: 409).
   */
  put(s: { executionId: string; nodeId: string; payload: unknown }, now: number): Promise<boolean>;
  get(executionId: string, nodeId: string): Promise<{ payload: unknown; receivedAt: number } | undefined>;
  /**
   * After parking: makes the execution due now when one of `nodeIds` already has a signal (it arrived while the
   * execution ran, after the step looked). True when it did.
   */
  wakeIfSignalled(executionId: string, nodeIds: readonly string[], now: number): Promise<boolean>;
  /** Forgets a step's signal (a replayed `call` step starts a new child and must not read the old one's result). */
  clear(executionId: string, nodeId: string): Promise<void>;
}

/** Slots a schedule keeps per flow; older rows are pruned as new ones are recorded. */
export const SLOTS_KEPT = 100;

/** The slots each flow's schedule fired (with the execution) or skipped; (flow, slot) is unique. */
export interface ScheduleStore {
  /** The latest slot recorded for the flow (fired or skipped), or undefined before the first. */
  lastSlot(flowId: string): Promise<number | undefined>;
  /** Records a slot; false when it was already recorded (by another process). Keeps the newest SLOTS_KEPT per flow. */
  record(flowId: string, slot: number, executionId: string | null, now: number): Promise<boolean>;
  /** The newest slots, newest first. */
  recent(flowId: string, limit: number): Promise<Array<{ slot: number; executionId?: string; firedAt: number }>>;
}

export interface Store {
  kind: 'sqlite' | 'postgres';
  /** Where the data lives, for logs: the database file, or the PostgreSQL URL without its password. */
  location: string;
  flows: FlowStore;
  executions: ExecutionStore;
  signals: SignalStore;
  schedules: ScheduleStore;
  credentials: CredentialStore;
  users: UserStore;
  inventory: InventoryStore;
  captures: CaptureStore;
  endpoints: EndpointStore;
  retention: RetentionStore;
  /** Rate and login limits shared by a cluster; absent on a single node (limits live in memory). */
  limits?: SharedLimits;
  /** Messages between the processes of a cluster (PostgreSQL LISTEN/NOTIFY); absent on a single node. */
  cluster?: ClusterChannel;
  /**
   * Claims this process's worker id for its lifetime (PostgreSQL: refused while another live process holds it,
   * so two processes never renew or release each other's leases). Absent on SQLite (one data directory, one id).
   */
  registerNode?(n: { nodeId: string; role: string; now(): number }): Promise<{ stop(): Promise<void> }>;
  /** 'ok', or why the store cannot take a write right now (for /readyz). */
  health(): Promise<string>;
  close(): Promise<void>;
}
