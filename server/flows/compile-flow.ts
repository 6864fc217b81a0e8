/** Turn a stored flow version into what the runner needs: graph, node types and effective retry policies. */
import type { NodeType, RetryPolicy } from '../../nodes/contract.js';
import type { NodeRegistry } from '../../nodes/registry.js';
import { buildGraph, type Graph, type LoopSpec } from '../runner/planner.js';
import { findLoops } from '../runner/items.js';
import type { Flow, FlowNodeDoc } from './flow-doc.js';

export interface CompiledNode {
  doc: FlowNodeDoc;
  type: NodeType;
  policy: RetryPolicy;
  timeoutMs: number;
}

export interface CompiledFlow {
  flow: Flow;
  graph: Graph;
  nodes: ReadonlyMap<string, CompiledNode>;
  trigger: CompiledNode;
}

export function compileFlow(flow: Flow, registry: NodeRegistry): CompiledFlow {
  const nodes = new Map<string, CompiledNode>();
  let trigger: CompiledNode | undefined;
  for (const doc of flow.nodes) {
    const type = registry.get(doc.type);
    if (!type) throw new Error(`flow ${flow.id} v${flow.version}: unknown node type "${doc.type}"`);
    const c: CompiledNode = { doc, type, policy: { ...type.retry, ...doc.retry }, timeoutMs: doc.timeoutMs ?? type.timeoutMs };
    nodes.set(doc.id, c);
    if (type.category === 'trigger') trigger = c;
  }
  if (!trigger) throw new Error(`flow ${flow.id} v${flow.version}: no trigger node`);
  const joins = new Map<string, 'all' | 'first'>();
  for (const [id, c] of nodes) if (c.type.join) joins.set(id, c.type.join(c.doc.params as never));
  const base = buildGraph(flow.nodes.map((n) => n.id), flow.edges, trigger.doc.id);
  const { loops } = findLoops(loopNodes(flow.nodes, registry), flow.edges);
  for (const [id, l] of loops) loops.set(id, { ...l, region: base.order.filter((n) => l.region.includes(n)) } satisfies LoopSpec);
  const graph = buildGraph(flow.nodes.map((n) => n.id), flow.edges, trigger.doc.id, { joins, loops });
  return { flow, graph, nodes, trigger };
}

/** What `findLoops` needs of each node: whether it splits or gathers, with its concurrency or failure handling. */
export function loopNodes(docs: readonly FlowNodeDoc[], registry: NodeRegistry) {
  return docs.map((d) => {
    const l = registry.get(d.type)?.loop?.(d.params as never);
    return l === undefined ? { id: d.id }
      : l.kind === 'split' ? { id: d.id, loop: 'split' as const, concurrency: l.concurrency }
      : { id: d.id, loop: 'gather' as const, failures: l.failures };
  });
}

/** Compiled flows by `flowId:version`; versions are immutable, so entries never go stale. Bounded. */
export function createFlowCache(load: (flowId: string, version: number) => Promise<Flow | undefined>, registry: NodeRegistry, max = 1000) {
  const cache = new Map<string, CompiledFlow>();
  return {
    async get(flowId: string, version: number): Promise<CompiledFlow | undefined> {
      const key = `${flowId}:${version}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const flow = await load(flowId, version);
      if (!flow) return undefined;
      const compiled = compileFlow(flow, registry);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(key, compiled);
      return compiled;
    },
    put(c: CompiledFlow): void {
      cache.set(`${c.flow.id}:${c.flow.version}`, c);
    },
  };
}
export type FlowCache = ReturnType<typeof createFlowCache>;
