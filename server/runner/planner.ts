/** Pure planner: from a flow graph and the committed steps, which nodes are ready, skipped, waiting or done. No I/O. */

export interface GraphEdge {
  from: string;
  fromPort?: string;
  to: string;
}

export interface Graph {
  triggerId: string;
  /** Node ids in topological order (trigger first). */
  order: readonly string[];
  /** Incoming edges by target node id. */
  incoming: ReadonlyMap<string, readonly GraphEdge[]>;
  /** Outgoing edges by source node id. */
  outgoing: ReadonlyMap<string, readonly GraphEdge[]>;
}

/** `canceled`: a parked step (retrying, waiting) that will never run because its execution ended. */
export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'retrying' | 'waiting' | 'canceled';

export interface StepView {
  status: StepStatus;
  /** The port emitted on when succeeded (`error` when a failure was routed there). */
  port?: string;
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
}

const DEFAULT_PORT = 'out';

/** Build the graph once per flow version. Throws on cycles (save-time validation rejects them first). */
export function buildGraph(nodeIds: readonly string[], edges: readonly GraphEdge[], triggerId: string): Graph {
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
  return { triggerId, order: topoOrder(nodeIds, edges), incoming, outgoing };
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
export function plan(graph: Graph, steps: ReadonlyMap<string, StepView>, now: number): Plan {
  const view = new Map(steps);
  const ready: ReadyNode[] = [];
  const skipped: string[] = [];
  let nextDueAt: number | undefined;
  let failedNodeId: string | undefined;
  let unsettled = 0;
  for (const id of graph.order) {
    const s = view.get(id);
    if (s?.status === 'failed' && s.port !== 'error') failedNodeId ??= id;
    if (isSettled(s)) continue;
    unsettled++;
    if (s && (s.status === 'retrying' || s.status === 'waiting')) {
      const due = s.dueAt ?? 0;
      if (due <= now) ready.push({ nodeId: id, input: inputFor(graph, view, id) });
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
    ready.push({ nodeId: id, input: decision.input });
  }
  return { ready, skipped, nextDueAt, failedNodeId, done: unsettled === 0 };
}

function decide(graph: Graph, view: ReadonlyMap<string, StepView>, id: string): 'blocked' | 'skip' | { input: unknown } {
  if (id === graph.triggerId) return { input: undefined };
  const inc = graph.incoming.get(id) ?? [];
  if (inc.length === 0) return 'skip';
  for (const e of inc) if (!isSettled(view.get(e.from))) return 'blocked';
  const taken = inc.filter((e) => isTaken(view.get(e.from), e));
  if (taken.length === 0) return 'skip';
  return { input: inputFrom(view, taken) };
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

const isTaken = (s: StepView | undefined, e: GraphEdge): boolean =>
  s !== undefined &&
  (s.status === 'succeeded' || (s.status === 'failed' && s.port === 'error')) &&
  s.port === (e.fromPort ?? DEFAULT_PORT);

function inputFor(graph: Graph, view: ReadonlyMap<string, StepView>, id: string): unknown {
  if (id === graph.triggerId) return undefined;
  const taken = (graph.incoming.get(id) ?? []).filter((e) => isTaken(view.get(e.from), e));
  return inputFrom(view, taken);
}

/** One taken edge: the upstream output. Several: an object keyed by upstream node id. */
function inputFrom(view: ReadonlyMap<string, StepView>, taken: readonly GraphEdge[]): unknown {
  const sources = [...new Set(taken.map((e) => e.from))];
  if (sources.length === 1) return view.get(sources[0])?.output;
  const out: Record<string, unknown> = {};
  for (const src of sources) out[src] = view.get(src)?.output;
  return out;
}

/** Whether a node's port has at least one outgoing edge. */
export const isPortConnected = (graph: Graph, nodeId: string, port: string): boolean =>
  (graph.outgoing.get(nodeId) ?? []).some((e) => (e.fromPort ?? DEFAULT_PORT) === port);
