/** <ReactFlow> wiring: nodes, notes and edges; drop from the palette (onto an edge inserts), quick add, right-click menu, Enter opens. */
import { useCallback, useMemo, useRef, useState, type DragEvent, type KeyboardEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { Background, Controls, MiniMap, ReactFlow, useReactFlow } from '@xyflow/react';
import type { FlowEditor } from './use-flow-editor';
import type { EditorNode } from './flow-doc';
import type { NoteNode } from './note-doc';
import { nodeTypes } from './node-types';
import { DRAG_MIME } from './palette';
import { QuickAdd, type QuickAddAt } from './quick-add';
import { CanvasMenu, type MenuItem } from './canvas-menu';
import { NoteEditingContext } from './note-context';
import { useCatalogue } from './catalogue';

const DELETE_KEYS = ['Delete', 'Backspace'];
type AnyNode = EditorNode | NoteNode;
const minimapColor = (n: AnyNode) => (n.type === 'note' ? '#fde68a' : n.data.status === 'failed' ? '#dc2626' : n.data.status === 'succeeded' ? '#16a34a' : '#94a3b8');

/** The edge under a screen point (its wide invisible hit path counts), if any. */
function edgeAt(x: number, y: number): string | undefined {
  for (const el of document.elementsFromPoint(x, y)) {
    const id = el.closest('[data-testid^="rf__edge-"]')?.getAttribute('data-id');
    if (id) return id;
  }
  return undefined;
}

interface Props { ed: FlowEditor; onSelect(id: string | null): void; onAdded(id: string): void; onOpen(id: string): void }

export function FlowCanvas({ ed, onSelect, onAdded, onOpen }: Props) {
  const { screenToFlowPosition } = useReactFlow();
  const wrap = useRef<HTMLDivElement>(null);
  const catalogue = useCatalogue();
  const [quick, setQuick] = useState<QuickAddAt | null>(null);
  const [menu, setMenu] = useState<{ left: number; top: number; label: string; items: MenuItem[] } | null>(null);
  const local = useCallback((clientX: number, clientY: number) => {
    const r = wrap.current?.getBoundingClientRect();
    return { left: clientX - (r?.left ?? 0), top: clientY - (r?.top ?? 0), flow: screenToFlowPosition({ x: clientX, y: clientY }) };
  }, [screenToFlowPosition]);
  const added = useCallback((id: string | undefined) => { if (id) onAdded(id); }, [onAdded]);
  const onDragOver = useCallback((e: DragEvent) => { e.preventDefault(); e.dataTransfer.dropEffect = 'move'; }, []);
  const onDrop = useCallback((e: DragEvent) => {
    e.preventDefault();
    const type = e.dataTransfer.getData(DRAG_MIME);
    if (!type) return;
    const p = screenToFlowPosition({ x: e.clientX, y: e.clientY });
    const at = { x: p.x - 100, y: p.y - 40 };
    const edge = edgeAt(e.clientX, e.clientY);
    added(edge ? ed.insertOnEdge(type, edge, at) : ed.addNode(type, at));
  }, [ed, screenToFlowPosition, added]);

  const openQuick = (at: QuickAddAt) => { setMenu(null); setQuick(at); };
  const onDoubleClick = (e: ReactMouseEvent) => {
    if ((e.target as Element).closest('.react-flow__pane')) openQuick(local(e.clientX, e.clientY));
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    const focusedNode = target.classList.contains('react-flow__node') ? target.getAttribute('data-id') : null;
    if (e.key === 'Enter' && focusedNode && target.classList.contains('react-flow__node-hookflow')) { e.preventDefault(); onOpen(focusedNode); }
    // Delete on a card reached with Tab (focused, nothing selected) removes that card; xyflow removes only selected ones.
    const nothingSelected = !ed.nodes.some((n) => n.selected) && !ed.notes.some((n) => n.selected) && !ed.edges.some((x) => x.selected);
    if (DELETE_KEYS.includes(e.key) && focusedNode && nothingSelected) {
      e.preventDefault();
      ed.remove([focusedNode]);
    }
    if (e.key === '/' && !target.closest('input, textarea, select, [contenteditable]')) {
      e.preventDefault();
      const r = wrap.current?.getBoundingClientRect();
      openQuick(r ? { left: r.width / 2 - 160, top: 40 } : { left: 40, top: 40 });
    }
  };
  const nodeMenu = (e: ReactMouseEvent, n: AnyNode) => {
    e.preventDefault();
    const { left, top } = local(e.clientX, e.clientY);
    const items: MenuItem[] = n.type === 'note'
      ? [{ label: 'Delete note', run: () => ed.remove([n.id]), danger: true }]
      : [
        { label: 'Open', run: () => onOpen(n.id) },
        { label: 'Duplicate', run: () => added(ed.duplicate(n.id)) },
        { label: n.data.disabled ? 'Enable' : 'Disable', run: () => ed.toggleDisabled(n.id) },
        { label: 'Add note', run: () => ed.addNote({ x: n.position.x, y: n.position.y - 170 }) },
        { label: 'Delete', run: () => ed.remove([n.id]), danger: true },
      ];
    setQuick(null);
    setMenu({ left, top, label: n.type === 'note' ? 'Note' : `Node ${n.data.name || n.id}`, items });
  };
  const paneMenu = (e: ReactMouseEvent | MouseEvent) => {
    e.preventDefault();
    const at = local(e.clientX, e.clientY);
    setQuick(null);
    setMenu({ left: at.left, top: at.top, label: 'Canvas', items: [
      { label: 'Add a node…', run: () => openQuick(at) },
      { label: 'Add note', run: () => ed.addNote(at.flow) },
    ] });
  };
  const all = useMemo<AnyNode[]>(() => [
    ...ed.notes,
    ...ed.nodes.map((n) => ({ ...n, ariaLabel: `${n.data.name || n.id} (${catalogue.get(n.data.nodeType)?.title ?? n.data.nodeType})` })),
  ], [ed.notes, ed.nodes, catalogue]);
  const noteEditing = useMemo(() => ({ updateNote: ed.updateNote }), [ed.updateNote]);

  return (
    <div className="canvas" data-testid="canvas" ref={wrap} onDragOver={onDragOver} onDrop={onDrop} onDoubleClick={onDoubleClick} onKeyDown={onKeyDown}>
      <NoteEditingContext.Provider value={noteEditing}>
        <ReactFlow<AnyNode>
          nodes={all} edges={ed.edges} nodeTypes={nodeTypes}
          onNodesChange={ed.onNodesChange} onEdgesChange={ed.onEdgesChange} onConnect={ed.onConnect}
          onNodeClick={(_e, n) => { setMenu(null); onSelect(n.type === 'note' ? null : n.id); }}
          onNodeDoubleClick={(_e, n) => { if (n.type !== 'note') onOpen(n.id); }}
          onPaneClick={() => { setMenu(null); setQuick(null); onSelect(null); }}
          onNodeContextMenu={nodeMenu} onPaneContextMenu={paneMenu}
          tabIndex={-1} aria-label="Flow canvas" deleteKeyCode={DELETE_KEYS} minZoom={0.1} fitView fitViewOptions={{ maxZoom: 1, padding: 0.2 }} zoomOnDoubleClick={false}
          defaultEdgeOptions={{ type: 'smoothstep' }} proOptions={{ hideAttribution: true }}
        >
          <Background gap={20} />
          <Controls />
          <MiniMap<AnyNode> nodeColor={minimapColor} pannable zoomable ariaLabel="Overview of the flow" />
        </ReactFlow>
      </NoteEditingContext.Provider>
      {ed.message ? <div className="canvas-message" role="status" data-testid="canvas-message">{ed.message}
        <button type="button" className="btn btn-ghost btn-small" onClick={ed.clearMessage}>Dismiss</button></div> : null}
      {quick ? <QuickAdd at={quick} types={ed.types} onClose={() => setQuick(null)}
        onPick={(type) => { setQuick(null); added(ed.addNode(type, quick.flow)); }} /> : null}
      {menu ? <CanvasMenu {...menu} onClose={() => setMenu(null)} /> : null}
    </div>
  );
}
