/** The node-type contract: the only types a node module imports from Hookflow. */
import type { TSchema, Static } from '@sinclair/typebox';

/** How a node retries after a retryable failure. Field names fixed by DESIGN §4. */
export interface RetryPolicy {
  /** Total attempts including the first, ≥ 1. @default 1 */
  maxAttempts: number;
  /** @default 'exponential' */
  backoff: 'fixed' | 'exponential';
  /** Delay before the second attempt. @default 1000 */
  initialDelayMs: number;
  /** Cap on any single delay, also on a server's Retry-After. @default 60000 */
  maxDelayMs: number;
  /** Fraction (0..1) of each delay drawn at random and subtracted, to spread retries. @default 0.2 */
  jitter: number;
  /** When set, only errors whose code or HTTP status is listed are retried. */
  retryOn?: Array<string | number>;
}

/** The policy of deterministic nodes: a second attempt would give the same answer. */
export const NO_RETRY: RetryPolicy = Object.freeze({ maxAttempts: 1, backoff: 'fixed', initialDelayMs: 0, maxDelayMs: 0, jitter: 0 });

export interface NodeErrorOptions {
  retryable: boolean;
  retryAfterMs?: number;
  /** HTTP status behind the error, matched by `retryOn`. */
  status?: number;
  details?: unknown;
  cause?: unknown;
}

/** A typed node failure. Codes are snake_case and stable. */
export class NodeError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly status?: number;
  readonly details?: unknown;
  constructor(code: string, message: string, opts: NodeErrorOptions) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'NodeError';
    this.code = code;
    this.retryable = opts.retryable;
    this.retryAfterMs = opts.retryAfterMs;
    this.status = opts.status;
    this.details = opts.details;
  }
}

export const permanent = (code: string, message: string, details?: unknown): NodeError =>
  new NodeError(code, message, { retryable: false, details });

export const retryable = (
  code: string,
  message: string,
  opts: { retryAfterMs?: number; status?: number; details?: unknown } = {},
): NodeError => new NodeError(code, message, { retryable: true, ...opts });

/** The inbound request as the flow sees it (`ctx.trigger`, and the webhook node's output). */
export interface TriggerEnvelope {
  method: string;
  /** Lower-cased header names. Repeated headers are joined with ", ". */
  headers: Record<string, string>;
  query: Record<string, string | string[]>;
  body: unknown;
  /** ISO 8601. */
  receivedAt: string;
  eventId: string;
}

/** What a synchronous webhook caller is answered with. */
export interface SyncResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** A node's result: the port it emits on and the value. */
export interface Emit<Port extends string = string> {
  port: Port;
  value: unknown;
  /** Answer the synchronous caller with this (the `respond` node). */
  response?: SyncResponse;
  /** Answer the synchronous caller with this only when `port` has no outgoing edge (`validate` → 400). */
  responseIfUnhandled?: SyncResponse;
  /** Further ports that emit the same value (a `switch` in "all matches" mode); `port` is the first of them. */
  alsoPorts?: Port[];
}

/** A durable wait: the runner parks the execution until `untilMs` and calls the node again. */
export interface Wait {
  waitUntilMs: number;
}

export type NodeResult<Port extends string = string> = Emit<Port> | Wait;

export const isWait = (r: NodeResult): r is Wait => 'waitUntilMs' in r;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * User code runs only through this. Failures are permanent NodeErrors `sandbox_timeout|sandbox_memory|sandbox_output|
 * sandbox_crash|sandbox_canceled|sandbox_backoff` or `user_code_error`.
 */
export interface Sandbox {
  run(req: SandboxRequest): Promise<unknown>;
}

export interface SandboxRequest {
  /** Stable key under which the compiled script is cached, e.g. `${flowId}:${version}:${nodeId}`. */
  cacheKey: string;
  /** `function`: a function body with `input` and `ctx` in scope, its `return` is the result. `expression`: one JS expression. */
  kind: 'function' | 'expression';
  code: string;
  input: unknown;
  ctx: unknown;
  /** CPU time limit. @default 1000 */
  timeoutMs?: number;
  /**
   * Fairness and back-off unit, e.g. the flow id: a group's calls run one at a time in one lane, never queue behind
   * another group's code, and fail fast (`sandbox_backoff`) for a while after repeatedly exceeding limits. @default cacheKey
   */
  group?: string;
  /** Aborting it drops the call if still queued, or stops it (its isolate is disposed) if running. */
  signal?: AbortSignal;
}

/** A sandbox call answers within its `timeoutMs` plus this once it starts (wall-clock watchdog and disposal included). */
export const SANDBOX_ANSWER_GRACE_MS = 2000;

/** Linear-time regular expressions (user patterns must never stall the event loop). */
export interface SafeRegex {
  test(pattern: string, flags: string, subject: string): boolean;
}

export interface ExecutionInfo {
  id: string;
  flowId: string;
  flowVersion: number;
  nodeId: string;
  /** 1-based attempt number of this step. */
  attempt: number;
  /** Set when this call follows a durable wait the node asked for. */
  resumedFromWaitAt?: number;
  /** 0-based index of the item this call handles, for nodes that run once per item after a `split`. */
  itemIndex?: number;
}

/** Decrypted credential data, read only by the node that names the credential. */
export interface CredentialReader {
  /** Throws a permanent NodeError `credential_missing` / `credential_type` / `credential_unreadable`. */
  read(credentialId: string, type: string): Promise<Record<string, unknown>>;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** Total deadline. */
  timeoutMs: number;
  maxResponseBytes: number;
  followRedirects: boolean;
  signal?: AbortSignal;
  /**
   * Which endpoint this call goes to, for endpoint health (H-16): the calling flow and the URL as saved, variable
   * parts as written. Without it, the URL's origin is the endpoint.
   */
  endpoint?: EndpointRef;
}

export interface EndpointRef {
  flowId: string;
  /** The saved URL template (`https://shop.example/orders/{{ input.id }}`); `<origin> <template>` when the origin is templated. */
  url: string;
  /** The URL has variable parts: one rendered URL answering 410 says that resource is gone, not the endpoint. */
  variable: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** Outgoing HTTP with the SSRF guard applied at connect time and on every redirect. */
export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

export interface MailMessage {
  from: string;
  to: string[];
  cc?: string[];
  bcc?: string[];
  replyTo?: string;
  subject: string;
  text?: string;
  html?: string;
  /** Stable across retries: derived from the idempotency key. */
  messageId: string;
}

export interface Mailer {
  send(smtp: Record<string, unknown>, msg: MailMessage, signal?: AbortSignal): Promise<{ messageId: string; accepted: string[]; rejected: string[] }>;
}

export interface StockItem {
  sku: string;
  qty: number;
}

export type StockResult =
  | { ok: true; moves: Array<{ sku: string; before: number; after: number }> }
  | { ok: false; shortages: Array<{ sku: string; requested: number; available: number | null }> };

/** The built-in stock table; every move is keyed by (execution, node, sku) so it happens once. */
export interface InventoryPort {
  apply(op: { operation: 'decrement' | 'increment' | 'set' | 'check'; items: StockItem[]; allowNegative: boolean; executionId: string; nodeId: string }): Promise<StockResult>;
}

/** Capabilities for action nodes; absent ones make those nodes fail with a permanent `capability_missing`. */
/** Starting and reading executions of other flows (the `call` node). */
export interface SubflowPort {
  /**
   * Accepts an execution of `flowId` with `input` as its trigger body, linked to the calling step (parent and child).
   * Idempotent per calling step: a retried, resumed or woken step gets the execution it started before — except a
   * `fresh` attempt (not woken from its wait) whose child ended unsuccessfully: that one starts a new child (a replay).
   */
  start(req: { flowId: string; input: unknown; parentExecutionId: string; parentNodeId: string; depth: number; fresh: boolean }): Promise<{ executionId: string; createdAt: number }>;
  /** The child's state: undefined while it is not finished. */
  result(executionId: string): Promise<SubflowResult | undefined>;
}

export interface SubflowResult {
  executionId: string;
  status: 'succeeded' | 'failed' | 'canceled' | 'rejected';
  /** The called flow's answer: its `respond` node's body, else its last output. */
  output?: unknown;
  error?: { code: string; message: string; nodeId?: string };
}

export interface Capabilities {
  credentials?: CredentialReader;
  http?: HttpClient;
  mailer?: Mailer;
  inventory?: InventoryPort;
}

export interface NodeContext extends Capabilities {
  execution: ExecutionInfo;
  trigger: TriggerEnvelope;
  /** Committed outputs of the nodes that ran so far, by node id. */
  nodes: Readonly<Record<string, unknown>>;
  /** `${executionId}:${nodeId}` (`${executionId}:${nodeId}:${itemIndex}` per item after a `split`): stable across retries, restarts and resumes. */
  idempotencyKey: string;
  /** Aborted on the node's timeout or when the execution is canceled. */
  signal: AbortSignal;
  /** True when side effects must be stubbed (shadow replays, dry runs). */
  dryRun: boolean;
  /** The node's params as saved, before templates were rendered (the http node keys endpoint health by its URL template, H-16). */
  savedParams?: Readonly<Record<string, unknown>>;
  /**
   * Resume URLs of this execution's `wait` nodes, by node id (also `{{ resume.<nodeId> }}` in templates), so an
   * earlier http or email node can send the URL out before the wait parks.
   */
  resumeUrls?: Readonly<Record<string, string>>;
  /**
   * For a node type that `awaitsSignal`: what was delivered to this step from outside (the request to a `wait`
   * node's resume URL, a called flow's result), or undefined while nothing has arrived. Absent when the host keeps no signals.
   */
  signalled?(): Promise<unknown>;
  /** Sub-flows (the `call` node); absent where the host cannot start executions. */
  subflows?: SubflowPort;
  clock: Clock;
  log: Logger;
  sandbox: Sandbox;
  regex: SafeRegex;
}

export type NodeCategory = 'trigger' | 'logic' | 'data' | 'action';

export interface NodeType<S extends TSchema = TSchema, Port extends string = string> {
  /** Stable id, lower-case, never renamed. */
  type: string;
  title: string;
  category: NodeCategory;
  /** One sentence, shown in the palette and docs. */
  description: string;
  /** JSON Schema (TypeBox) of the params. Templated fields use `Templatable(...)`. */
  params: S;
  /** Params never rendered as templates (code, schemas). */
  rawParams?: readonly string[];
  /** Ports besides `error`, which the runner adds to every node. */
  ports: readonly Port[];
  /** Ports that depend on the params (a `switch`: one per case plus `default`); when set, it replaces `ports` for edges. */
  portsFrom?(params: Static<S>): string[];
  /**
   * A join node (`merge`): its input is always an object keyed by the upstream node ids that reached it. `all` runs it
   * once every incoming node has settled (a skipped branch arrives with nothing); `first` runs it as soon as one arrives.
   */
  join?(params: Static<S>): 'all' | 'first';
  /**
   * Item loops: a `split` node's output array runs the nodes after it once per element, `concurrency` at a time per
   * node; a `gather` node (`aggregate`) collects them back, its input `{ items: [{ index, status, output?, error? }] }`;
   * `failures: 'list'` lets a failed item reach it instead of failing the execution.
   */
  loop?(params: Static<S>): { kind: 'split'; concurrency: number } | { kind: 'gather'; failures: 'list' | 'fail' };
  retry: RetryPolicy;
  timeoutMs: number;
  /** The least timeout this node needs for these (rendered) params, e.g. its code's own limit; the runner never applies a shorter one. */
  timeoutFloorMs?(params: Static<S>): number;
  /** `side-effect` nodes are committed durably before successors run and must use ctx.idempotencyKey. */
  effect: 'pure' | 'side-effect';
  /** Params a new node of this type starts with in the editor: they save and run as they are (email still needs its credential). */
  defaults?: Partial<Static<S>>;
  /**
   * The node parks until something arrives from outside (`wait`: a request to its resume URL; `call`: a child's
   * result): the runner treats its waiting step as due as soon as a signal for it is stored, not only at its due time.
   */
  awaitsSignal?: boolean;
  /** Extra checks at save time beyond the schema; return problems as {field, message}. */
  check?(params: Static<S>): Array<{ field: string; message: string }>;
  execute(ctx: NodeContext, input: unknown, params: Static<S>): Promise<NodeResult<Port>>;
}

export const defineNode = <S extends TSchema, P extends string>(n: NodeType<S, P>): NodeType<S, P> => n;
