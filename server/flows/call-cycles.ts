/** Sub-flow cycles: a `call` node that leads back, through the called flows' current documents, to its own flow is refused at save. */
import type { FlowNodeDoc } from './flow-doc.js';
import type { FlowProblem } from './validate-flow.js';

/** Flows looked at per saved node before giving up the search (a very wide call graph is not a loop by itself). */
const MAX_FLOWS = 2000;

const calledFlow = (n: FlowNodeDoc): string | undefined => {
  const id = n.type === 'call' ? (n.params as { flowId?: unknown }).flowId : undefined;
  return typeof id === 'string' ? id : undefined;
};

/**
 * One problem per `call` node of flow `selfId` (its `nodes` about to be saved) from which a chain of calls returns to
 * `selfId`. `load` gives a flow's current nodes, or undefined for an unknown flow.
 */
export async function callCycleProblems(
  selfId: string, nodes: readonly FlowNodeDoc[], load: (flowId: string) => Promise<readonly FlowNodeDoc[] | undefined>,
): Promise<FlowProblem[]> {
  const out: FlowProblem[] = [];
  const cache = new Map<string, readonly FlowNodeDoc[] | undefined>();
  const get = async (id: string) => {
    if (!cache.has(id)) cache.set(id, await load(id));
    return cache.get(id);
  };
  for (const n of nodes) {
    const first = calledFlow(n);
    if (first === undefined) continue;
    const path = findPath(first, selfId, get);
    const found = await path;
    if (found) out.push({ nodeId: n.id, field: 'params.flowId', message: `calls a flow that calls this flow back (${[selfId, ...found].join(' → ')}): calls must not loop` });
  }
  return out;
}

/** The chain of flow ids from `from` to `to` following call nodes, or undefined. */
async function findPath(from: string, to: string, get: (id: string) => Promise<readonly FlowNodeDoc[] | undefined>): Promise<string[] | undefined> {
  const prev = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length > 0 && prev.size <= MAX_FLOWS) {
    const id = queue.shift() as string;
    if (id === to) {
      const chain: string[] = [];
      for (let c: string | null | undefined = id; c; c = prev.get(c)) chain.unshift(c);
      return chain;
    }
    for (const m of (await get(id)) ?? []) {
      const next = calledFlow(m);
      if (next !== undefined && !prev.has(next)) {
        prev.set(next, id);
        queue.push(next);
      }
    }
  }
  return undefined;
}
