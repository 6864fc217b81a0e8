/** Execution operations behind the API: history, test runs, replay (re-run or resume) and cancel. */
import type { Clock, TriggerEnvelope } from '../../nodes/contract.js';
import type { Ids } from '../adapters/ids.js';
import type { FlowView } from '../flows/flow-service.js';
import { ApiError, notFound } from '../http/errors.js';
import type { ExecutionDetail, ExecutionFilter, ExecutionRecord, ExecutionStore, ExecutionSummary, ListPage, RunState } from '../store/types.js';
import { diffRuns } from './shadow.js';
import type { EventBus } from './events.js';
import type { Runner } from './runner.js';

export interface ExecutionServiceDeps {
  executions: ExecutionStore;
  runner: Runner;
  events: EventBus;
  ids: Ids;
  clock: Clock;
  /** The latest saved version (the draft): test and shadow runs use it. */
  currentVersion(flowId: string): Promise<number | undefined>;
  /** The version the webhook runs (the latest when never published): a rerun of a delivery uses it. @default currentVersion */
  liveVersion?(flowId: string): Promise<number | undefined>;
  hasVersion(flowId: string, version: number): Promise<boolean>;
  /** Ids of the side-effecting nodes of a flow version (stubbed in shadow runs). */
  sideEffectNodes(flowId: string, version: number): Promise<ReadonlySet<string>>;
  /** The (lower-case) idempotency header of a flow version's webhook, if it has one. */
  idempotencyHeader?(flowId: string, version: number): Promise<string | undefined>;
}

/** A history row as the API lists it: how it was triggered in a few words, never the whole request. */
export interface ExecutionListItem extends ExecutionRecord {
  trigger: { method?: string; idempotencyKey?: string; bodyPreview?: string };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function createExecutionService(d: ExecutionServiceDeps) {
  const start = async (flowId: string, version: number, envelope: TriggerEnvelope, mode: 'test' | 'replay' | 'shadow', replayOf?: string) => {
    const claim = d.runner.hasCapacity();
    const r = await d.executions.accept({
      flowId, flowVersion: version, mode, envelope, replayOf, existingEvent: replayOf !== undefined,
      claimFor: claim ? { owner: d.runner.owner, leaseMs: d.runner.leaseMs } : undefined,
    });
    return r;
  };
  const launch = (id: string, fence: number | undefined, state?: RunState): void => {
    if (fence !== undefined) d.runner.run(id, fence, state);
    else d.runner.wake();
  };
  const envelopeFrom = (body: Record<string, unknown>): TriggerEnvelope => {
    const headers: Record<string, string> = {};
    if (body.headers !== undefined && !isRecord(body.headers)) throw new ApiError(400, 'invalid_request', 'headers must be an object');
    for (const [k, v] of Object.entries(body.headers ?? {})) headers[k.toLowerCase()] = String(v);
    if (body.query !== undefined && !isRecord(body.query)) throw new ApiError(400, 'invalid_request', 'query must be an object');
    if (body.method !== undefined && (typeof body.method !== 'string' || !/^[A-Z]{3,7}$/.test(body.method)))
      throw new ApiError(400, 'invalid_request', 'method must be an upper-case HTTP method');
    return {
      method: (body.method as string | undefined) ?? 'POST', headers, query: (body.query ?? {}) as TriggerEnvelope['query'],
      body: body.body ?? null, receivedAt: new Date(d.clock.now()).toISOString(), eventId: d.ids.next('evt'),
    };
  };
  /** Starts an execution and resolves once it is final (or after `timeoutMs`), with its record. */
  const runToEnd = async (flowId: string, version: number, envelope: TriggerEnvelope, mode: 'test' | 'shadow', replayOf?: string, timeoutMs = 30_000) => {
    const r = await start(flowId, version, envelope, mode, replayOf);
    // Subscribed synchronously after the accept and before the launch, so the finish cannot be missed.
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(() => { off(); resolve(); }, timeoutMs);
      const off = d.events.subscribe(r.executionId, (e) => {
        if (e.type === 'execution.finished') { clearTimeout(timer); off(); resolve(); }
      });
    });
    launch(r.executionId, r.fence, r.state);
    await done;
    return d.executions.get(r.executionId);
  };

  /** Runs a recorded event against a flow version with every side effect stubbed, and diffs it node by node. */
  const shadow = async (old: ExecutionDetail, flowVersion: unknown) => {
    const current = await d.currentVersion(old.flowId);
    if (current === undefined) throw new ApiError(409, 'flow_deleted', 'the flow of this execution was deleted');
    if (flowVersion !== undefined && (!Number.isInteger(flowVersion) || (flowVersion as number) < 1))
      throw new ApiError(400, 'invalid_request', 'flowVersion must be a positive whole number');
    const version = (flowVersion as number | undefined) ?? current;
    if (!(await d.hasVersion(old.flowId, version))) throw new ApiError(404, 'not_found', `flow version ${version} not found`);
    const run = await runToEnd(old.flowId, version, old.trigger, 'shadow', old.id);
    if (!run) throw new ApiError(500, 'internal_error', 'the shadow run vanished');
    const stubbed = await d.sideEffectNodes(old.flowId, version);
    return {
      executionId: run.id, mode: 'shadow', replayOf: old.id, flowVersion: version, status: run.status,
      recordedVersion: old.flowVersion, nodes: diffRuns(old.steps, run.steps, stubbed),
    };
  };

  /** The peek's headers are dropped; only the idempotency key (by the flow version's header name) is kept. */
  const listItem = async (x: ExecutionSummary): Promise<ExecutionListItem> => {
    const { trigger: peek, ...record } = x;
    const header = await d.idempotencyHeader?.(x.flowId, x.flowVersion);
    const key = header ? peek.headers?.[header] : undefined;
    return { ...record, trigger: { method: peek.method, bodyPreview: peek.bodyPreview, ...(key ? { idempotencyKey: key.slice(0, 256) } : {}) } };
  };

  return {
    async list(f: ExecutionFilter): Promise<ListPage<ExecutionListItem>> {
      const page = await d.executions.list(f);
      return { ...page, items: await Promise.all(page.items.map(listItem)) };
    },
    /** One execution with every step and attempt, its parent step (if another execution started it) and its children. */
    async get(id: string) {
      const e = await d.executions.get(id);
      if (!e) return e;
      const children = (await d.executions.children(id, 200)).map((c) => ({
        id: c.id, flowId: c.flowId, mode: c.mode, status: c.status, nodeId: c.parent?.nodeId, createdAt: c.createdAt, finishedAt: c.finishedAt,
      }));
      return { ...e, children };
    },
    /** Runs the flow's current version on a given request, even while inactive, and returns the finished execution. */
    async test(flow: FlowView, body: Record<string, unknown>, timeoutMs = 30_000) {
      return runToEnd(flow.id, flow.version, envelopeFrom(body), 'test', undefined, timeoutMs);
    },
    /** Starts a test run and answers at once; progress follows on /api/executions/:id/events. */
    async startTest(flow: FlowView, body: Record<string, unknown>) {
      const r = await start(flow.id, flow.version, envelopeFrom(body), 'test');
      launch(r.executionId, r.fence, r.state);
      return { executionId: r.executionId };
    },
    async replay(id: string, mode: unknown, flowVersion?: unknown) {
      const old = await d.executions.get(id);
      if (!old) throw notFound('execution');
      if (mode === 'resume') {
        const r = await d.executions.resume(id, d.clock.now());
        if (r === 'not_resumable') throw new ApiError(409, 'not_resumable', `only failed or canceled executions can be resumed; this one is ${old.status}`);
        d.runner.wake();
        return { executionId: id, mode: 'resume' };
      }
      if (mode === 'shadow') return shadow(old, flowVersion);
      if (mode !== 'rerun') throw new ApiError(400, 'invalid_request', 'mode must be "rerun", "resume" or "shadow"');
      // A rerun runs what a new run of the same kind would: a test run (from the editor) the latest save, the draft;
      // a delivery (webhook, schedule, call, …) what the webhook runs, the published version, never an unpublished draft.
      const isTest = old.mode === 'test' || old.mode === 'shadow';
      const version = await (isTest ? d.currentVersion : d.liveVersion ?? d.currentVersion)(old.flowId);
      if (version === undefined) throw new ApiError(409, 'flow_deleted', 'the flow of this execution was deleted');
      const r = await start(old.flowId, version, old.trigger, 'replay', id);
      launch(r.executionId, r.fence, r.state);
      return { executionId: r.executionId, mode: 'rerun', replayOf: id };
    },
    async cancel(id: string) {
      const status = await d.executions.cancel(id, d.clock.now());
      if (status === undefined) throw notFound('execution');
      d.runner.abort(id);
      if (status === 'canceled') d.events.emit({ type: 'execution.finished', executionId: id, status: 'canceled' });
      return { executionId: id, status };
    },
  };
}
export type ExecutionService = ReturnType<typeof createExecutionService>;
