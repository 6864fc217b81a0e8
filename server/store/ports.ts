/**
 * The store's parts beyond flows and executions, each behind an asynchronous interface so SQLite (in-process)
 * and PostgreSQL (over the network, shared by a cluster) serve every caller alike.
 */
import type { StockItem, StockResult } from '../../nodes/contract.js';
import type { FlowNodeDoc } from '../flows/flow-doc.js';
import type {
  CaptureRow, CredentialRow, EndpointKey, EndpointRow, EndpointState, FlowRef, MovementRow, Page, SessionRecord, StockItemRow,
  TokenRecord, TokenScope, UserRecord, UserWithHash,
} from './records.js';

export interface UserStore {
  countUsers(): Promise<number>;
  /**
   * Inserts the user only while no user exists, in one statement: concurrent callers, even from other
   * processes, get exactly one owner. Undefined when a user already existed.
   */
  createFirstUser(u: { id: string; email: string; passwordHash: string }): Promise<UserRecord | undefined>;
  findByEmail(email: string): Promise<UserWithHash | undefined>;
  get(id: string): Promise<UserRecord | undefined>;
  sessions: {
    insert(idHash: string, userId: string, expiresAt: number): Promise<void>;
    find(idHash: string): Promise<SessionRecord | undefined>;
    touch(idHash: string): Promise<void>;
    delete(idHash: string): Promise<boolean>;
    /** Deletes sessions past their absolute expiry or idle since before `idleBefore`. */
    purge(idleBefore: number): Promise<number>;
  };
  /** Addresses (as keyed hashes) each user signed in from, for the login limiter. Times in epoch ms. */
  loginAddresses: {
    /** Whether `userId` signed in from `address` at or after `since`. */
    known(userId: string, address: string, since: number): Promise<boolean>;
    /** Records a sign-in now, and forgets the user's addresses unused since `forgetBefore`. */
    remember(userId: string, address: string, forgetBefore: number): Promise<void>;
  };
  tokens: {
    insert(t: { id: string; userId: string | null; name: string; hash: string; scope?: TokenScope }): Promise<TokenRecord>;
    list(): Promise<TokenRecord[]>;
    findByHash(hash: string): Promise<TokenRecord | undefined>;
    touch(id: string): Promise<void>;
    delete(id: string): Promise<boolean>;
  };
}

export interface CredentialStore {
  insert(row: CredentialRow): Promise<void>;
  /** Replaces name, fields and sealed data; false when the row does not exist. */
  update(id: string, patch: { name: string; fields: string[]; sealed: string }, now: number): Promise<boolean>;
  get(id: string): Promise<CredentialRow | undefined>;
  list(opts: { limit: number; cursor?: string }): Promise<Page<CredentialRow>>;
  /**
   * In one transaction: the flows whose current document `uses` (judged on its nodes), or, when there are
   * none, the delete itself. `found` is false when the row does not exist.
   */
  deleteUnlessUsed(id: string, uses: (nodes: FlowNodeDoc[]) => boolean): Promise<{ found: boolean; usedBy: FlowRef[] }>;
  /** The sealed key check value, if one was written. */
  keyCheck(): Promise<string | undefined>;
  /** Writes the check value unless one exists (a racing process may have won); returns the stored one. */
  initKeyCheck(sealed: string, now: number): Promise<string>;
  /** One sealed webhook token, to test a key against a data directory older than the check value. */
  anyFlowToken(): Promise<{ flowId: string; sealed: string } | undefined>;
}

/** One stock operation, its items already checked and summed (inventory/stock-items.ts). */
export interface StockApply {
  operation: 'decrement' | 'increment' | 'set' | 'check';
  allowNegative: boolean;
  executionId: string;
  nodeId: string;
  items: StockItem[];
}

export interface InventoryStore {
  /**
   * Applies the operation all or nothing, at most once per (execution, node): a repeat returns the recorded moves.
   * The items' rows are locked (SQLite: the write lock; PostgreSQL: row locks), so concurrent orders never oversell.
   */
  apply(req: StockApply, now: number): Promise<StockResult>;
  /** Creates the item or sets its quantity (and name), recorded as a movement without an execution. */
  put(sku: string, body: { name?: string; quantity: number }, now: number): Promise<{ item: StockItemRow; created: boolean }>;
  get(sku: string): Promise<StockItemRow | undefined>;
  /** Items ordered by sku; `search` matches a substring of sku or name (ASCII case-insensitive); cursor = the last sku seen. */
  list(q: { search?: string; limit: number; cursor?: string }): Promise<Page<StockItemRow>>;
  /** One sku's movements, newest first; cursor = the last id seen. */
  movements(sku: string, q: { limit: number; cursor?: string }): Promise<Page<MovementRow>>;
  /** The movements an execution's node made, in order. */
  movementsOf(executionId: string, nodeId: string): Promise<MovementRow[]>;
}

export interface CaptureStore {
  /** Stores a capture and prunes the flow's oldest beyond `keep`, in one transaction. False if the flow is gone. */
  insert(c: CaptureRow, keep: number): Promise<boolean>;
  /** Newest first; cursor = the last id seen. */
  list(flowId: string, limit: number, cursor?: string): Promise<Page<CaptureRow>>;
  get(flowId: string, id: string): Promise<CaptureRow | undefined>;
  /** Opens (or moves) a flow's window; false if the flow is gone. */
  setWindow(flowId: string, until: number): Promise<boolean>;
  clearWindow(flowId: string): Promise<void>;
  /** Every window still open at `now`. */
  openWindows(now: number): Promise<Array<{ flowId: string; until: number }>>;
}

export interface EndpointStore {
  get(id: string): Promise<EndpointRow | undefined>;
  find(key: EndpointKey): Promise<EndpointRow | undefined>;
  /**
   * Read-modify-write of one endpoint's row (per flow and URL template, H-16) in one transaction with the row locked,
   * so concurrent deliveries (from any process) never lose an update. `next` gets the current row (or undefined);
   * it is pure and may run twice.
   */
  update(key: EndpointKey, next: (prev: EndpointRow | undefined) => EndpointRow): Promise<EndpointRow>;
  /** Clears the disabled and failing state; undefined for an unknown id. */
  enable(id: string, now: number): Promise<EndpointRow | undefined>;
  /** Rows ordered by id (creation order); cursor = the last id seen. */
  list(q: { state?: EndpointState; limit: number; cursor?: string }): Promise<Page<EndpointRow>>;
}

export interface RetentionStore {
  /** Deletes up to `limit` finished executions created before `cutoff`, oldest first, in one transaction. */
  pruneOlderThan(cutoff: number, limit: number): Promise<number>;
  /** Deletes up to `limit` of the oldest finished executions while more than `max` executions are stored. */
  pruneBeyondCount(max: number, limit: number): Promise<number>;
  /** One-time preparation (SQLite: switch to auto_vacuum=INCREMENTAL); true when it changed something. */
  prepare(): Promise<boolean>;
  /** Gives free space back after a pass (SQLite: incremental vacuum, then a WAL checkpoint; PostgreSQL: autovacuum does it). */
  compact(): Promise<void>;
}

export type LimitResult = { ok: true } | { ok: false; retryAfterSec: number };

/**
 * Token buckets shared by every process of a cluster (PostgreSQL). A single node keeps them in memory instead
 * (ingress/rate-limit.ts, accounts/login-limiter.ts), so this part is optional.
 */
export interface SharedLimits {
  /** Takes one token from `key`'s bucket: capacity `perMinute`, refilled at `perMinute / 60` per second. */
  take(key: string, perMinute: number): Promise<LimitResult>;
  /** Takes one token from every key's bucket, or none (refused while any is empty). */
  reserve(keys: readonly string[], perMinute: number): Promise<LimitResult>;
  /** Gives one token back to every key (a reserved attempt succeeded). */
  release(keys: readonly string[], perMinute: number): Promise<void>;
}
