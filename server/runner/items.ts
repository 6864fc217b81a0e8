/**
 * Item loops: after a `split` succeeds, the nodes of its region run once per element of its output. The planner works on
 * an expanded graph where each region node `n` has one copy `n@i` per item; the copies' steps are ordinary committed
 * steps, so retries, resume after a crash and replays need nothing new. Pure, no I/O.
 */
import type { ExpandedInfo, Graph, GraphEdge, LoopSpec, StepView } from './planner.js';

export const copyId = (nodeId: string, item: number): string => `${nodeId}@${item}`;
/** The node id of a step id (`inv@3` → `inv`). Node ids cannot hold `@`. */
export const baseId = (stepId: string): string => { const at = stepId.indexOf('@'); return at < 0 ? stepId : stepId.slice(0, at); };
/** The item index of a step id, or undefined for a node outside any loop. */
export const itemOf = (stepId: string): number | undefined => { const at = stepId.indexOf('@'); return at < 0 ? undefined : Number(stepId.slice(at + 1)); };

const cache = new WeakMap<Graph, Map<string, Graph>>();

/** The graph with each loop whose split has succeeded expanded to its items; the same object for the same item counts. */
export function expandLoops(graph: Graph, steps: ReadonlyMap<string, StepView>): Graph {
  const counts: Array<[LoopSpec, number]> = [];
  for (const loop of graph.loops?.values() ?? []) {
    const s = steps.get(loop.splitId);
    if (s?.status === 'succeeded' && s.port === 'out' && Array.isArray(s.output)) counts.push([loop, s.output.length]);
  }
  if (counts.length === 0) return graph;
  const key = counts.map(([l, n]) => `${l.splitId}:${n}`).join('|');
  let byKey = cache.get(graph);
  if (!byKey) cache.set(graph, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) return hit;
  const g = expand(graph, counts);
  if (byKey.size > 64) byKey.clear();
  byKey.set(key, g);
  return g;
}

function expand(graph: Graph, counts: ReadonlyArray<[LoopSpec, number]>): Graph {
  const regionOf = new Map<string, LoopSpec>();
  for (const [loop] of counts) for (const r of loop.region) regionOf.set(r, loop);
  const countOf = new Map(counts.map(([l, n]) => [l.splitId, n]));
  const edges: GraphEdge[] = [];
  const gathers = new Map<string, { loop: LoopSpec; count: number; feeders: GraphEdge[] }>();
  const limits = new Map<string, number>();
  const tolerated = new Set<string>();
  for (const [loop, n] of counts) {
    if (loop.gatherId) {
      gathers.set(loop.gatherId, { loop, count: n, feeders: [] });
      // The gather waits for the split (and is reached through it) even when there are no items.
      edges.push({ from: loop.splitId, fromPort: 'out', to: loop.gatherId });
    }
    for (const r of loop.region) for (let i = 0; i < n; i++) {
      limits.set(copyId(r, i), loop.concurrency);
      if (loop.failures === 'list') tolerated.add(copyId(r, i));
    }
  }
  for (const list of graph.outgoing.values()) for (const e of list) {
    const fromLoop = regionOf.get(e.from);
    const toLoop = regionOf.get(e.to);
    if (!fromLoop && !toLoop) { edges.push(e); continue; }
    if (toLoop && e.from === toLoop.splitId) {
      for (let i = 0; i < (countOf.get(toLoop.splitId) ?? 0); i++) edges.push({ ...e, to: copyId(e.to, i), item: i });
    } else if (fromLoop && toLoop === fromLoop) {
      for (let i = 0; i < (countOf.get(fromLoop.splitId) ?? 0); i++) edges.push({ ...e, from: copyId(e.from, i), to: copyId(e.to, i) });
    } else if (fromLoop && e.to === fromLoop.gatherId) {
      gathers.get(e.to)?.feeders.push(e);
      for (let i = 0; i < (countOf.get(fromLoop.splitId) ?? 0); i++) edges.push({ ...e, from: copyId(e.from, i) });
    }
    // Any other edge into or out of a region is refused at save (see loopProblems).
  }
  const order: string[] = [];
  const placed = new Set<string>();
  for (const id of graph.order) {
    const loop = regionOf.get(id);
    if (!loop) { order.push(id); continue; }
    if (placed.has(loop.splitId)) continue;
    placed.add(loop.splitId);
    // Item-major: item 0's nodes, then item 1's, … so an item's chain advances together.
    for (let i = 0; i < (countOf.get(loop.splitId) ?? 0); i++) for (const r of loop.region) order.push(copyId(r, i));
  }
  const incoming = new Map<string, GraphEdge[]>(order.map((id) => [id, []]));
  const outgoing = new Map<string, GraphEdge[]>(order.map((id) => [id, []]));
  for (const e of edges) {
    incoming.get(e.to)?.push(e);
    outgoing.get(e.from)?.push(e);
  }
  const info: ExpandedInfo = { gathers, limits, tolerated };
  return { ...graph, order, incoming, outgoing, expanded: info };
}

/**
 * The item loops of a flow, or the problems that make it unusable: a split's region is every node reachable from its
 * `out` port up to its gather. Refused: a split inside another split's region (nested splits), a region node with
 * input from outside the loop, a region edge that leaves the loop other than into its gather, a gather fed by two
 * splits or by none.
 */
export function findLoops(
  nodes: ReadonlyArray<{ id: string; loop?: 'split' | 'gather'; concurrency?: number; failures?: 'list' | 'fail' }>,
  edges: readonly GraphEdge[],
): { loops: Map<string, LoopSpec>; problems: Array<{ nodeId: string; message: string }> } {
  const kind = new Map(nodes.map((n) => [n.id, n]));
  const loops = new Map<string, LoopSpec>();
  const problems: Array<{ nodeId: string; message: string }> = [];
  const out = new Map<string, GraphEdge[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const claimed = new Map<string, string>();
  for (const n of nodes) {
    if (n.loop !== 'split') continue;
    const region = new Set<string>();
    const gathers = new Set<string>();
    const queue = (out.get(n.id) ?? []).filter((e) => (e.fromPort ?? 'out') === 'out').map((e) => e.to);
    while (queue.length > 0) {
      const id = queue.shift() as string;
      const k = kind.get(id);
      if (k?.loop === 'gather') { gathers.add(id); continue; }
      if (region.has(id)) continue;
      if (k?.loop === 'split') { problems.push({ nodeId: id, message: `splits cannot be nested: "${id}" runs once per item of "${n.id}"; aggregate first` }); continue; }
      region.add(id);
      for (const e of out.get(id) ?? []) queue.push(e.to);
    }
    if (gathers.size > 1) problems.push({ nodeId: n.id, message: `the items of "${n.id}" reach ${gathers.size} aggregate nodes (${[...gathers].join(', ')}); use one` });
    const gatherId = [...gathers][0];
    if (gatherId !== undefined) {
      const other = claimed.get(gatherId);
      if (other !== undefined) problems.push({ nodeId: gatherId, message: `"${gatherId}" gathers the items of two splits ("${other}" and "${n.id}")` });
      claimed.set(gatherId, n.id);
    }
    for (const e of edges) {
      if (region.has(e.to) && e.from !== n.id && !region.has(e.from))
        problems.push({ nodeId: e.to, message: `"${e.to}" runs once per item of "${n.id}" and cannot also take input from "${e.from}" outside the loop` });
      if (e.from === n.id && (e.fromPort ?? 'out') === 'out' && e.to === gatherId)
        problems.push({ nodeId: gatherId, message: `connect "${n.id}" to "${gatherId}" through at least one node, or remove the aggregate` });
    }
    const gather = gatherId === undefined ? undefined : kind.get(gatherId);
    const order = [...region]; // topological order is restored by the caller
    loops.set(n.id, { splitId: n.id, region: order, gatherId, concurrency: n.concurrency ?? 1, failures: gather?.failures ?? 'fail' });
  }
  for (const n of nodes) {
    if (n.loop !== 'gather') continue;
    // An aggregate nothing leads to yet (just added in the editor) is skipped like any unconnected node.
    if (edges.some((e) => e.to === n.id) && ![...loops.values()].some((l) => l.gatherId === n.id))
      problems.push({ nodeId: n.id, message: `"${n.id}" gathers items but no split leads to it` });
    for (const e of edges) {
      if (e.to !== n.id) continue;
      const loop = [...loops.values()].find((l) => l.gatherId === n.id);
      if (loop && !loop.region.includes(e.from)) problems.push({ nodeId: n.id, message: `"${n.id}" can only take input from the nodes after "${loop.splitId}", not from "${e.from}"` });
    }
  }
  return { loops, problems };
}
