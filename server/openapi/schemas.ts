/** Component schemas of the OpenAPI document: error and list shapes, flows, executions, credentials, inventory, accounts. */
import type { Json } from './build-helpers.js';
import { ref } from './build-helpers.js';

const str: Json = { type: 'string' };
const iso: Json = { type: 'string', format: 'date-time' };
const ms: Json = { type: 'integer', description: 'milliseconds since the epoch' };
const obj = (properties: Json, required: string[] = [], extra: Json = {}): Json => ({ type: 'object', properties, required, ...extra });
const STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'canceled', 'rejected'];

const ErrorRecord = obj({ code: str, message: str, nodeId: str, details: {} }, ['code', 'message']);

export const SCHEMAS: Readonly<Record<string, Json>> = {
  Error: obj({ error: obj({ code: str, message: str, details: { description: 'e.g. [{ field, message }] or [{ nodeId, field, message }]' } }, ['code', 'message']) }, ['error']),
  FlowEdge: obj({ from: str, fromPort: { type: 'string', default: 'out' }, to: str }, ['from', 'to'], { additionalProperties: false }),
  FlowInput: obj({ name: { type: 'string', minLength: 1 }, active: { type: 'boolean' }, version: { type: 'integer', description: 'PUT only: the version you edited (409 if it moved on)' },
    publish: { type: 'boolean', default: false, description: 'publish the saved version at once (same as ?publish=true); else the save is a draft' }, nodes: { type: 'array', items: ref('FlowNode') }, edges: { type: 'array', items: ref('FlowEdge') },
    notes: { type: 'array', maxItems: 200, items: ref('FlowNote'), description: 'sticky notes on the canvas; the runner ignores them' },
    settings: obj({ onError: { type: 'string', pattern: '^flw_', description: 'the error flow: runs with the failure when an execution of this flow fails (docs/flow-nodes.md)' } }, [], { additionalProperties: false }) }, ['name', 'nodes', 'edges']),
  FlowNote: obj({ id: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]{0,63}$' }, text: { type: 'string', maxLength: 10000 },
    position: obj({ x: { type: 'number' }, y: { type: 'number' } }, ['x', 'y']),
    size: obj({ width: { type: 'number', minimum: 40, maximum: 4000 }, height: { type: 'number', minimum: 30, maximum: 4000 } }, ['width', 'height']) }, ['id', 'text', 'position']),
  FlowProblem: obj({ nodeId: str, field: str, message: str }, ['field', 'message']),
  Flow: {
    allOf: [ref('FlowInput'), obj({ id: str, version: { type: 'integer' }, createdAt: iso, updatedAt: iso,
      latestVersion: { type: 'integer', description: 'the latest saved version (= version); a draft while it differs from publishedVersion' },
      publishedVersion: { type: ['integer', 'null'], description: 'the version webhooks run; null until first published or activated' },
      webhook: obj({ url: { type: 'string', format: 'uri' }, token: str }, ['url', 'token']),
      flags: { type: 'array', items: ref('FlowProblem'), description: 'credential problems (missing here, or of the wrong type): the flow cannot be activated until they are fixed' } }, ['id', 'version', 'latestVersion', 'publishedVersion', 'webhook', 'flags'])],
  },
  FlowVersionList: obj({
    items: { type: 'array', items: obj({ version: { type: 'integer' }, savedAt: iso, savedBy: { type: ['string', 'null'], description: 'an email, "api token …" or "cli"' },
      published: { type: 'boolean' } }, ['version', 'savedAt', 'savedBy', 'published']) },
    total: { type: 'integer' }, nextCursor: { type: 'null' }, publishedVersion: { type: ['integer', 'null'] }, latestVersion: { type: 'integer' },
  }, ['items', 'total', 'publishedVersion', 'latestVersion']),
  NodeRunRequest: obj({ input: { description: 'what the node receives' },
    node: obj({ type: str, params: { type: 'object' }, timeoutMs: { type: 'integer' } }, ['type'], { description: "the editor's unsaved copy of the node; default: the saved node" }),
    trigger: { type: 'object', description: 'for {{ trigger.… }}; default: a POST whose body is input.body (or the input)' },
    nodes: { type: 'object', description: 'upstream outputs by node id, for {{ nodes.… }}' },
    sideEffects: { type: 'boolean', default: false, description: 'true: really send the email, call the URL, move stock; false: a dry run' } }),
  NodeRunResult: obj({ runId: str, nodeId: str, status: { enum: ['succeeded', 'failed', 'waiting'] }, port: str, output: {}, error: ErrorRecord,
    dryRun: { type: 'boolean' }, durationMs: { type: 'integer' }, waitUntil: ms }, ['runId', 'nodeId', 'status', 'dryRun', 'durationMs']),
  TestRequest: obj({ method: str, headers: { type: 'object', additionalProperties: str }, query: { type: 'object' }, body: {},
    wait: { type: 'boolean', default: true, description: 'false: answer 202 {executionId} at once and follow /api/executions/{id}/events' } }),
  ErrorRecord,
  Step: obj({ nodeId: str, status: { enum: ['succeeded', 'failed', 'skipped', 'retrying', 'waiting', 'canceled'] }, port: str, output: {}, error: ErrorRecord, attempts: { type: 'integer' }, dueAt: ms, startedAt: ms, finishedAt: ms,
    reason: { type: 'string', description: 'why the node did not run: skipped ("not reached: check took `invalid`") or canceled (the failure that ended the execution)' },
    ports: { type: 'array', items: str, description: 'every port emitted on, when several (a switch matching all cases); `port` is the first' },
    joined: obj({ arrived: { type: 'array', items: str }, skipped: { type: 'array', items: str }, ignored: { type: 'array', items: str } }, ['arrived', 'skipped'],
      { description: 'a merge: which incoming nodes arrived, were skipped, or (mode first) arrived after it ran' }) }, ['nodeId', 'status', 'attempts'],
    { description: 'one node\'s step; after a split, one step per item with nodeId `<node>@<itemIndex>`' }),
  Attempt: obj({ nodeId: str, attempt: { type: 'integer' }, status: { enum: ['succeeded', 'failed', 'waiting'] }, startedAt: ms, endedAt: ms, errorCode: str, errorMessage: str, output: {} }, ['nodeId', 'attempt', 'status']),
  Execution: obj({
    id: str, flowId: str, flowVersion: { type: 'integer' }, eventId: str, mode: { enum: ['async', 'sync', 'test', 'replay', 'shadow', 'call', 'error', 'schedule'] },
    parent: obj({ executionId: str, nodeId: str }, ['executionId', 'nodeId'], { description: 'the step that started this execution: a call node, or the failed node for an error flow' }),
    status: { enum: STATUSES }, dueAt: ms, replayOf: str, createdAt: ms, startedAt: ms, finishedAt: ms, error: ErrorRecord, response: {},
    answer: obj({ status: { type: 'integer' }, headers: { type: 'object' }, body: { description: 'capped at 16 KiB of JSON' }, at: ms }, ['status'],
      { description: 'sync deliveries: what the caller was actually sent (also a 202 after the sync timeout or the 500 of a failure)' }),
  }, ['id', 'flowId', 'flowVersion', 'status', 'mode']),
  ExecutionListItem: {
    allOf: [ref('Execution'), obj({ trigger: obj({ method: str, idempotencyKey: str, bodyPreview: { type: 'string', description: "the body's first 120 characters" } }) }, ['trigger'])],
  },
  ExecutionDetail: {
    allOf: [ref('Execution'), obj({ trigger: ref('TriggerEnvelope'), steps: { type: 'array', items: ref('Step') }, attempts: { type: 'array', items: ref('Attempt') },
      children: { type: 'array', description: 'executions its steps started (call nodes, its error flow)', items: obj({ id: str, flowId: str, mode: str, status: { enum: STATUSES }, nodeId: str, createdAt: ms, finishedAt: ms }, ['id', 'flowId', 'mode', 'status']) } }, ['trigger', 'steps', 'attempts'])],
  },
  TriggerEnvelope: obj({ method: str, headers: { type: 'object', additionalProperties: str }, query: { type: 'object' }, body: {}, receivedAt: str, eventId: str }, ['method', 'headers', 'body']),
  ReplayRequest: obj({ mode: { enum: ['rerun', 'resume', 'shadow'], default: 'rerun' }, flowVersion: { type: 'integer', minimum: 1, description: 'shadow only' } }),
  ReplayResult: obj({ executionId: str, mode: str, replayOf: str, flowVersion: { type: 'integer' }, status: str, recordedVersion: { type: 'integer' }, nodes: { type: 'array', items: { type: 'object' }, description: 'shadow only: per-node differences' } }, ['executionId', 'mode']),
  CancelResult: obj({ executionId: str, status: { enum: STATUSES } }, ['executionId', 'status']),
  Trace: { type: 'object', description: 'One inbound event followed through every node attempt to each outgoing delivery' },
  NodeType: obj({ type: str, title: str, category: str, description: str, params: { type: 'object', description: 'JSON Schema of the params (title, x-labels for enum values, x-when: shown while siblings hold the listed values)' }, ports: { type: 'array', items: str }, retry: { type: 'object' }, timeoutMs: { type: 'integer' }, effect: str,
    defaults: { type: 'object', description: 'params a new node starts with' } }, ['type', 'params', 'ports']),
  CredentialInput: obj({ name: str, type: { enum: ['smtp', 'hmac', 'standard-webhooks', 'basic', 'header'] }, data: { type: 'object', description: 'write-only secret fields' } }, ['name', 'type', 'data']),
  CredentialUpdate: obj({ name: str, data: { type: 'object', description: 'write-only secret fields (rotation)' } }),
  Credential: obj({ id: str, name: str, type: str, createdAt: iso, updatedAt: iso, fields: { type: 'array', items: str, description: 'names of the stored fields; values are never returned' } }, ['id', 'name', 'type', 'fields']),
  StockItem: obj({ sku: str, name: str, quantity: { type: 'integer', minimum: 0 }, updatedAt: iso }, ['sku', 'name', 'quantity', 'updatedAt']),
  StockPut: obj({ name: { type: 'string', maxLength: 200 }, quantity: { type: 'integer', minimum: 0 } }, ['quantity'], { additionalProperties: false }),
  Movement: obj({ id: { type: 'integer' }, sku: str, delta: { type: 'integer' }, before: { type: 'integer' }, after: { type: 'integer' }, executionId: { type: ['string', 'null'] }, nodeId: { type: ['string', 'null'] }, createdAt: iso }, ['id', 'sku', 'delta', 'before', 'after']),
  Endpoint: obj({ id: str, flowId: { type: ['string', 'null'], description: 'the calling flow; endpoints are kept per flow and URL template, never per origin across flows' }, url: { type: 'string', description: 'the http node URL as saved, variable parts as written; `<origin> <template>` when the origin is templated' }, origin: str, state: { enum: ['healthy', 'failing', 'disabled'] }, failingSince: { type: ['string', 'null'] }, failures: { type: 'integer' }, lastFailureAt: { type: ['string', 'null'] }, lastSuccessAt: { type: ['string', 'null'] }, lastStatus: { type: ['integer', 'null'] }, lastError: { type: ['string', 'null'] }, disabledAt: { type: ['string', 'null'] }, disabledReason: {}, createdAt: iso, updatedAt: iso }, ['id', 'flowId', 'url', 'origin', 'state']),
  SetupRequest: obj({ email: { type: 'string', format: 'email' }, password: str, token: { type: 'string', description: 'the one-time token from the start-up URL' } }, ['email', 'password', 'token']),
  LoginRequest: obj({ email: { type: 'string', format: 'email' }, password: str }, ['email', 'password']),
  User: obj({ id: str, email: str }, ['id', 'email']),
  Me: obj({ id: { type: ['string', 'null'] }, email: { type: ['string', 'null'] }, via: { type: ['string', 'null'] } }, ['id', 'email', 'via']),
  Token: obj({ id: str, name: str, scope: { enum: ['owner', 'read'] }, createdAt: {}, lastUsedAt: {} }, ['id', 'name', 'scope']),
  TokenCreated: { allOf: [ref('Token'), obj({ token: { type: 'string', description: 'shown once' } }, ['token'])] },
  WebhookDocs: obj({
    url: str, methods: { type: 'array', items: str }, contentTypes: { type: 'array', items: str },
    auth: obj({ kind: { enum: ['none', 'hmac', 'basic', 'header'] }, preset: str, headers: { type: 'array', items: str }, howToSign: str }, ['kind', 'headers', 'howToSign']),
    idempotencyHeader: str, response: obj({ mode: { enum: ['async', 'sync'] }, timeoutMs: { type: 'integer' } }, ['mode']),
    payloadSchema: { type: ['object', 'null'] }, answers: { type: 'array', items: obj({ status: { type: 'integer' }, when: str }, ['status', 'when']) },
    example: obj({ curl: { type: 'string', description: 'a bash script: secrets as shell variables, signing with openssl, the curl call' },
      method: { type: 'string' }, contentType: { type: 'string' }, body: { type: 'string', description: 'the sample body the script sends' } }, ['curl', 'method']),
  }, ['url', 'methods', 'contentTypes', 'auth', 'response', 'payloadSchema', 'answers', 'example']),
  HookAccepted: obj({ executionId: str, duplicate: { type: 'boolean' } }, ['executionId']),
};
