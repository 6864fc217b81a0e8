/** PURE: the rules the canvas applies while drawing: one trigger, nothing into the trigger, no self-loop, no cycle. */

export interface RuleNode { id: string; nodeType: string; label: string }
export interface RuleEdge { source: string; target: string; sourceHandle?: string | null }

/** True when `to` can be reached from `from` by following edges forward. */
export function reaches(from: string, to: string, edges: readonly RuleEdge[]): boolean {
  const seen = new Set<string>([from]);
  for (let queue = [from]; queue.length > 0;) {
    const next: string[] = [];
    for (const id of queue) {
      if (id === to) return true;
      for (const e of edges) if (e.source === id && !seen.has(e.target)) { seen.add(e.target); next.push(e.target); }
    }
    queue = next;
  }
  return false;
}

/** Why a new edge `source → target` may not be drawn, in a short sentence; undefined when it may. */
export function connectionProblem(
  source: string, target: string, port: string, nodes: readonly RuleNode[], edges: readonly RuleEdge[], isTrigger: (type: string) => boolean,
): string | undefined {
  const to = nodes.find((n) => n.id === target);
  const from = nodes.find((n) => n.id === source);
  if (!to || !from) return 'Connect two nodes of this flow.';
  if (source === target) return `${from.label} cannot connect to itself.`;
  if (isTrigger(to.nodeType)) return `${to.label} starts the flow: nothing can connect into it.`;
  if (edges.some((e) => e.source === source && e.target === target && (e.sourceHandle ?? 'out') === port)) return 'These two nodes are already connected that way.';
  if (reaches(target, source, edges)) return `That would make a loop: ${to.label} already leads to ${from.label}.`;
  return undefined;
}

/** Why a node of `type` may not be added (a second trigger); undefined when it may. */
export function addProblem(type: string, nodes: readonly RuleNode[], isTrigger: (type: string) => boolean): string | undefined {
  if (!isTrigger(type)) return undefined;
  const existing = nodes.find((n) => isTrigger(n.nodeType));
  return existing ? `A flow has one trigger, and this one starts with ${existing.label}.` : undefined;
}
