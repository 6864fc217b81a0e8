/** PURE: undo/redo history, auto-layout and copy/paste of canvas nodes and edges. */
import { newNodeId, type EditorEdge, type EditorNode } from './flow-doc.js';
import type { NoteNode } from './note-doc.js';
import { layoutPositions, sizeOf } from './placement.js';

export interface Snapshot { nodes: EditorNode[]; edges: EditorEdge[]; notes: NoteNode[] }
export interface History { past: Snapshot[]; future: Snapshot[] }

export const HISTORY_LIMIT = 100;
export const emptyHistory = (): History => ({ past: [], future: [] });

/** Remember `before` as the state to go back to; a new edit clears what could be redone. */
export const record = (h: History, before: Snapshot): History => ({ past: [...h.past, before].slice(-HISTORY_LIMIT), future: [] });

/** Step back from `current`; undefined when there is nothing to undo. */
export function undo(h: History, current: Snapshot): { history: History; state: Snapshot } | undefined {
  const prev = h.past.at(-1);
  if (!prev) return undefined;
  return { history: { past: h.past.slice(0, -1), future: [current, ...h.future] }, state: prev };
}

/** Step forward again; undefined when there is nothing to redo. */
export function redo(h: History, current: Snapshot): { history: History; state: Snapshot } | undefined {
  const next = h.future[0];
  if (!next) return undefined;
  return { history: { past: [...h.past, current], future: h.future.slice(1) }, state: next };
}

/** Left-to-right layers by longest path from the sources, spaced by each card's real size (measured, else from its ports). */
export function autoLayout(nodes: readonly EditorNode[], edges: readonly EditorEdge[], portsOf: (n: EditorNode) => number = () => 2): EditorNode[] {
  const at = layoutPositions(nodes, edges, (n) => sizeOf(n, portsOf(n as EditorNode)));
  return nodes.map((n) => ({ ...n, position: at.get(n.id) ?? n.position }));
}

/** The selected nodes and the edges between them. */
export function copySelection(nodes: readonly EditorNode[], edges: readonly EditorEdge[]): Snapshot {
  const picked = nodes.filter((n) => n.selected);
  const ids = new Set(picked.map((n) => n.id));
  return { nodes: picked, edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)), notes: [] };
}

/** Copies of the clipboard's nodes with fresh ids, offset and selected, with their inner edges renamed. */
export function pasteClip(clip: Snapshot, existing: readonly EditorNode[], offset = 40): Snapshot {
  const taken: { id: string }[] = [...existing];
  const rename = new Map<string, string>();
  const nodes = clip.nodes.map((n) => {
    const id = newNodeId(n.data.nodeType, taken);
    taken.push({ id });
    rename.set(n.id, id);
    return { ...n, id, selected: true, position: { x: n.position.x + offset, y: n.position.y + offset }, data: { ...n.data, status: undefined, runError: undefined, runNote: undefined, problems: undefined } };
  });
  const edges = clip.edges.map((e) => {
    const source = rename.get(e.source) ?? e.source;
    const target = rename.get(e.target) ?? e.target;
    return { ...e, id: `${source}:${e.sourceHandle ?? 'out'}->${target}`, source, target, selected: false };
  });
  return { nodes, edges, notes: [] };
}
