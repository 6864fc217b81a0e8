/** Shapes of the Hookflow HTTP API as the editor reads them (README "HTTP API"). */

// The document and execution shapes are the server's own types (type-only imports: nothing of the
// server is bundled), so the editor cannot drift from what the API sends.
import type { RetryPolicy } from '../../../nodes/contract.js';
import type { Flow as StoredFlowDoc, FlowEdgeDoc, FlowInput as ServerFlowInput, FlowNodeDoc } from '../../../server/flows/flow-doc.js';
import type {
  AttemptRecord, ErrorRecord, ExecutionDetail, ExecutionRecord, ExecutionStatus, StepRecord,
} from '../../../server/store/types.js';

export type { AttemptRecord, ErrorRecord, ExecutionDetail, ExecutionStatus, FlowEdgeDoc, FlowNodeDoc, StepRecord };
export type RetryPolicyDoc = RetryPolicy;
export type Execution = ExecutionRecord;
/** What a PUT may carry besides the document: the version it was read at (409 on a concurrent change). */
export type FlowInput = ServerFlowInput & { version?: number; publish?: boolean };
/** A flow as the API answers it: the stored document plus its webhook URL and credential flags. */
export type Flow = StoredFlowDoc & {
  webhook: { url: string; token: string }; flags?: FlowProblem[];
  /** The version webhooks run; null until first published (or activated). */
  publishedVersion: number | null;
  /** The latest saved version (= version): a draft while it differs from publishedVersion. */
  latestVersion: number;
};
/** GET /api/flows/:id/versions. */
export interface FlowVersionInfo { version: number; savedAt: string; savedBy: string | null; published: boolean }
export interface FlowVersionList { items: FlowVersionInfo[]; total: number; publishedVersion: number | null; latestVersion: number }

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
  /** Ports from the params (a switch): one per element of the list `list`, named by its `key`, shown by its `label`, then `then`. */
  'x-ports'?: { list: string; key: string; label?: string; then?: string[] };
  /** Shown only while sibling fields hold one of the listed values (server: nodes/*.ts). */
  'x-when'?: Record<string, unknown[]> | Record<string, unknown[]>[];
  /** Words for enum values. */
  'x-labels'?: Record<string, string>;
  'x-templatable'?: boolean;
  'x-template'?: boolean;
  maxLength?: number;
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
  /** Params a new node starts with. */
  defaults?: Record<string, unknown>;
}

export interface Me { id: string; email: string; via: string }
export interface ApiTokenInfo { id: string; name: string; scope: 'owner' | 'read'; createdAt: string | number; lastUsedAt?: string | null; token?: string }
export interface Credential { id: string; name: string; type: string; fields: string[]; createdAt: string | number; updatedAt: string | number }
export interface StockItem { sku: string; name: string; quantity: number; updatedAt: string | number }
export interface Movement { id: string; delta: number; before: number; after: number; executionId?: string; nodeId?: string; createdAt: string | number }

/** One problem the server found in a saved flow (400 invalid_flow details). */
export interface FlowProblem { nodeId?: string; field?: string; message: string }

/** "Run this node" (the server's own types). */
export type { NodeRunRequest, NodeRunResult } from '../../../server/flows/run-node.js';
/** A row of GET /api/executions: the record plus a peek at its trigger. */
export type { ExecutionListItem } from '../../../server/runner/execution-service.js';

/** GET /api/flows/:id/docs: how to call a flow's webhook (the server's own type). */
export type { WebhookDocs } from '../../../server/flows/webhook-docs.js';
