/** Row shapes the stores hand out (both SQLite and PostgreSQL map their rows to these); times are ms since the epoch unless named ISO. */

export interface UserRecord {
  id: string;
  email: string;
  /** ISO 8601. */
  createdAt: string;
}

export interface UserWithHash extends UserRecord {
  passwordHash: string;
}

export interface SessionRecord {
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

/** `owner`: every route; `read`: GET and HEAD only, and no webhook URLs. */
export type TokenScope = 'owner' | 'read';

export interface TokenRecord {
  id: string;
  /** Null for a token created with the HOOKFLOW_API_TOKEN, before or without an owner account. */
  userId: string | null;
  name: string;
  scope: TokenScope;
  /** ISO 8601. */
  createdAt: string;
  lastUsedAt: string | null;
}

/** One stored credential; `sealed` is the AES-256-GCM envelope of its data, never the data itself. */
export interface CredentialRow {
  id: string;
  name: string;
  type: string;
  /** Names of the data fields present (never values). */
  fields: string[];
  sealed: string;
  createdAt: number;
  updatedAt: number;
}

export interface FlowRef {
  id: string;
  name: string;
}

/** One captured delivery as stored. */
export interface CaptureRow {
  id: string;
  flowId: string;
  receivedAt: number;
  method: string;
  /** The query string as sent, without `?`. */
  query: string;
  /** Lower-cased names; credential-carrying headers already `[redacted]`. */
  headers: Record<string, string>;
  body: Buffer;
  signature: { ok: boolean; reason: string | null; kind: string; preset: string | null };
  client: string | null;
  live: boolean;
}

export type DisabledReason = 'gone' | 'failing';
export type EndpointState = 'healthy' | 'failing' | 'disabled';

/** Which endpoint a delivery goes to: the calling flow ('' outside a flow) and the URL without its variable parts (H-16). */
export interface EndpointKey {
  flowId: string;
  url: string;
}

/** Health of one outgoing endpoint (per flow and URL template); null where nothing happened yet. */
export interface EndpointRow {
  id: string;
  /** The flow whose http node calls it; null for calls outside a flow. */
  flowId: string | null;
  /** The URL as the node saved it, variable parts as written (`…/orders/{{ input.id }}`); see migration 009. */
  url: string;
  /** `scheme://host:port` of the last call, as URL.origin spells it. */
  origin: string;
  /** Start of the current run of consecutive failures; null while healthy. */
  failingSince: number | null;
  /** Consecutive failures in the current run. */
  failures: number;
  lastFailureAt: number | null;
  lastSuccessAt: number | null;
  lastStatus: number | null;
  /** `code: message` of the last failure, bounded; never a path or query (they may hold secrets). */
  lastError: string | null;
  disabledAt: number | null;
  disabledReason: DisabledReason | null;
  createdAt: number;
  updatedAt: number;
}

export interface StockItemRow {
  sku: string;
  name: string;
  quantity: number;
  updatedAt: number;
}

export interface MovementRow {
  id: number;
  sku: string;
  delta: number;
  before: number;
  after: number;
  /** null for a manual change through the API. */
  executionId: string | null;
  nodeId: string | null;
  createdAt: number;
}

export type NewMovement = Omit<MovementRow, 'id'>;

export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}
