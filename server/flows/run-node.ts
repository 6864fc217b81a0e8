/** "Run this node": one node of a flow, on a given input, in the sandbox, without running the flow or recording an execution. */
import type { Capabilities, Clock, Logger, NodeContext, SafeRegex, Sandbox, TriggerEnvelope } from '../../nodes/contract.js';
import { NO_RETRY } from '../../nodes/contract.js';
import type { NodeRegistry } from '../../nodes/registry.js';
import type { Ids } from '../adapters/ids.js';
import { ApiError } from '../http/errors.js';
import { renderParams } from '../runner/templates.js';
import { runStep } from '../runner/step.js';
import type { FlowNodeDoc } from './flow-doc.js';
import type { FlowView } from './flow-service.js';
import type { ParamsValidator } from './params-validator.js';

export interface NodeRunDeps {
  flows: { get(id: string): Promise<FlowView> };
  registry: NodeRegistry;
  params: ParamsValidator;
  sandbox: Sandbox;
  regex: SafeRegex;
  capabilities: Capabilities;
  clock: Clock;
  ids: Ids;
  log: Logger;
}

/** What the editor sends: the input, and optionally its unsaved copy of the node and the run's context. */
export interface NodeRunRequest {
  input?: unknown;
  /** The editor's current (maybe unsaved) node: type, params, timeoutMs. Default: the saved node. */
  node?: unknown;
  /** Trigger envelope for `{{ trigger.… }}` and `ctx.trigger`; default: a POST whose body is `input.body` or the input. */
  trigger?: unknown;
  /** Upstream outputs by node id, for `{{ nodes.… }}`. */
  nodes?: unknown;
  /** Perform a side effect for real (send the email, call the URL, move stock). @default false: a dry run */
  sideEffects?: unknown;
}

export interface NodeRunResult {
  runId: string;
  nodeId: string;
  status: 'succeeded' | 'failed' | 'waiting';
  port?: string;
  output?: unknown;
  error?: { code: string; message: string; details?: unknown };
  /** True when a side-effecting node ran with its side effect stubbed (ctx.dryRun). */
  dryRun: boolean;
  durationMs: number;
  /** A delay node asked to wait until this time (ms since the epoch); the input is passed on as it would be. */
  waitUntil?: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** The longest a node run may take from this button, whatever the node's own timeout. */
const MAX_RUN_MS = 60_000;

function defaultTrigger(input: unknown, now: number, eventId: string): TriggerEnvelope {
  const body = isRecord(input) && 'body' in input ? input.body : input;
  return { method: 'POST', headers: {}, query: {}, body: body ?? null, receivedAt: new Date(now).toISOString(), eventId };
}

function triggerOf(raw: unknown, fallback: TriggerEnvelope): TriggerEnvelope {
  if (raw === undefined) return fallback;
  if (!isRecord(raw)) throw new ApiError(400, 'invalid_request', 'trigger must be an object like {method, headers, query, body}');
  const headers = isRecord(raw.headers) ? Object.fromEntries(Object.entries(raw.headers).map(([k, v]) => [k.toLowerCase(), String(v)])) : {};
  return {
    ...fallback, headers, body: raw.body ?? null,
    method: typeof raw.method === 'string' ? raw.method : fallback.method,
    query: isRecord(raw.query) ? (raw.query as TriggerEnvelope['query']) : {},
  };
}

export function createNodeRunner(d: NodeRunDeps) {
  /** The node to run: the editor's draft (checked as a save would check it) or the saved one. */
  const nodeOf = (flow: FlowView, nodeId: string, draft: unknown): FlowNodeDoc => {
    const saved = flow.nodes.find((n) => n.id === nodeId);
    if (draft === undefined) {
      if (!saved) throw new ApiError(404, 'not_found', `flow ${flow.id} has no node "${nodeId}"`);
      return saved;
    }
    if (!isRecord(draft) || typeof draft.type !== 'string') throw new ApiError(400, 'invalid_request', 'node must be an object with a "type"');
    const type = d.registry.get(draft.type);
    if (!type) throw new ApiError(400, 'invalid_request', `unknown node type "${draft.type}"`);
    const params = draft.params === undefined ? {} : draft.params;
    if (!isRecord(params)) throw new ApiError(400, 'invalid_params', 'params must be an object');
    const problems = d.params.checkSaved(type.params, params).map((p) => ({ nodeId, field: `params.${p.field}`, message: p.message }));
    if (problems.length === 0 && type.check) problems.push(...type.check(params as never).map((p) => ({ nodeId, field: `params.${p.field}`, message: p.message })));
    if (problems.length) throw new ApiError(400, 'invalid_params', `field "${problems[0].field}": ${problems[0].message}`, problems);
    const timeoutMs = typeof draft.timeoutMs === 'number' && Number.isInteger(draft.timeoutMs) && draft.timeoutMs > 0 ? draft.timeoutMs : undefined;
    return { id: nodeId, type: type.type, params, timeoutMs };
  };

  return {
    async run(flowId: string, nodeId: string, req: NodeRunRequest): Promise<NodeRunResult> {
      if (!isRecord(req)) throw new ApiError(400, 'invalid_request', 'body must be an object {input, node?, trigger?, nodes?, sideEffects?}');
      if (req.sideEffects !== undefined && typeof req.sideEffects !== 'boolean') throw new ApiError(400, 'invalid_request', 'sideEffects must be a boolean');
      if (req.nodes !== undefined && !isRecord(req.nodes)) throw new ApiError(400, 'invalid_request', 'nodes must be an object of outputs by node id');
      const flow = await d.flows.get(flowId);
      const doc = nodeOf(flow, nodeId, req.node);
      const type = d.registry.get(doc.type);
      if (!type) throw new ApiError(400, 'invalid_request', `unknown node type "${doc.type}"`);
      const runId = d.ids.next('nrun');
      const started = d.clock.now();
      const trigger = triggerOf(req.trigger, defaultTrigger(req.input, started, runId));
      const input = type.category === 'trigger' ? trigger : req.input;
      const nodes = (req.nodes ?? {}) as Record<string, unknown>;
      const dryRun = type.effect === 'side-effect' && req.sideEffects !== true;
      const base = { runId, nodeId, dryRun };
      const done = (r: Omit<NodeRunResult, 'runId' | 'nodeId' | 'dryRun' | 'durationMs'>): NodeRunResult => ({ ...base, ...r, durationMs: d.clock.now() - started });
      if (doc.disabled) return done({ status: 'succeeded', port: type.ports[0] ?? 'out', output: input });
      let params: Record<string, unknown>;
      try {
        params = renderParams(doc.params, { input, trigger, nodes }, type.rawParams ?? []);
      } catch (e) {
        return done({ status: 'failed', error: { code: 'invalid_params', message: `a template could not be rendered: ${(e as Error).message}` } });
      }
      const problems = d.params.checkRendered(type.params, params);
      if (problems.length) {
        return done({ status: 'failed', error: { code: 'invalid_params', message: problems.map((p) => `params.${p.field} ${p.message}`).join('; '), details: problems } });
      }
      // flowVersion 0: the sandbox caches this draft's code apart from the saved versions' warm contexts.
      const ctx: Omit<NodeContext, 'signal'> = {
        execution: { id: runId, flowId, flowVersion: 0, nodeId, attempt: 1 },
        trigger, nodes, idempotencyKey: `${runId}:${nodeId}`, dryRun,
        clock: d.clock, log: d.log, sandbox: d.sandbox, regex: d.regex, ...d.capabilities,
      };
      const timeoutMs = Math.min(doc.timeoutMs ?? type.timeoutMs, MAX_RUN_MS);
      const o = await runStep({ node: type, ctx, input, params, policy: NO_RETRY, timeoutMs, rng: Math.random });
      switch (o.kind) {
        case 'emitted': return done({ status: 'succeeded', port: o.port, output: o.value });
        case 'wait': return done({ status: 'waiting', port: type.ports[0] ?? 'out', output: input, waitUntil: o.dueAt });
        case 'retry': case 'failed': return done({ status: 'failed', error: { code: o.error.code, message: o.error.message, details: o.error.details } });
      }
    },
  };
}
export type NodeRunner = ReturnType<typeof createNodeRunner>;
