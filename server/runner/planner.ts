/** Pure planner: from a flow graph and the committed steps, which nodes are ready, skipped, waiting or done. No I/O. */
import { baseId, copyId, expandLoops } from './items.js';

export interface GraphEdge {
  from: string;
  fromPort?: string;
  to: string;
  /** Set on the edges from a `split` to one item's copy of a node: the input is element `item` of the split's output. */
  item?: number;
}

/** An item loop: the nodes after a `split` (its region) run once per element of its output, up to `gatherId`. */
export interface LoopSpec {
  splitId: string;
  /** Node ids between the split and the gather, in topological order. */
  region: readonly string[];
  gatherId?: string;
  /** Copies of one region node that may run (or wait for a retry) at once. */
  concurrency: number;
  /** `list`: a failed item is reported to the gather node; `fail`: it fails the execution. */
  failures: 'list' | 'fail';
}

/** What a gather node is given per item. */
export interface ItemResult {
  index: number;
  status: 'succeeded' | 'failed' | 'skipped';
  output?: unknown;
  error?: { code: string; message: string; nodeId: string };
}

export interface Graph {
  triggerId: string;
  /** Node ids in topological order (trigger first). */
  order: readonly string[];
  /** Incoming edges by target node id. */
  incoming: ReadonlyMap<string, readonly GraphEdge[]>;
  /** Outgoing edges by source node id. */
  outgoing: ReadonlyMap<string, readonly GraphEdge[]>;
  /** Join nodes (`merge`) and when they run. */
  joins?: ReadonlyMap<string, 'all' | 'first'>;
  /** Item loops by split id. */
  loops?: ReadonlyMap<string, LoopSpec>;
  /** Set on a graph expanded for the items of its splits (see items.ts). */
  expanded?: ExpandedInfo;
}

export interface ExpandedInfo {
  /** Gather node id → its loop and item count. */
  gathers: ReadonlyMap<string, { loop: LoopSpec; count: number; feeders: readonly GraphEdge[] }>;
  /** Copy id → the concurrency of its base node; copies whose failure is listed, not fatal. */
  limits: ReadonlyMap<string, number>;
  tolerated: ReadonlySet<string>;
}

/** `canceled`: a parked step (retrying, waiting) that will never run because its execution ended. */
export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'retrying' | 'waiting' | 'canceled';

export interface StepView {
  status: StepStatus;
  /** The port emitted on when succeeded (`error` when a failure was routed there). */
  port?: string;
  /** Every port emitted on, when several. */
  ports?: readonly string[];
  error?: { code: string; message: string };
  output?: unknown;
  dueAt?: number;
  /** Why a node did not run (skipped: "not reached: check took `invalid`"; canceled: the failure that ended it). */
  reason?: string;
}

export interface ReadyNode {
  nodeId: string;
  input: unknown;
}

export interface Plan {
  /** Nodes to run now: never started, or due after a retry/wait. */
  ready: ReadyNode[];
  /** Nodes none of whose incoming edges was taken (skipping propagates). */
  skipped: string[];
  /** Earliest due time among steps parked for later, if any. */
  nextDueAt?: number;
  /** A step failed with no `error` edge: the execution fails. */
  failedNodeId?: string;
  /** Every node is settled. */
  done: boolean;
  /** The graph planned on when it differs from the flow's: expanded for the items of its splits (`inv@3`). */
  graph?: Graph;
}

const DEFAULT_PORT = 'out';

/** Build the graph once per flow version. Throws on cycles (save-time validation rejects them first). */
export function buildGraph(
  nodeIds: readonly string[], edges: readonly GraphEdge[], triggerId: string,
  meta: { joins?: ReadonlyMap<string, 'all' | 'first'>; loops?: ReadonlyMap<string, LoopSpec> } = {},
): Graph {
  const incoming = new Map<string, GraphEdge[]>();
  const outgoing = new Map<string, GraphEdge[]>();
  for (const id of nodeIds) {
    incoming.set(id, []);
    outgoing.set(id, []);
  }
  for (const e of edges) {
    incoming.get(e.to)?.push(e);
    outgoing.get(e.from)?.push(e);
  }
  const g: Graph = { triggerId, order: topoOrder(nodeIds, edges), incoming, outgoing };
  if (meta.joins?.size) g.joins = meta.joins;
  if (meta.loops?.size) g.loops = meta.loops;
  return g;
}

/** Kahn's algorithm; returns the ids in dependency order or throws naming a node on a cycle. */
export function topoOrder(nodeIds: readonly string[], edges: readonly GraphEdge[]): string[] {
  const indeg = new Map(nodeIds.map((id) => [id, 0]));
  const next = new Map<string, string[]>(nodeIds.map((id) => [id, []]));
  for (const e of edges) {
    indeg.set(e.to, (indeg.get(e.to) ?? 0) + 1);
    next.get(e.from)?.push(e.to);
  }
  const queue = nodeIds.filter((id) => indeg.get(id) === 0);
  const out: string[] = [];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    out.push(id);
    for (const to of next.get(id) ?? []) {
      const d = (indeg.get(to) ?? 0) - 1;
      indeg.set(to, d);
      if (d === 0) queue.push(to);
    }
  }
  if (out.length !== nodeIds.length) throw new Error(`cycle through node "${nodeOnCycle(nodeIds, out, edges)}"`);
  return out;
}

/** Every node left after Kahn's algorithm has a predecessor that is also left; walking predecessors must close a cycle. */
function nodeOnCycle(nodeIds: readonly string[], ordered: readonly string[], edges: readonly GraphEdge[]): string {
  const done = new Set(ordered);
  const left = nodeIds.filter((id) => !done.has(id));
  const seen = new Set<string>();
  let cur = left[0];
  while (!seen.has(cur)) {
    seen.add(cur);
    cur = edges.find((e) => e.to === cur && !done.has(e.from))?.from ?? cur;
  }
  return cur;
}

const isSettled = (s: StepView | undefined): boolean =>
  s !== undefined && (s.status === 'succeeded' || s.status === 'skipped' || s.status === 'failed' || s.status === 'canceled');

/** Decide the next moves. `steps` holds committed steps; `now` decides which parked steps are due. */
export function plan(base: Graph, steps: ReadonlyMap<string, StepView>, now: number): Plan {
  const graph = base.loops ? expandLoops(base, steps) : base;
  const limits = graph.expanded?.limits;
  const busy = new Map<string, number>();
  if (limits) {
    for (const id of graph.order) {
      const s = steps.get(id);
      const limit = limits.get(id);
      if (limit !== undefined && s && (s.status === 'retrying' || s.status === 'waiting')) busy.set(baseId(id), (busy.get(baseId(id)) ?? 0) + 1);
    }
  }
  /** A copy after a split runs only while fewer than its node's concurrency are busy. */
  const admit = (id: string): boolean => {
    const limit = limits?.get(id);
    if (limit === undefined) return true;
    const b = baseId(id);
    const n = busy.get(b) ?? 0;
    if (n >= limit) return false;
    busy.set(b, n + 1);
    return true;
  };
  const view = new Map(steps);
  const ready: ReadyNode[] = [];
  const skipped: string[] = [];
  let nextDueAt: number | undefined;
  let failedNodeId: string | undefined;
  let unsettled = 0;
  for (const id of graph.order) {
    const s = view.get(id);
    if (s?.status === 'failed' && s.port !== 'error' && !graph.expanded?.tolerated.has(id)) failedNodeId ??= id;
    if (isSettled(s)) continue;
    unsettled++;
    if (s && (s.status === 'retrying' || s.status === 'waiting')) {
      const due = s.dueAt ?? 0;
      if (due <= now) ready.push({ nodeId: id, input: inputFor(graph, view, id) }); // already counted as busy: it was started
      else nextDueAt = nextDueAt === undefined ? due : Math.min(nextDueAt, due);
      continue;
    }
    const decision = decide(graph, view, id);
    if (decision === 'blocked') continue;
    if (decision === 'skip') {
      view.set(id, { status: 'skipped' });
      skipped.push(id);
      unsettled--;
      continue;
    }
    if (!admit(id)) continue;
    ready.push({ nodeId: id, input: decision.input });
  }
  const out: Plan = { ready, skipped, nextDueAt, failedNodeId, done: unsettled === 0 };
  if (graph !== base) out.graph = graph;
  return out;
}

function decide(graph: Graph, view: ReadonlyMap<string, StepView>, id: string): 'blocked' | 'skip' | { input: unknown } {
  if (id === graph.triggerId) return { input: undefined };
  const inc = graph.incoming.get(id) ?? [];
  if (inc.length === 0) return 'skip';
  const join = graph.joins?.get(id);
  if (join === 'first') {
    // Runs as soon as one incoming node arrived; skipped only when every one settled without reaching it.
    const taken = inc.filter((e) => isTaken(view.get(e.from), e));
    if (taken.length > 0) return { input: inputFrom(graph, view, id, [taken[0]], true) };
    return inc.every((e) => isSettled(view.get(e.from))) ? 'skip' : 'blocked';
  }
  for (const e of inc) if (!isSettled(view.get(e.from))) return 'blocked';
  const taken = inc.filter((e) => isTaken(view.get(e.from), e));
  if (taken.length === 0) return 'skip';
  return { input: inputFrom(graph, view, id, taken, join !== undefined) };
}

/**
 * Why none of a node's incoming edges was taken, traced to the node that chose another way: a skipped upstream
 * passes its own reason on, so everything after `check` says "not reached: check took `invalid`". Call it in
 * topological order (as `plan` lists `skipped`), with each skipped upstream's reason already in `view`.
 */
export function skipReason(graph: Graph, view: ReadonlyMap<string, StepView>, id: string): string {
  const inc = graph.incoming.get(id) ?? [];
  if (inc.length === 0) return 'not reached: nothing leads to this node';
  for (const e of inc) {
    const s = view.get(e.from);
    if (s?.status === 'succeeded' || (s?.status === 'failed' && s.port === 'error')) return `not reached: ${e.from} took \`${s.port ?? DEFAULT_PORT}\``;
  }
  for (const e of inc) {
    const r = view.get(e.from)?.reason;
    if (r) return r;
  }
  return `not reached: ${inc[0].from} did not run`;
}

const isTaken = (s: StepView | undefined, e: GraphEdge): boolean => {
  if (s === undefined || !(s.status === 'succeeded' || (s.status === 'failed' && s.port === 'error'))) return false;
  const port = e.fromPort ?? DEFAULT_PORT;
  return s.port === port || (s.ports?.includes(port) ?? false);
};

function inputFor(graph: Graph, view: ReadonlyMap<string, StepView>, id: string): unknown {
  if (id === graph.triggerId) return undefined;
  const taken = (graph.incoming.get(id) ?? []).filter((e) => isTaken(view.get(e.from), e));
  const join = graph.joins?.get(id);
  return inputFrom(graph, view, id, join === 'first' ? taken.slice(0, 1) : taken, join !== undefined);
}

/** One taken edge: the upstream output. Several (or a join node): an object keyed by upstream node id. A gather: its items. */
function inputFrom(graph: Graph, view: ReadonlyMap<string, StepView>, id: string, taken: readonly GraphEdge[], keyed: boolean): unknown {
  const gather = graph.expanded?.gathers.get(id);
  if (gather) return { items: itemResults(view, gather.loop, gather.count, gather.feeders) };
  const sources = [...new Set(taken.map((e) => e.from))];
  if (sources.length === 1 && !keyed) {
    const e = taken[0];
    const out = view.get(e.from)?.output;
    return e.item === undefined ? out : (out as unknown[])[e.item];
  }
  const out: Record<string, unknown> = {};
  for (const src of sources) out[src] = view.get(src)?.output;
  return out;
}

/** Which incoming nodes of a join node arrived, were skipped, or arrived after a `first` join had run (ignored). */
export function joinRecord(graph: Graph, view: ReadonlyMap<string, StepView>, id: string, arrived?: readonly string[]): { arrived: string[]; skipped: string[]; ignored?: string[] } {
  const inc = graph.incoming.get(id) ?? [];
  const taken = [...new Set(inc.filter((e) => isTaken(view.get(e.from), e)).map((e) => e.from))];
  const settled = [...new Set(inc.filter((e) => isSettled(view.get(e.from))).map((e) => e.from))];
  const skipped = settled.filter((s) => !taken.includes(s));
  if (graph.joins?.get(id) !== 'first') return { arrived: taken, skipped };
  const first = arrived ?? taken.slice(0, 1);
  return { arrived: [...first], skipped, ignored: taken.filter((t) => !first.includes(t)) };
}

/** Per item: the output that reached the gather node, or the item's failure, or that it went elsewhere (skipped). */
function itemResults(view: ReadonlyMap<string, StepView>, loop: LoopSpec, count: number, feeders: readonly GraphEdge[]): ItemResult[] {
  const out: ItemResult[] = [];
  for (let i = 0; i < count; i++) {
    const hit = feeders.map((e) => view.get(copyId(e.from, i)) && isTaken(view.get(copyId(e.from, i)), e) ? view.get(copyId(e.from, i)) : undefined).find((s) => s !== undefined);
    if (hit) { out.push({ index: i, status: 'succeeded', output: hit.output }); continue; }
    const failedAt = loop.region.find((r) => { const s = view.get(copyId(r, i)); return s?.status === 'failed' && s.port !== 'error'; });
    const f = failedAt === undefined ? undefined : view.get(copyId(failedAt, i));
    out.push(f && failedAt ? { index: i, status: 'failed', error: { code: f.error?.code ?? 'node_failed', message: f.error?.message ?? 'node failed', nodeId: failedAt } } : { index: i, status: 'skipped' });
  }
  return out;
}

/** Whether a node's port has at least one outgoing edge. */
export const isPortConnected = (graph: Graph, nodeId: string, port: string): boolean =>
  (graph.outgoing.get(nodeId) ?? []).some((e) => (e.fromPort ?? DEFAULT_PORT) === port);
