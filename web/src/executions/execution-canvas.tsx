/** The flow version an execution ran, read-only: each node with its step's status and error, the path taken highlighted. */
import { useEffect, useMemo, useState } from 'react';
import { Background, Controls, ReactFlow } from '@xyflow/react';
import { api } from '../api/client';
import type { ExecutionDetail } from '../api/types';
import { CatalogueContext, type Catalogue } from '../editor/catalogue';
import { toCanvas, withStatuses, withTakenPath, type EditorNode } from '../editor/flow-doc';
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
  const [catalogue, setCatalogue] = useState<Catalogue>(new Map());
  useEffect(() => {
    void api.getFlowVersion(x.flowId, x.flowVersion).then((r) => { if (r.ok) setDoc(r.value); else setFailed(r.message); });
    void api.nodeTypes().then((r) => { if (r.ok) setCatalogue(new Map(r.value.items.map((t) => [t.type, t]))); });
  }, [x.flowId, x.flowVersion]);
  const base = useMemo(() => (doc ? toCanvas(doc) : null), [doc]);
  if (failed) return <p className="muted small">The flow version this run used is not available ({failed}).</p>;
  if (!base) return <div className="exec-canvas card muted small">Loading the flow…</div>;
  const nodes = withStatuses(base.nodes, x.steps).map((n) => ({ ...n, draggable: false, connectable: false }));
  return (
    <CatalogueContext.Provider value={catalogue}>
      <div className="exec-canvas card" data-testid="execution-canvas" aria-label={`Flow version ${x.flowVersion} as this run took it`}>
        <ReactFlow<EditorNode>
          nodes={nodes} edges={withTakenPath(base.edges, x.steps)} nodeTypes={nodeTypes}
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
