/**
 * The flow version an execution ran, read-only: each node with its step's status and error, the path taken highlighted.
 *
 * The nodes are held in state and take xyflow's changes back (their measured size): the execution is loaded more
 * than once (at once, then on the stream's snapshot), and fresh node objects without `measured` made xyflow drop
 * the sizes and handle positions it had measured. It then had to measure again, which it sometimes did not (the
 * size had not changed, so no resize was observed): the nodes stayed hidden and no edge, taken or not, was drawn.
 */
import { useEffect, useMemo, useState } from 'react';
import { applyNodeChanges, Background, Controls, ReactFlow, type NodeChange } from '@xyflow/react';
import { api } from '../api/client';
import type { ExecutionDetail } from '../api/types';
import { CatalogueContext, type Catalogue } from '../editor/catalogue';
import { toCanvas, withStatuses, withTakenPath, type EditorNode } from '../editor/flow-doc';
import { notReachedNote } from '../editor/run-note';
import { nodeTypes } from '../editor/node-types';

type Doc = Parameters<typeof toCanvas>[0];

/** Open a node's step card below the canvas and bring it into view. */
function revealStep(nodeId: string): void {
  const el = document.querySelector(`[data-testid="step-${CSS.escape(nodeId)}"]`);
  if (el instanceof HTMLDetailsElement) el.open = true;
  el?.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

export function ExecutionCanvas({ x }: { x: ExecutionDetail }) {
  const [doc, setDoc] = useState<Doc | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  /** Null until the node types are in: the cards' ports (and so their handles) come from them. */
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  useEffect(() => {
    void api.getFlowVersion(x.flowId, x.flowVersion).then((r) => { if (r.ok) setDoc(r.value); else setFailed(r.message); });
    void api.nodeTypes().then((r) => setCatalogue(r.ok ? new Map(r.value.items.map((t) => [t.type, t])) : new Map()));
  }, [x.flowId, x.flowVersion]);
  const base = useMemo(() => (doc ? toCanvas(doc) : null), [doc]);
  const [nodes, setNodes] = useState<EditorNode[]>([]);
  const { steps, status } = x;
  const notReached = notReachedNote(status, x.error);
  useEffect(() => {
    if (!base) return;
    const ran = new Set(steps.map((s) => s.nodeId));
    // New statuses keep each node's measured size, so xyflow never has to measure it again.
    setNodes((prev) => {
      const measured = new Map(prev.map((n) => [n.id, n.measured]));
      return withStatuses(base.nodes, steps).map((n) => ({
        ...n, draggable: false, connectable: false, measured: measured.get(n.id),
        // A node of a finished run that has no step says why it did not run.
        ...(notReached && !ran.has(n.id) ? { data: { ...n.data, runNote: notReached } } : {}),
      }));
    });
  }, [base, steps, notReached]);
  const edges = useMemo(() => (base ? withTakenPath(base.edges, steps) : []), [base, steps]);
  if (failed) return <p className="muted small">The flow version this run used is not available ({failed}).</p>;
  if (!base || !catalogue || nodes.length !== base.nodes.length) return <div className="exec-canvas card muted small">Loading the flow…</div>;
  return (
    <CatalogueContext.Provider value={catalogue}>
      <div className="exec-canvas card" data-testid="execution-canvas" aria-label={`Flow version ${x.flowVersion} as this run took it`}>
        <ReactFlow<EditorNode>
          nodes={nodes} edges={edges} nodeTypes={nodeTypes} onNodesChange={(changes: NodeChange<EditorNode>[]) => setNodes((ns) => applyNodeChanges(changes, ns))}
          nodesDraggable={false} nodesConnectable={false} edgesFocusable={false} deleteKeyCode={null}
          onNodeClick={(_e, n) => revealStep(n.id)} fitView fitViewOptions={{ maxZoom: 1, padding: 0.15 }} minZoom={0.1}
          defaultEdgeOptions={{ type: 'smoothstep' }} proOptions={{ hideAttribution: true }}
        >
          <Background gap={20} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
    </CatalogueContext.Provider>
  );
}
