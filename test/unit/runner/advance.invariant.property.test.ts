/**
 * Property: whatever the graph, the failures, the retries and the delays, a finished execution has no step left
 * queued, running, waiting or retrying; when it fails, the parked steps of its other branches end `canceled` with
 * the reason (issue 11, part 3). Drives `advance` directly with an in-memory store and a hand-moved clock.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Type } from '@sinclair/typebox';
import { defineNode, permanent, retryable, type NodeType } from '../../../nodes/contract.js';
import { advance } from '../../../server/runner/advance.js';
import { buildGraph } from '../../../server/runner/planner.js';
import { createEventBus } from '../../../server/runner/events.js';
import type { CompiledFlow, CompiledNode } from '../../../server/flows/compile-flow.js';
import type { RunnerDeps } from '../../../server/runner/runner-deps.js';
import type { CommitWrite, RunState, StepRecord } from '../../../server/store/types.js';

type Outcome = 'out' | 'alt' | 'retry' | 'fail' | 'wait';
interface NodeSpec { parents: Array<{ from: number; port: 'out' | 'alt' | 'error' }>; script: Outcome[]; maxAttempts: number; delayMs: number }

const triggerType: NodeType = defineNode({
  type: 'start', title: 'Start', category: 'trigger', description: 'test trigger', params: Type.Object({}),
  ports: ['out'] as const, retry: { maxAttempts: 1, backoff: 'fixed', initialDelayMs: 0, maxDelayMs: 0, jitter: 0 },
  timeoutMs: 1000, effect: 'pure', async execute() { return { port: 'out', value: {} }; },
});

/** One node type whose behaviour per node and attempt comes from the generated scripts. */
function scriptedType(scripts: Map<string, NodeSpec>): NodeType {
  return defineNode({
    type: 'scripted', title: 'Scripted', category: 'action', description: 'test node', params: Type.Object({}),
    ports: ['out', 'alt'] as const, retry: { maxAttempts: 1, backoff: 'fixed', initialDelayMs: 0, maxDelayMs: 0, jitter: 0 },
    timeoutMs: 1000, effect: 'pure',
    async execute(ctx) {
      const spec = scripts.get(ctx.execution.nodeId) as NodeSpec;
      if (ctx.execution.resumedFromWaitAt !== undefined) return { port: 'out', value: ctx.execution.attempt };
      const o = spec.script[ctx.execution.attempt - 1] ?? 'out';
      if (o === 'retry') throw retryable('flaky', `attempt ${ctx.execution.attempt} failed`);
      if (o === 'fail') throw permanent('broken', 'failed for good');
      if (o === 'wait') return { waitUntilMs: ctx.clock.now() + spec.delayMs };
      return { port: o, value: ctx.execution.attempt };
    },
  });
}

const nodeArb = (i: number): fc.Arbitrary<NodeSpec> => fc.record({
  parents: fc.uniqueArray(fc.record({ from: fc.nat(i - 1), port: fc.constantFrom<'out' | 'alt' | 'error'>('out', 'out', 'alt', 'error') }), { minLength: 1, maxLength: 3, selector: (p) => p.from }),
  script: fc.array(fc.constantFrom<Outcome>('out', 'alt', 'retry', 'retry', 'fail', 'wait'), { maxLength: 5 }),
  maxAttempts: fc.integer({ min: 1, max: 4 }),
  delayMs: fc.integer({ min: 1, max: 100_000 }),
});
const flowArb = fc.integer({ min: 1, max: 9 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, k) => nodeArb(k + 1))));

function compile(specs: NodeSpec[]): CompiledFlow {
  const scripts = new Map(specs.map((s, k) => [`n${k + 1}`, s]));
  const scripted = scriptedType(scripts);
  const nodes = new Map<string, CompiledNode>();
  const trigger: CompiledNode = { doc: { id: 'n0', type: 'start', params: {} }, type: triggerType, policy: triggerType.retry, timeoutMs: 1000 };
  nodes.set('n0', trigger);
  specs.forEach((s, k) => {
    const id = `n${k + 1}`;
    nodes.set(id, { doc: { id, type: 'scripted', params: {} }, type: scripted, timeoutMs: 1000,
      policy: { maxAttempts: s.maxAttempts, backoff: 'exponential', initialDelayMs: s.delayMs, maxDelayMs: 200_000, jitter: 0 } });
  });
  const edges = specs.flatMap((s, k) => s.parents.map((p) => ({ from: `n${p.from}`, fromPort: p.port, to: `n${k + 1}` })));
  const flow = { id: 'flw_p', name: 'p', active: true, version: 1, nodes: [...nodes.values()].map((c) => c.doc), edges, createdAt: '', updatedAt: '' };
  return { flow, graph: buildGraph([...nodes.keys()], edges, 'n0'), nodes, trigger };
}

/** Runs the execution to its end the way the scheduler would: advance, and on a park move the clock to its due time. */
async function runToEnd(flow: CompiledFlow): Promise<{ final: CommitWrite; history: CommitWrite[] }> {
  let now = 1_000_000;
  const history: CommitWrite[] = [];
  const deps = {
    store: { executions: { commit: async (_id: string, _fence: number, w: CommitWrite) => { history.push(structuredClone(w)); } } },
    flows: undefined, params: { checkRendered: () => [] }, events: createEventBus(), clock: { now: () => now },
    rng: () => 0.5, log: { debug() {}, info() {}, warn() {}, error() {} }, sandbox: { run: async () => undefined },
    regex: { test: () => false }, capabilities: {}, onParked() {},
  } as unknown as RunnerDeps;
  const state: RunState = {
    execution: { id: 'exe_1', flowId: 'flw_p', flowVersion: 1, eventId: 'evt_1', mode: 'async', status: 'running', dueAt: now, createdAt: now },
    envelope: { method: 'POST', headers: {}, query: {}, body: {}, receivedAt: new Date(now).toISOString(), eventId: 'evt_1' },
    steps: [], attempts: [],
  };
  for (let round = 0; round < 500; round++) {
    await advance(deps, flow, state, { id: 'exe_1', fence: 1, cancel: new AbortController().signal });
    const last = history[history.length - 1];
    if (last.settle?.kind === 'finish') return { final: last, history };
    if (last.settle?.kind !== 'park') throw new Error('advance returned without parking or finishing');
    now = Math.max(now, last.settle.dueAt);
    state.steps = last.steps;
    state.attempts = last.attempts;
  }
  throw new Error('the execution never finished');
}

describe('runner invariant (property)', () => {
  it('a finished execution has no step queued, running, waiting or retrying; a failure cancels the parked ones', async () => {
    await fc.assert(fc.asyncProperty(flowArb, async (specs) => {
      const flow = compile(specs);
      const { final, history } = await runToEnd(flow);
      const settle = final.settle as { kind: 'finish'; status: string; error?: { nodeId?: string } };
      const steps = new Map<string, StepRecord>(final.steps.map((s) => [s.nodeId, s]));
      for (const s of final.steps) expect(['queued', 'running', 'waiting', 'retrying']).not.toContain(s.status);
      for (const s of final.steps) if (s.status !== 'retrying' && s.status !== 'waiting') expect(s.dueAt ?? undefined).toBeUndefined();
      const canceled = final.steps.filter((s) => s.status === 'canceled');
      if (settle.status === 'succeeded') {
        expect(canceled).toEqual([]);
        for (const id of flow.nodes.keys()) expect(steps.has(id)).toBe(true);
      } else {
        expect(settle.status).toBe('failed');
        const culprit = steps.get(settle.error?.nodeId as string);
        expect(culprit).toMatchObject({ status: 'failed' });
        expect(culprit?.port).toBeUndefined();
        // Every step parked in the write before the finish (or in the finish itself) is now canceled, by name.
        const before = history.length > 1 ? history[history.length - 2].steps : [];
        for (const p of before.filter((s) => s.status === 'retrying' || s.status === 'waiting')) {
          const now = steps.get(p.nodeId) as StepRecord;
          if (now.status === 'canceled') expect(now.reason).toContain(settle.error?.nodeId as string);
        }
        for (const c of canceled) {
          expect(c.error?.code).toBe('canceled');
          expect(c.reason).toBe(`canceled: ${settle.error?.nodeId} failed, so the execution failed`);
        }
      }
      for (const s of final.steps) if (s.status === 'skipped') expect(s.reason).toMatch(/^not reached: /);
    }), { numRuns: 300 });
  }, 60_000);
});
