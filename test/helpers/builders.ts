/** Test builders: a fluent `aFlow()` that assembles a flow input document (DESIGN §3) for unit and API tests. */
import type { FlowEdgeDoc, FlowInput, FlowNodeDoc } from '../../server/flows/flow-doc.js';

/** Optional node fields besides id, type and params. */
export type NodeExtras = Partial<Pick<FlowNodeDoc, 'name' | 'position' | 'retry' | 'timeoutMs' | 'disabled' | 'pinnedInput'>>;

export interface FlowBuilder {
  /** The flow's name. @default 'test flow' */
  named(name: string): FlowBuilder;
  /** Add a `webhook` trigger node. */
  trigger(id: string, params?: Record<string, unknown>, extras?: NodeExtras): FlowBuilder;
  /** Add a node of any type. */
  node(id: string, type: string, params?: Record<string, unknown>, extras?: NodeExtras): FlowBuilder;
  /** Connect `from` to `to`; `fromPort` is omitted from the edge when not given (the `out` port). */
  edge(from: string, to: string, fromPort?: string): FlowBuilder;
  /** Connect the ids in order: `chain('a', 'b', 'c')` = a→b, b→c, all on `out`. */
  chain(...ids: string[]): FlowBuilder;
  /** A fresh document; the builder may keep being used afterwards. */
  build(): FlowInput;
}

/**
 * @example aFlow().trigger('hook').node('calc', 'transform', { code: 'return 1' }).edge('hook', 'calc').build()
 */
export function aFlow(name = 'test flow'): FlowBuilder {
  let flowName = name;
  const nodes: FlowNodeDoc[] = [];
  const edges: FlowEdgeDoc[] = [];
  const builder: FlowBuilder = {
    named(n) {
      flowName = n;
      return builder;
    },
    trigger(id, params = {}, extras = {}) {
      return builder.node(id, 'webhook', params, extras);
    },
    node(id, type, params = {}, extras = {}) {
      nodes.push({ id, type, params, ...extras });
      return builder;
    },
    edge(from, to, fromPort) {
      edges.push(fromPort === undefined ? { from, to } : { from, fromPort, to });
      return builder;
    },
    chain(...ids) {
      for (let i = 1; i < ids.length; i++) builder.edge(ids[i - 1], ids[i]);
      return builder;
    },
    build: () => structuredClone({ name: flowName, nodes, edges }),
  };
  return builder;
}
