/** The canvas's nodes and edges with xyflow's change handlers, undo history, and whether they differ from the saved flow. */
import { useCallback, useRef, useState } from 'react';
import { addEdge, applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange } from '@xyflow/react';
import { DEFAULT_PORT, TARGET_HANDLE, newNodeId, type EditorEdge, type EditorNode, type FlowNodeData } from './flow-doc';
import type { Snapshot } from './canvas-ops';
import { useCanvasHistory } from './use-canvas-history';

/** Changes that only reflect the view (selection, measured size) and do not make the flow unsaved. */
const viewOnly = (c: NodeChange | EdgeChange) => c.type === 'select' || c.type === 'dimensions';

type SetList<T> = (f: (xs: T[]) => T[]) => void;

/** xyflow's change handlers: an undo checkpoint before a drag starts or anything is removed; view-only changes stay clean. */
function useChangeHandlers({ setNodes, setEdges, setDirty, checkpoint }: {
  setNodes: SetList<EditorNode>; setEdges: SetList<EditorEdge>; setDirty(d: boolean): void; checkpoint(key?: string): void;
}) {
  const dragging = useRef(false);
  const onNodesChange = useCallback((changes: NodeChange<EditorNode>[]) => {
    const drag = changes.find((c) => c.type === 'position');
    const startsDrag = drag?.type === 'position' && drag.dragging === true && !dragging.current;
    if (drag?.type === 'position') dragging.current = drag.dragging === true;
    if (startsDrag || changes.some((c) => c.type === 'remove')) checkpoint();
    setNodes((ns) => applyNodeChanges(changes, ns));
    if (changes.some((c) => !viewOnly(c))) setDirty(true);
  }, [checkpoint, setNodes, setDirty]);
  const onEdgesChange = useCallback((changes: EdgeChange<EditorEdge>[]) => {
    if (changes.some((c) => c.type === 'remove')) checkpoint('edge-remove');
    setEdges((es) => applyEdgeChanges(changes, es));
    if (changes.some((c) => !viewOnly(c))) setDirty(true);
  }, [checkpoint, setEdges, setDirty]);
  return { onNodesChange, onEdgesChange };
}

export function useCanvasState() {
  const [nodes, setNodes] = useState<EditorNode[]>([]);
  const [edges, setEdges] = useState<EditorEdge[]>([]);
  const [dirty, setDirty] = useState(false);
  const latest = useRef<Snapshot>({ nodes, edges });
  latest.current = { nodes, edges };
  const history = useCanvasHistory({ latest, setNodes, setEdges, setDirty });
  const { checkpoint } = history;
  const { onNodesChange, onEdgesChange } = useChangeHandlers({ setNodes, setEdges, setDirty, checkpoint });
  const onConnect = useCallback((c: Connection) => {
    checkpoint();
    const port = c.sourceHandle ?? DEFAULT_PORT;
    setEdges((es) => addEdge({ ...c, sourceHandle: port, targetHandle: TARGET_HANDLE, id: `${c.source}:${port}->${c.target}` }, es));
    setDirty(true);
  }, [checkpoint]);
  const addNode = useCallback((type: string, position: { x: number; y: number }) => {
    checkpoint();
    setNodes((ns) => {
      const node: EditorNode = { id: newNodeId(type, ns), type: 'hookflow', position, data: { nodeType: type, params: {} }, selected: true };
      return [...ns.map((n) => ({ ...n, selected: false })), node];
    });
    setDirty(true);
  }, [checkpoint]);
  const updateNode = useCallback((id: string, patch: Partial<FlowNodeData>) => {
    checkpoint(`edit:${id}:${Object.keys(patch).join(',')}`);
    setNodes((ns) => ns.map((n) => (n.id === id ? { ...n, data: { ...n.data, ...patch } } : n)));
    setDirty(true);
  }, [checkpoint]);
  return { nodes, setNodes, edges, setEdges, dirty, setDirty, onNodesChange, onEdgesChange, onConnect, addNode, updateNode, history };
}
