/** Shapes of the Hookflow HTTP API as the editor reads them (README "HTTP API"). */

export interface RetryPolicyDoc {
  maxAttempts: number;
  backoff: 'fixed' | 'exponential';
  initialDelayMs: number;
  maxDelayMs: number;
  jitter: number;
}

export interface FlowNodeDoc {
  id: string;
  type: string;
  name?: string;
  position?: { x: number; y: number };
  params: Record<string, unknown>;
  retry?: Partial<RetryPolicyDoc>;
  timeoutMs?: number;
}

export interface FlowEdgeDoc {
  from: string;
  fromPort?: string;
  to: string;
}

export interface FlowInput {
  name: string;
  active?: boolean;
  nodes: FlowNodeDoc[];
  edges: FlowEdgeDoc[];
  version?: number;
}

export interface Flow {
  id: string;
  name: string;
  active: boolean;
  version: number;
  nodes: FlowNodeDoc[];
  edges: FlowEdgeDoc[];
  createdAt: string;
  updatedAt: string;
  webhook: { url: string; token: string };
}

export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

/** A JSON Schema as the catalogue sends it; only the keywords the form reads are named. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  default?: unknown;
  description?: string;
  title?: string;
  minimum?: number;
  maximum?: number;
  'x-widget'?: string;
}

export interface NodeTypeInfo {
  type: string;
  title: string;
  category: string;
  description: string;
  params: JsonSchema;
  ports: string[];
  retry: RetryPolicyDoc;
  timeoutMs: number;
  effect: string;
}

export type ExecutionStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'canceled';
export type StepStatus = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | string;

export interface ErrorRecord {
  code: string;
  message: string;
  nodeId?: string;
  details?: unknown;
}

export interface StepRecord {
  nodeId: string;
  status: StepStatus;
  port?: string;
  output?: unknown;
  error?: ErrorRecord;
  attempts: number;
  dueAt?: number;
  startedAt?: number;
  finishedAt?: number;
}

export interface AttemptRecord {
  nodeId: string;
  attempt: number;
  status: 'succeeded' | 'failed' | 'waiting';
  startedAt: number;
  endedAt: number;
  errorCode?: string;
  errorMessage?: string;
  output?: unknown;
}

export interface Execution {
  id: string;
  flowId: string;
  flowVersion: number;
  eventId: string;
  mode: string;
  status: ExecutionStatus;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  replayOf?: string;
  error?: ErrorRecord;
}

export interface ExecutionDetail extends Execution {
  trigger: { method: string; headers: Record<string, string>; query: Record<string, string>; body: unknown };
  steps: StepRecord[];
  attempts: AttemptRecord[];
}

export interface Me { id: string; email: string; via: string }
export interface ApiTokenInfo { id: string; name: string; createdAt: string | number; token?: string }
export interface Credential { id: string; name: string; type: string; fields: string[]; createdAt: string | number; updatedAt: string | number }
export interface StockItem { sku: string; name: string; quantity: number; updatedAt: string | number }
export interface Movement { id: string; delta: number; before: number; after: number; executionId?: string; nodeId?: string; createdAt: string | number }

/** One problem the server found in a saved flow (400 invalid_flow details). */
export interface FlowProblem { nodeId?: string; field?: string; message: string }

/** GET /api/flows/:id/docs: how to call a flow's webhook. */
export interface WebhookDocs {
  url: string;
  methods: string[];
  contentTypes: string[];
  auth: { kind: string; preset?: string; headers: string[]; howToSign: string };
  idempotencyHeader?: string;
  response: { mode: 'async' | 'sync'; timeoutMs?: number };
  payloadSchema: Record<string, unknown> | null;
  answers: { status: number; when: string }[];
  example: { curl: string };
}
