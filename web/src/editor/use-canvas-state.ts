/** The canvas's nodes, edges and sticky notes with xyflow's change handlers, undo history, and whether they differ from the saved flow. */
import { useCallback, useRef, useState } from 'react';
import { addEdge, applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange } from '@xyflow/react';
import { DEFAULT_PORT, TARGET_HANDLE, type EditorEdge, type EditorNode, type FlowNodeData } from './flow-doc';
import type { Snapshot } from './canvas-ops';
import type { NoteNode } from './note-doc';
import { useCanvasHistory } from './use-canvas-history';
import { useCanvasActions, type CanvasRules } from './use-canvas-actions';
import { refocusCanvas } from './refocus';

/** Changes that only reflect the view (selection, measured size) and do not make the flow unsaved. */
const viewOnly = (c: NodeChange | EdgeChange) => c.type === 'select' || c.type === 'dimensions';

type SetList<T> = (f: (xs: T[]) => T[]) => void;

/** xyflow's change handlers: an undo checkpoint before a drag starts or anything is removed; view-only changes stay clean. */
function useChangeHandlers({ setNodes, setEdges, setNotes, setDirty, checkpoint, noteIds }: {
  setNodes: SetList<EditorNode>; setEdges: SetList<EditorEdge>; setNotes: SetList<NoteNode>; setDirty(d: boolean): void;
  checkpoint(key?: string): void; noteIds: { current: Set<string> };
}) {
  const dragging = useRef(false);
  const onNodesChange = useCallback((all: NodeChange<EditorNode | NoteNode>[]) => {
    const isNote = (c: NodeChange<EditorNode | NoteNode>) => 'id' in c && noteIds.current.has(c.id);
    const changes = all.filter((c) => !isNote(c)) as NodeChange<EditorNode>[];
    const noteChanges = all.filter(isNote) as NodeChange<NoteNode>[];
    const drag = all.find((c) => c.type === 'position');
    const startsDrag = drag?.type === 'position' && drag.dragging === true && !dragging.current;
    if (drag?.type === 'position') dragging.current = drag.dragging === true;
    const removes = all.some((c) => c.type === 'remove');
    // One undo step per delete: xyflow removes a node's edges in a second change, after the node.
    if (startsDrag) checkpoint();
    if (removes) checkpoint('delete');
    if (changes.length) setNodes((ns) => applyNodeChanges(changes, ns));
    if (noteChanges.length) setNotes((ns) => applyNodeChanges(noteChanges, ns));
    if (all.some((c) => !viewOnly(c))) setDirty(true);
    if (removes) refocusCanvas();
  }, [checkpoint, setNodes, setNotes, setDirty, noteIds]);
  const onEdgesChange = useCallback((changes: EdgeChange<EditorEdge>[]) => {
    if (changes.some((c) => c.type === 'remove')) checkpoint('delete');
    setEdges((es) => applyEdgeChanges(changes, es));
    if (changes.some((c) => !viewOnly(c))) setDirty(true);
  }, [checkpoint, setEdges, setDirty]);
  return { onNodesChange, onEdgesChange };
}

export function useCanvasState(rules: CanvasRules) {
  const [nodes, setNodes] = useState<EditorNode[]>([]);
  const [edges, setEdges] = useState<EditorEdge[]>([]);
  const [notes, setNotes] = useState<NoteNode[]>([]);
  const [dirty, setDirty] = useState(false);
  const latest = useRef<Snapshot>({ nodes, edges, notes });
  latest.current = { nodes, edges, notes };
  const noteIds = useRef(new Set<string>());
  noteIds.current = new Set(notes.map((n) => n.id));
  const history = useCanvasHistory({ latest, setNodes, setEdges, setNotes, setDirty });
  const { checkpoint } = history;
  const { onNodesChange, onEdgesChange } = useChangeHandlers({ setNodes, setEdges, setNotes, setDirty, checkpoint, noteIds });
  const rulesRef = useRef(rules);
  rulesRef.current = rules;
  const onConnect = useCallback((c: Connection) => {
    const port = c.sourceHandle ?? DEFAULT_PORT;
    const refused = rulesRef.current.connectionProblem(c.source, c.target, port, latest.current);
    if (refused) { rulesRef.current.say(refused); return; }
    checkpoint();
    setEdges((es) => addEdge({ ...c, sourceHandle: port, targetHandle: TARGET_HANDLE, id: `${c.source}:${port}->${c.target}` }, es));
    setDirty(true);
  }, [checkpoint]);
  const updateNode = useCallback((id: string, patch: Partial<FlowNodeData>) => {
    checkpoint(`edit:${id}:${Object.keys(patch).join(',')}`);
    setNodes((ns) => ns.map((n) => (n.id === id ? { ...n, data: { ...n.data, ...patch } } : n)));
    // Ports that come from params (a switch's cases): an edge leaves with its port; edges keep their case by id otherwise.
    const node = latest.current.nodes.find((n) => n.id === id);
    if (patch.params && node) {
      const ports = new Set(rulesRef.current.portsOf(node.data.nodeType, patch.params));
      setEdges((es) => es.filter((e) => e.source !== id || ports.has(e.sourceHandle ?? DEFAULT_PORT)));
    }
    setDirty(true);
  }, [checkpoint]);
  const actions = useCanvasActions({ latest, rules: rulesRef, checkpoint, setNodes, setEdges, setNotes, setDirty });
  return {
    nodes, setNodes, edges, setEdges, notes, setNotes, dirty, setDirty, onNodesChange, onEdgesChange, onConnect, updateNode, history, ...actions,
  };
}
