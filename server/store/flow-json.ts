/** The stored flow document (the `doc` column of flows and flow_versions): the same JSON on both stores. */
import type { Flow, FlowInput } from '../flows/flow-doc.js';

export type DocParts = Pick<Flow, 'nodes' | 'edges' | 'notes' | 'settings'>;

/** Notes and settings are kept only when there are some, so documents without them read back as before. */
const extras = (d: Partial<DocParts>): Pick<Flow, 'notes' | 'settings'> => ({
  ...(d.notes?.length ? { notes: d.notes } : {}),
  ...(d.settings && Object.keys(d.settings).length > 0 ? { settings: d.settings } : {}),
});

export const docOf = (input: FlowInput): string => JSON.stringify({ nodes: input.nodes, edges: input.edges, ...extras(input) });

export function partsOf(text: string): DocParts {
  const d = JSON.parse(text) as DocParts;
  return { nodes: d.nodes, edges: d.edges, ...extras(d) };
}
