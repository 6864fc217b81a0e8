/** Which parked steps a signal (a callback, a called flow's result) makes due, and the resume URLs each step sees. */
import type { CompiledFlow } from '../flows/compile-flow.js';
import type { StepRecord } from '../store/types.js';
import type { StepView } from './planner.js';
import type { RunnerDeps } from './runner-deps.js';
import { baseId, itemOf } from './items.js';

/**
 * Signals (docs/flow-nodes.md, "Wait for callback"): a waiting step of a node type that `awaitsSignal` is due as soon
 * as its signal is stored. Signals stored before this advance are looked up once here; one that arrives while the
 * execution runs makes the parked row due again (`put` when it is already parked, `afterPark` when it parks after).
 */
export async function signalContext(deps: RunnerDeps, flow: CompiledFlow, executionId: string, steps: ReadonlyMap<string, StepRecord>) {
  // Step ids: a node's id, or `<node>@<item>` for its copy per item inside a split loop.
  const awaits = (stepId: string): boolean => flow.nodes.get(baseId(stepId))?.type.awaitsSignal === true;
  const waitNodes = [...flow.nodes.values()].filter((n) => n.type.type === 'wait').map((n) => n.doc.id);
  const loops = [...(flow.graph.loops?.values() ?? [])];
  const loopOf = (nodeId: string) => loops.find((l) => l.region.includes(nodeId));
  const signalled = new Set<string>();
  for (const [id, s] of steps) {
    if (s.status === 'waiting' && awaits(id) && (await deps.store.signals.get(executionId, id)) !== undefined) signalled.add(id);
  }
  const parkedOnSignal = (all: ReadonlyMap<string, StepRecord>) => [...all].filter(([id, s]) => s.status === 'waiting' && awaits(id)).map(([id]) => id);
  return {
    /**
     * `{{ resume.<wait node> }}` as the step `stepId` sees it: a wait node outside loops has one URL; one inside a split
     * loop has one per item, which the nodes of the same item see (nodes outside that loop see none).
     */
    urlsFor(stepId: string): Record<string, string> {
      const urls: Record<string, string> = Object.create(null);
      if (!deps.resumeUrl) return urls;
      const item = itemOf(stepId);
      const mine = loopOf(baseId(stepId));
      for (const w of waitNodes) {
        const loop = loopOf(w);
        if (!loop) urls[w] = deps.resumeUrl(executionId, w);
        else if (item !== undefined && loop === mine) urls[w] = deps.resumeUrl(executionId, `${w}@${item}`);
      }
      return urls;
    },
    view(all: ReadonlyMap<string, StepRecord>): ReadonlyMap<string, StepView> {
      if (signalled.size === 0) return all;
      const out = new Map<string, StepView>(all);
      for (const id of signalled) {
        const s = all.get(id);
        if (s?.status === 'waiting') out.set(id, { ...s, dueAt: 0 });
      }
      return out;
    },
    async afterPark(all: ReadonlyMap<string, StepRecord>): Promise<void> {
      const parked = parkedOnSignal(all);
      if (parked.length === 0) return;
      const now = deps.clock.now();
      if (await deps.store.signals.wakeIfSignalled(executionId, parked, now)) deps.onParked(now);
    },
  };
}
