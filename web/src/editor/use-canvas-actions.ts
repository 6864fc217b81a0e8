/** Canvas edits beyond xyflow's own: add (placed without overlap, or on an edge), duplicate, delete, disable, and sticky notes. */
import { useCallback, type RefObject } from 'react';
import { DEFAULT_PORT, TARGET_HANDLE, newNodeId, type EditorEdge, type EditorNode } from './flow-doc';
import type { Snapshot } from './canvas-ops';
import { NOTE_SIZE, newNoteId, type NoteNode } from './note-doc';
import { CARD_WIDTH, GAP, cardHeight, placeRightOf, sizeOf, type Box } from './placement';
import { refocusCanvas } from './refocus';

/** What the canvas needs to know of the catalogue, and how it tells the user why it refused an edit. */
export interface CanvasRules {
  connectionProblem(source: string, target: string, port: string, s: Snapshot): string | undefined;
  addProblem(type: string, s: Snapshot): string | undefined;
  say(message: string): void;
  defaultsOf(type: string): Record<string, unknown>;
  /** Ports of a type, `error` included. */
  /** A node's ports; from its params for types whose ports depend on them (a switch). */
  portsOf(type: string, params?: Record<string, unknown>): string[];
}

type SetList<T> = (f: (xs: T[]) => T[]) => void;
interface Deps {
  latest: RefObject<Snapshot>;
  rules: RefObject<CanvasRules>;
  checkpoint(key?: string): void;
  setNodes: SetList<EditorNode>;
  setEdges: SetList<EditorEdge>;
  setNotes: SetList<NoteNode>;
  setDirty(d: boolean): void;
}

/** Ids reachable from `id` by following edges forward. */
function downstreamOf(id: string, edges: readonly EditorEdge[]): string[] {
  const seen = new Set<string>([id]);
  for (let queue = [id]; queue.length;) {
    const next = edges.filter((e) => queue.includes(e.source) && !seen.has(e.target)).map((e) => e.target);
    for (const n of next) seen.add(n);
    queue = next;
  }
  seen.delete(id);
  return [...seen];
}

const boxOf = (n: EditorNode | NoteNode, ports: number): Box => ({ ...n.position, ...sizeOf(n, ports) });
const edgeOf = (source: string, port: string, target: string): EditorEdge =>
  ({ id: `${source}:${port}->${target}`, source, sourceHandle: port, target, targetHandle: TARGET_HANDLE });

export function useCanvasActions({ latest, rules, checkpoint, setNodes, setEdges, setNotes, setDirty }: Deps) {
  const boxes = useCallback((): Box[] => {
    const { nodes, notes } = latest.current;
    return [...nodes.map((n) => boxOf(n, rules.current.portsOf(n.data.nodeType, n.data.params).length)), ...notes.map((n) => boxOf(n, 0))];
  }, [latest, rules]);

  /**
   * Adds a node of `type` with its type's defaults, selected. Where: `at` (a drop point), else right of the
   * selected node (or the last one) without covering anything. Returns the new id, or undefined when refused.
   */
  const addNode = useCallback((type: string, at?: { x: number; y: number }): string | undefined => {
    const s = latest.current;
    const refused = rules.current.addProblem(type, s);
    if (refused) { rules.current.say(refused); return undefined; }
    const size = { width: CARD_WIDTH, height: cardHeight(rules.current.portsOf(type).length) };
    const anchor = s.nodes.find((n) => n.selected) ?? s.nodes.at(-1);
    const position = at ?? placeRightOf(anchor && boxOf(anchor, rules.current.portsOf(anchor.data.nodeType, anchor.data.params).length), boxes(), size);
    const id = newNodeId(type, s.nodes);
    const node: EditorNode = { id, type: 'hookflow', position, data: { nodeType: type, params: structuredClone(rules.current.defaultsOf(type)) }, selected: true };
    checkpoint();
    setNodes((ns) => [...ns.map((n) => ({ ...n, selected: false })), node]);
    setDirty(true);
    return id;
  }, [latest, rules, boxes, checkpoint, setNodes, setDirty]);

  /** Adds a node on an existing edge: `a → b` becomes `a → new → b` (the new node's first port continues). */
  const insertOnEdge = useCallback((type: string, edgeId: string, at: { x: number; y: number }): string | undefined => {
    const edge = latest.current.edges.find((e) => e.id === edgeId);
    if (!edge) return addNode(type, at);
    const ports = rules.current.portsOf(type).filter((p) => p !== 'error');
    if (rules.current.addProblem(type, latest.current) || ports.length === 0) return addNode(type, at);
    const id = addNode(type, at);
    if (!id) return undefined;
    const port = edge.sourceHandle ?? DEFAULT_PORT;
    // Make room: the edge's target and everything after it move right, clear of the new card.
    const target = latest.current.nodes.find((n) => n.id === edge.target);
    const dx = target ? at.x + CARD_WIDTH + GAP.x - target.position.x : 0;
    if (dx > 0) {
      const moving = new Set([edge.target, ...downstreamOf(edge.target, latest.current.edges)]);
      setNodes((ns) => ns.map((n) => (moving.has(n.id) ? { ...n, position: { x: n.position.x + dx, y: n.position.y } } : n)));
    }
    setEdges((es) => [...es.filter((e) => e.id !== edgeId), edgeOf(edge.source, port, id), edgeOf(id, ports[0] ?? DEFAULT_PORT, edge.target)]);
    return id;
  }, [latest, rules, addNode, setEdges, setNodes]);

  const duplicate = useCallback((id: string): string | undefined => {
    const n = latest.current.nodes.find((x) => x.id === id);
    if (!n) return undefined;
    const added = addNode(n.data.nodeType);
    if (added) setNodes((ns) => ns.map((x) => (x.id === added ? { ...x, data: { ...structuredClone(n.data), status: undefined, runError: undefined, runNote: undefined, problems: undefined } } : x)));
    return added;
  }, [latest, addNode, setNodes]);

  const remove = useCallback((ids: readonly string[]) => {
    checkpoint();
    const gone = new Set(ids);
    setNodes((ns) => ns.filter((n) => !gone.has(n.id)));
    setNotes((ns) => ns.filter((n) => !gone.has(n.id)));
    setEdges((es) => es.filter((e) => !gone.has(e.source) && !gone.has(e.target)));
    setDirty(true);
    refocusCanvas();
  }, [checkpoint, setNodes, setNotes, setEdges, setDirty]);

  const toggleDisabled = useCallback((id: string) => {
    checkpoint();
    setNodes((ns) => ns.map((n) => (n.id === id ? { ...n, data: { ...n.data, disabled: n.data.disabled ? undefined : true } } : n)));
    setDirty(true);
  }, [checkpoint, setNodes, setDirty]);

  const addNote = useCallback((at?: { x: number; y: number }, text = ''): string => {
    const s = latest.current;
    const anchor = s.nodes.find((n) => n.selected) ?? s.nodes.at(-1);
    const position = at ?? (anchor ? { x: anchor.position.x, y: anchor.position.y - NOTE_SIZE.height - 24 } : { x: 40, y: 0 });
    const id = newNoteId([...s.nodes, ...s.notes]);
    checkpoint();
    setNotes((ns) => [...ns, { id, type: 'note', position, data: { text }, zIndex: -1, style: { ...NOTE_SIZE } }]);
    setDirty(true);
    return id;
  }, [latest, checkpoint, setNotes, setDirty]);

  const updateNote = useCallback((id: string, text: string) => {
    checkpoint(`note:${id}`);
    setNotes((ns) => ns.map((n) => (n.id === id ? { ...n, data: { text } } : n)));
    setDirty(true);
  }, [checkpoint, setNotes, setDirty]);

  return { addNode, insertOnEdge, duplicate, remove, toggleDisabled, addNote, updateNote };
}
