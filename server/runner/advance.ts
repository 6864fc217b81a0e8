/** Advance one leased execution: plan → run ready nodes → commit → repeat, until it finishes, parks or loses its lease. */
import type { NodeContext, SyncResponse } from '../../nodes/contract.js';
import type { CompiledFlow, CompiledNode } from '../flows/compile-flow.js';
import type { AttemptRecord, ErrorRecord, RunState, Settlement, StepRecord } from '../store/types.js';
import { plan, isPortConnected, joinRecord, skipReason, type StepView } from './planner.js';
import { baseId, copyId, itemOf } from './items.js';
import { renderParams } from './templates.js';
import { runStep, type StepOutcome } from './step.js';
import { stubOutcome } from './shadow.js';
import { withFields } from './log-fields.js';
import { cancelParked, isParked } from './leftovers.js';
import type { RunnerDeps } from './runner-deps.js';
import type { FailedRun } from './error-flows.js';
import { signalContext } from './signal-context.js';

export interface AdvanceJob {
  id: string;
  fence: number;
  cancel: AbortSignal;
  /** Shadow replays: the recorded run's steps; side-effecting nodes are stubbed with them and never run. */
  recorded?: ReadonlyMap<string, StepRecord>;
}

/**
 * Runs until the execution is final or parked. Results of pure nodes are kept in memory and written with the
 * next write (they are recomputed if lost); a side-effecting node's result is committed, fsync'd, before any
 * successor runs, and the lease is re-checked before a side effect starts. Store errors (LeaseLost
 * included) propagate to the caller.
 */
export async function advance(deps: RunnerDeps, flow: CompiledFlow, state: RunState, job: AdvanceJob): Promise<void> {
  const { execution } = state;
  const steps = new Map<string, StepRecord>(state.steps.map((s) => [s.nodeId, s]));
  const outputs: Record<string, unknown> = Object.create(null);
  /** Outputs of one item's copies of the nodes after a split (`inv@3`), kept out of `ctx.nodes` but for their own item. */
  const itemOutputs = new Map<string, unknown>();
  const keep = (s: StepRecord): void => {
    if (s.nodeId.includes('@')) itemOutputs.set(s.nodeId, s.output);
    else outputs[s.nodeId] = s.output;
  };
  for (const s of state.steps) if (s.status === 'succeeded' || s.port === 'error') keep(s);
  const attempts: AttemptRecord[] = [...state.attempts];
  const write = (durable: boolean, settle?: Settlement) =>
    deps.store.executions.commit(job.id, job.fence, { steps: [...steps.values()], attempts, durable, settle, trigger: state.envelope });
  let response = execution.response;
  let fenceJustConfirmed = false;
  let lastOutput: unknown;
  const signals = await signalContext(deps, flow, job.id, steps);
  const failure = () => ({ execution, flow, steps: [...steps.values()] });
  // A `validate` that turned the delivery away (its `invalid` port unconnected): the execution ends `rejected`.
  let rejection: ErrorRecord | undefined = rejectionOf(flow, state.steps);
  deps.events.emit({ type: 'execution.started', executionId: job.id, flowId: execution.flowId, mode: execution.mode });
  for (;;) {
    const p = plan(flow.graph, signals.view(steps), deps.clock.now());
    for (const nodeId of p.skipped) {
      const reason = skipReason(p.graph ?? flow.graph, steps as ReadonlyMap<string, StepView>, nodeId);
      const s: StepRecord = { nodeId, status: 'skipped', attempts: 0, reason };
      steps.set(nodeId, s);
      deps.events.emit({ type: 'step.skipped', executionId: job.id, nodeId, reason });
    }
    noteLateArrivals(flow, steps);
    if (p.failedNodeId) {
      const failed = steps.get(p.failedNodeId);
      const error: ErrorRecord = { ...(failed?.error ?? { code: 'node_failed', message: 'node failed' }), nodeId: p.failedNodeId };
      endParked(deps, job.id, steps, `canceled: ${p.failedNodeId} failed, so the execution failed`);
      return settle(deps, job, write, failure, { kind: 'finish', status: 'failed', error });
    }
    if (p.ready.length === 0) {
      if (p.done && rejection) return settle(deps, job, write, failure, { kind: 'finish', status: 'rejected', error: rejection, response });
      if (p.done) return settle(deps, job, write, failure, { kind: 'finish', status: 'succeeded', response: response ?? lastResponse(lastOutput) });
      if (p.nextDueAt !== undefined) {
        await write(false, { kind: 'park', dueAt: p.nextDueAt });
        deps.events.emit({ type: 'execution.waiting', executionId: job.id, dueAt: p.nextDueAt });
        deps.onParked(p.nextDueAt);
        await signals.afterPark(steps);
        return;
      }
      endParked(deps, job.id, steps, 'canceled: the execution stalled');
      return settle(deps, job, write, failure, { kind: 'finish', status: 'failed', error: { code: 'stalled', message: 'no node can run and none is waiting' } });
    }
    const effects = p.ready.some((r) => flow.nodes.get(baseId(r.nodeId))?.type.effect === 'side-effect');
    // Fence check: never start a side effect on a lost lease. A durable write that just confirmed the fence, with no
    // await since (the previous batch's commit, then only planning), is that check already: a loop of side effects
    // after a split writes once per batch, not twice. A cancel (it aborts `job.cancel`) always gets the real check.
    if (effects && (!fenceJustConfirmed || job.cancel.aborted)) await write(false);
    fenceJustConfirmed = false;
    const results = await Promise.all(p.ready.map((r) => runNode(deps, flow, state, job, steps, nodesFor(flow, outputs, itemOutputs, r.nodeId), r.nodeId, r.input, signals.urlsFor(r.nodeId))));
    for (const r of results) {
      attempts.push(r.attempt);
      if (flow.graph.joins?.has(r.step.nodeId) && r.step.status !== 'retrying' && r.step.status !== 'waiting')
        r.step.joined = joinRecord(flow.graph, steps as ReadonlyMap<string, StepView>, r.step.nodeId);
      steps.set(r.step.nodeId, r.step);
      if (r.step.status === 'succeeded' || r.step.port === 'error') {
        keep(r.step);
        lastOutput = r.step.output;
      }
      if (r.rejection) rejection ??= r.rejection;
      if (!response && r.response) {
        response = r.response;
        deps.events.emit({ type: 'execution.responded', executionId: job.id, response });
      }
    }
    if (effects) {
      await write(true);
      fenceJustConfirmed = true;
    }
    for (const r of results) {
      deps.events.emit({
        type: 'step.finished', executionId: job.id, nodeId: r.step.nodeId, status: r.step.status, port: r.step.port,
        attempt: r.attempt.attempt, dueAt: r.step.dueAt, error: r.step.error,
      });
    }
  }
}

/** A `first` join records the incoming nodes that arrived after it ran as ignored (written with the next write). */
function noteLateArrivals(flow: CompiledFlow, steps: Map<string, StepRecord>): void {
  for (const [id, mode] of flow.graph.joins ?? []) {
    const s = steps.get(id);
    if (mode !== 'first' || s?.joined === undefined) continue;
    const j = joinRecord(flow.graph, steps as ReadonlyMap<string, StepView>, id, s.joined.arrived);
    if ((j.ignored?.length ?? 0) !== (s.joined.ignored?.length ?? 0) || j.skipped.length !== s.joined.skipped.length) steps.set(id, { ...s, joined: j });
  }
}

/** `ctx.nodes` for a step: every node's output, and for one item's copy, the outputs of that item's copies under their node ids. */
function nodesFor(flow: CompiledFlow, outputs: Record<string, unknown>, itemOutputs: ReadonlyMap<string, unknown>, stepId: string): Record<string, unknown> {
  const item = itemOf(stepId);
  if (item === undefined) return outputs;
  const loop = [...(flow.graph.loops?.values() ?? [])].find((l) => l.region.includes(baseId(stepId)));
  const nodes: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, outputs);
  for (const r of loop?.region ?? []) {
    const k = copyId(r, item);
    if (itemOutputs.has(k)) nodes[r] = itemOutputs.get(k);
  }
  return nodes;
}

/** Ends the parked steps of a failing execution as `canceled` with the reason, and says so on the live view. */
function endParked(deps: RunnerDeps, executionId: string, steps: Map<string, StepRecord>, reason: string): void {
  const parked = [...steps.values()].filter(isParked);
  for (const s of cancelParked(parked, reason, deps.clock.now())) {
    steps.set(s.nodeId, s);
    deps.events.emit({ type: 'step.finished', executionId, nodeId: s.nodeId, status: 'canceled', attempt: s.attempts, error: s.error });
  }
}

/** The rejection recorded by an earlier run of this execution (a resumed lease), if any. */
function rejectionOf(flow: CompiledFlow, steps: readonly StepRecord[]): ErrorRecord | undefined {
  for (const s of steps) {
    if (s.status !== 'succeeded' || !s.port) continue;
    const node = flow.nodes.get(s.nodeId);
    if (node?.type.type === 'validate' && s.port === 'invalid' && !isPortConnected(flow.graph, s.nodeId, 'invalid')) return rejectionError(s.nodeId, s.output);
  }
  return undefined;
}

/** The execution's reason when `validate` turned a delivery away: the validation errors, by node. */
function rejectionError(nodeId: string, output: unknown): ErrorRecord {
  const errors = (output as { errors?: Array<{ path?: string; message?: string }> } | undefined)?.errors ?? [];
  const first = errors[0];
  const message = first ? `rejected by ${nodeId}: ${first.path || '(root)'} ${first.message ?? 'is invalid'}` : `rejected by ${nodeId}`;
  return { code: 'validation_failed', message, nodeId, details: errors };
}

const lastResponse = (output: unknown): SyncResponse => ({ status: 200, headers: {}, body: output ?? null });

async function settle(
  deps: RunnerDeps, job: AdvanceJob, write: (durable: boolean, s?: Settlement) => Promise<void>, failure: () => Omit<FailedRun, 'error'>, s: Settlement & { kind: 'finish' },
): Promise<void> {
  // The error flow is stored before the failure is: a crash in between fails the execution again, and the error
  // flow's idempotency key keeps it to one run.
  if (s.status === 'failed' && s.error && deps.onFailed) await deps.onFailed({ ...failure(), error: s.error });
  await write(false, s);
  deps.events.emit({ type: 'execution.finished', executionId: job.id, status: s.status, error: s.error, response: s.response });
  if (deps.onSettled) await deps.onSettled(failure().execution, s.status, s.response, s.error);
}

interface NodeRun {
  step: StepRecord;
  attempt: AttemptRecord;
  response?: SyncResponse;
  /** Set when the node turned the delivery away (its answer-if-unhandled port has no edge). */
  rejection?: ErrorRecord;
}

async function runNode(
  deps: RunnerDeps, flow: CompiledFlow, state: RunState, job: AdvanceJob,
  steps: ReadonlyMap<string, StepRecord>, outputs: Record<string, unknown>, nodeId: string, input: unknown,
  resumeUrls: Readonly<Record<string, string>>,
): Promise<NodeRun> {
  const node = flow.nodes.get(baseId(nodeId)) as CompiledNode;
  const item = itemOf(nodeId);
  const prev = steps.get(nodeId);
  const resumed = prev?.status === 'waiting';
  const attemptNo = resumed ? prev.attempts : (prev?.attempts ?? 0) + 1;
  const startedAt = deps.clock.now();
  deps.events.emit({ type: 'step.started', executionId: job.id, nodeId, attempt: attemptNo });
  const { execution, envelope } = state;
  const ctx: Omit<NodeContext, 'signal'> = {
    execution: {
      id: job.id, flowId: execution.flowId, flowVersion: execution.flowVersion, nodeId: node.doc.id, attempt: attemptNo,
      resumedFromWaitAt: resumed ? prev.dueAt : undefined, ...(item === undefined ? {} : { itemIndex: item }),
    },
    trigger: envelope, nodes: outputs, idempotencyKey: item === undefined ? `${job.id}:${nodeId}` : `${job.id}:${node.doc.id}:${item}`, savedParams: node.doc.params, dryRun: (deps.dryRun ?? false) || job.recorded !== undefined,
    clock: deps.clock, log: withFields(deps.log, { executionId: job.id, nodeId }), sandbox: deps.sandbox, regex: deps.regex, ...deps.capabilities,
    resumeUrls,
    signalled: node.type.awaitsSignal ? async () => (await deps.store.signals.get(job.id, nodeId))?.payload : undefined,
  };
  const outcome = node.doc.disabled ? passThrough(node, input)
    : job.recorded && node.type.effect === 'side-effect' ? stubOutcome(node, job.recorded.get(nodeId))
    : await renderAndRun(deps, node, ctx, input, job.cancel);
  return toRecords(flow, node, nodeId, outcome, input, attemptNo, startedAt, deps.clock.now(), prev);
}

/** A disabled node runs nothing: its input goes on unchanged on its first port. */
function passThrough(node: CompiledNode, input: unknown): StepOutcome {
  const port = node.type.ports[0] ?? 'out';
  return { kind: 'emitted', port, value: input, result: { port, value: input } };
}

async function renderAndRun(deps: RunnerDeps, node: CompiledNode, ctx: Omit<NodeContext, 'signal'>, input: unknown, cancel: AbortSignal): Promise<StepOutcome> {
  let params: Record<string, unknown>;
  try {
    params = renderParams(node.doc.params, { input, trigger: ctx.trigger, nodes: ctx.nodes, resume: ctx.resumeUrls }, node.type.rawParams ?? []);
  } catch (e) {
    return { kind: 'failed', error: { code: 'invalid_params', message: `a template could not be rendered: ${(e as Error).message}`, retryable: false } };
  }
  const problems = deps.params.checkRendered(node.type.params, params);
  if (problems.length > 0) {
    const message = problems.map((p) => `params.${p.field} ${p.message}`).join('; ');
    return { kind: 'failed', error: { code: 'invalid_params', message, retryable: false, details: problems } };
  }
  return runStep({ node: node.type, ctx, input, params, policy: node.policy, timeoutMs: node.timeoutMs, rng: deps.rng, cancel });
}

function toRecords(flow: CompiledFlow, node: CompiledNode, nodeId: string, o: StepOutcome, input: unknown, attempt: number, startedAt: number, endedAt: number, prev?: StepRecord): NodeRun {
  const base = { nodeId, attempts: attempt, startedAt: prev?.startedAt ?? startedAt, finishedAt: endedAt };
  const att = { nodeId, attempt, startedAt, endedAt };
  switch (o.kind) {
    case 'emitted': {
      const r = o.result as { response?: SyncResponse; responseIfUnhandled?: SyncResponse };
      const turnedAway = r.responseIfUnhandled !== undefined && !isPortConnected(flow.graph, node.doc.id, o.port);
      const response = r.response ?? (turnedAway ? r.responseIfUnhandled : undefined);
      // One item turned away by a validate inside a split is that item's outcome, not the execution's.
      const rejection = turnedAway && itemOf(nodeId) === undefined ? rejectionError(node.doc.id, o.value) : undefined;
      const also = (o.result as { alsoPorts?: string[] }).alsoPorts;
      const step: StepRecord = { ...base, status: 'succeeded', port: o.port, output: o.value };
      if (also?.length) step.ports = [o.port, ...also];
      return { step, attempt: { ...att, status: 'succeeded', output: o.value }, response, rejection };
    }
    case 'wait':
      return { step: { ...base, status: 'waiting', dueAt: o.dueAt, finishedAt: undefined }, attempt: { ...att, status: 'waiting' } };
    case 'retry': {
      const error = { code: o.error.code, message: o.error.message };
      return { step: { ...base, status: 'retrying', dueAt: o.dueAt, error, finishedAt: undefined }, attempt: { ...att, status: 'failed', errorCode: error.code, errorMessage: error.message } };
    }
    case 'failed': {
      const error = { code: o.error.code, message: o.error.message, details: o.error.details };
      const routed = isPortConnected(flow.graph, node.doc.id, 'error');
      const output = routed ? { error: { code: error.code, message: error.message, attempts: attempt }, input } : undefined;
      return { step: { ...base, status: 'failed', port: routed ? 'error' : undefined, output, error }, attempt: { ...att, status: 'failed', errorCode: error.code, errorMessage: error.message } };
    }
  }
}
