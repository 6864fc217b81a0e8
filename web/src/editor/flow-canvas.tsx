/** <ReactFlow> wiring: nodes and edges from the editor, drop from the palette, Delete removes the selection. */
import { useCallback, type DragEvent } from 'react';
import { Background, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import type { FlowEditor } from './use-flow-editor';
import type { EditorNode } from './flow-doc';
import { nodeTypes } from './node-types';
import { DRAG_MIME } from './palette';

const DELETE_KEYS = ['Delete', 'Backspace'];
const minimapColor = (n: EditorNode) => (n.data.status === 'failed' ? '#dc2626' : n.data.status === 'succeeded' ? '#16a34a' : '#94a3b8');

export function FlowCanvas({ ed, onSelect }: { ed: FlowEditor; onSelect(id: string | null): void }) {
  const { screenToFlowPosition } = useReactFlow();
  const onDragOver = useCallback((e: DragEvent) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }, []);
  const onDrop = useCallback((e: DragEvent) => {
    e.preventDefault();
    const type = e.dataTransfer.getData(DRAG_MIME);
    if (!type) return;
    const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
    ed.addNode(type, { x: p.x - 90, y: p.y - 30 });
  }, [ed, screenToFlowPosition]);
  return (
    <div className="canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<EditorNode>
        nodes={ed.nodes} edges={ed.edges} nodeTypes={nodeTypes}
        onNodesChange={ed.onNodesChange} onEdgesChange={ed.onEdgesChange} onConnect={ed.onConnect}
        onNodeClick={(_e, n) => onSelect(n.id)} onPaneClick={() => onSelect(null)}
        deleteKeyCode={DELETE_KEYS} minZoom={0.1} fitView fitViewOptions={{ maxZoom: 1, padding: 0.2 }}
        defaultEdgeOptions={{ type: 'smoothstep' }} proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <Controls />
        <MiniMap<EditorNode> nodeColor={minimapColor} pannable zoomable />
      </ReactFlow>
    </div>
  );
}
