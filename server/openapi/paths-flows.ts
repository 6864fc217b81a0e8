/** OpenAPI paths for /api/flows*, /api/executions* and /api/node-types. */
import { errors, idParam, json, listOf, noContent, op, PAGE, ref, type Json } from './build-helpers.js';

const flowId = [idParam('flow')];
const execId = [idParam('execution')];
const saveQuery: Json = { name: 'credentialProblems', in: 'query', schema: { enum: ['refuse', 'flag'], default: 'refuse' },
  description: '`flag`: an inactive flow is saved even when it names credentials missing here (or of the wrong type); they come back in `flags` and block activation' };
const publishQuery: Json = { name: 'publish', in: 'query', schema: { enum: ['true', 'false'], default: 'false' },
  description: '`true`: the saved version goes live at once (as `"publish": true` in the body); else the save is a draft and webhooks keep running the published version' };
const versionParam: Json = { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
const lifecycle = (summary: string): Json => ({ post: op({ tag: 'flows', summary, params: flowId, responses: { 200: json(ref('Flow')), ...errors(404) } }) });

export const FLOW_PATHS: Readonly<Record<string, Json>> = {
  '/api/flows': {
    get: op({ tag: 'flows', summary: 'List flows', params: PAGE, responses: { 200: json(listOf(ref('Flow'))), ...errors(400) } }),
    post: op({ tag: 'flows', summary: 'Create a flow', description: 'Rejects cycles, dangling edges, unknown types and invalid params with a 400 naming the node and field (every problem in `details`).',
      params: [saveQuery, publishQuery], body: ref('FlowInput'), responses: { 201: json(ref('Flow'), 'Created'), ...errors(400) } }),
  },
  '/api/flows/{id}': {
    get: op({ tag: 'flows', summary: 'Get a flow', params: flowId, responses: { 200: json(ref('Flow')), ...errors(404) } }),
    put: op({ tag: 'flows', summary: 'Save a new version of a flow (a draft unless published)', description: 'Send `version` to get 409 when someone saved in between. Code that does not compile is refused (400 naming node, field, line and column).', params: [...flowId, saveQuery, publishQuery], body: ref('FlowInput'), responses: { 200: json(ref('Flow')), ...errors(400, 404, 409) } }),
    delete: op({ tag: 'flows', summary: 'Delete a flow', params: flowId, responses: { 204: noContent, ...errors(404) } }),
  },
  '/api/flows/{id}/versions': {
    get: op({ tag: 'flows', summary: 'Saved versions, newest first, with who saved them and when, and which one is published', params: flowId,
      responses: { 200: json(ref('FlowVersionList')), ...errors(404) } }),
  },
  '/api/flows/{id}/versions/{version}/restore': {
    post: op({ tag: 'flows', summary: "Save an old version's document as a new draft (nothing is published)", params: [...flowId, versionParam],
      responses: { 200: json(ref('Flow')), ...errors(400, 404) } }),
  },
  '/api/flows/{id}/publish': {
    post: op({ tag: 'flows', summary: 'Make a saved version live (default: the latest); webhooks run it from now on',
      description: 'Only a version that passes every save check (params, graph, code that compiles, credentials) is published; else 400 `invalid_flow` naming node and field.',
      params: flowId, body: { type: 'object', properties: { version: { type: 'integer', minimum: 1 } } }, responses: { 200: json(ref('Flow')), ...errors(400, 404) } }),
  },
  '/api/flows/{id}/versions/{version}': {
    get: op({ tag: 'flows', summary: 'One saved version of a flow (what an execution of that version ran)',
      params: [...flowId, versionParam],
      responses: { 200: json({ type: 'object', required: ['id', 'name', 'version', 'nodes', 'edges'], properties: {
        id: { type: 'string' }, name: { type: 'string' }, version: { type: 'integer' }, nodes: { type: 'array' }, edges: { type: 'array' } } }), ...errors(400, 404) } }),
  },
  '/api/flows/{id}/activate': lifecycle('Activate a flow (its webhook starts accepting; a flow never published gets its latest version published)'),
  '/api/flows/{id}/deactivate': lifecycle('Deactivate a flow (its webhook answers 404)'),
  '/api/flows/{id}/rotate-token': lifecycle('Rotate the webhook token (the old URL stops working)'),
  '/api/flows/{id}/docs': {
    get: op({ tag: 'flows', summary: "Generated docs for the flow's webhook", description: 'URL, methods, auth and how to sign, payload JSON Schema from the first validate node on `body`, the answers, a curl sample.',
      params: flowId, responses: { 200: json(ref('WebhookDocs')), ...errors(404) } }),
  },
  '/api/flows/{id}/test': {
    post: op({ tag: 'flows', summary: 'Run the flow on a given request (even while inactive) and return the finished execution',
      description: 'A `body` over the flow\'s body limit (the webhook\'s `maxBodyBytes`, else `HOOKFLOW_MAX_BODY`; a string counts as its bytes, anything else as its JSON) is refused with the 413 `payload_too_large` the webhook URL gives.',
      params: flowId, body: ref('TestRequest'), responses: { 200: json(ref('ExecutionDetail')), 202: json({ type: 'object', properties: { executionId: { type: 'string' } }, required: ['executionId'] }), ...errors(400, 404, 413) } }),
  },
  '/api/flows/{id}/nodes/{nodeId}/run': {
    post: op({ tag: 'flows', summary: 'Run one node on a given input, in the sandbox, without running the flow (nothing is recorded)',
      description: 'Side-effecting nodes (email, http, inventory) run as a dry run unless `sideEffects` is true. 400 `invalid_params` when the sent node does not save.',
      params: [...flowId, { name: 'nodeId', in: 'path', required: true, schema: { type: 'string' } }], body: ref('NodeRunRequest'),
      responses: { 200: json(ref('NodeRunResult')), ...errors(400, 404) } }),
  },
  '/api/executions': {
    get: op({ tag: 'executions', summary: 'Execution history', params: [
      { name: 'flowId', in: 'query', schema: { type: 'string' } },
      { name: 'status', in: 'query', schema: { enum: ['queued', 'running', 'waiting', 'succeeded', 'failed', 'canceled', 'rejected'] } },
      { name: 'since', in: 'query', description: 'created at or after: ms since the epoch or ISO 8601', schema: { type: 'string' } },
      { name: 'until', in: 'query', description: 'created before: ms since the epoch or ISO 8601', schema: { type: 'string' } }, ...PAGE],
    responses: { 200: json(listOf(ref('ExecutionListItem'))), ...errors(400) } }),
  },
  '/api/executions/{id}': {
    get: op({ tag: 'executions', summary: 'One execution with its trigger, steps and every node attempt', params: execId, responses: { 200: json(ref('ExecutionDetail')), ...errors(404) } }),
  },
  '/api/executions/{id}/replay': {
    post: op({ tag: 'executions', summary: 'Replay: rerun (deliveries: the published version; test runs: the latest save), resume (only what did not succeed) or shadow (draft, side effects stubbed, diff)',
      params: execId, body: ref('ReplayRequest'),
      responses: { 200: json(ref('ReplayResult'), 'Shadow run finished'), 202: json(ref('ReplayResult'), 'Rerun or resume started'), ...errors(400, 404, 409) } }),
  },
  '/api/executions/{id}/cancel': {
    post: op({ tag: 'executions', summary: 'Cancel an execution', params: execId, responses: { 200: json(ref('CancelResult')), ...errors(404) } }),
  },
  '/api/executions/{id}/events': {
    get: op({ tag: 'executions', summary: 'Server-sent events of its progress', description: 'First `snapshot` (the execution), then `step.started`, `step.finished`, `step.skipped`, `execution.waiting`, until `execution.finished`.',
      params: execId, responses: { 200: { description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...errors(404) } }),
  },
  '/api/executions/{id}/trace': {
    get: op({ tag: 'executions', summary: 'Correlation view: the inbound event through every node attempt to each outgoing delivery', params: execId,
      responses: { 200: json(ref('Trace')), ...errors(404) } }),
  },
  '/api/node-types': {
    get: op({ tag: 'node-types', summary: 'The node catalogue: params JSON Schema, ports, retry defaults', responses: { 200: json(listOf(ref('NodeType'))) } }),
  },
};
