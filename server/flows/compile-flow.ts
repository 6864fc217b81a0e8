/** Turn a stored flow version into what the runner needs: graph, node types and effective retry policies. */
import type { NodeType, RetryPolicy } from '../../nodes/contract.js';
import type { NodeRegistry } from '../../nodes/registry.js';
import { buildGraph, type Graph } from '../runner/planner.js';
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
  const graph = buildGraph(flow.nodes.map((n) => n.id), flow.edges, trigger.doc.id);
  return { flow, graph, nodes, trigger };
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
