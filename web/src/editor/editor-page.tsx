/** `/flows/:id`: toolbar (name, save, activate, webhook URL), palette, canvas, problems, the side panel and the node details view. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import type { Flow } from '../api/types';
import type { LeaveGuard } from '../router';
import { ErrorBox, Loading } from '../ui';
import { CopyButton } from '../shell/copy-button';
import { CatalogueContext, portsOf } from './catalogue';
import { FlowCanvas } from './flow-canvas';
import { Palette } from './palette';
import { SidePanel, type SideTab } from './side-panel';
import { useFlowEditor, type FlowEditor } from './use-flow-editor';
import { ProblemsList } from './problems-list';
import { problemLines, type ProblemLine } from './problem-text';
import { NodeDetails } from './node-details';
import { focusField } from './focus-field';
import { useNarrow } from './use-narrow';
import { PublishControls, PublishState } from './publish-controls';

export function EditorPage({ flowId, guard }: { flowId: string; guard: LeaveGuard }) {
  return <ReactFlowProvider><Editor flowId={flowId} guard={guard} /></ReactFlowProvider>;
}

/** Ctrl/Cmd + key → canvas action (text fields keep their own undo, copy and paste). */
const CANVAS_KEYS: Record<string, 'undo' | 'redo' | 'copy' | 'paste'> = { z: 'undo', Z: 'redo', y: 'redo', c: 'copy', v: 'paste' };

function useShortcutsAndGuard(ed: FlowEditor, guard: LeaveGuard) {
  const { dirty, save, history } = ed;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      const key = e.key.toLowerCase();
      if (key === 's') { e.preventDefault(); void save(); return; }
      if (e.target instanceof HTMLElement && e.target.closest('input, textarea, select, [contenteditable], [role=dialog]')) return;
      const action = CANVAS_KEYS[e.shiftKey && key === 'z' ? 'Z' : key];
      if (action) { e.preventDefault(); history[action](); }
    };
    const onUnload = (e: BeforeUnloadEvent) => { if (dirty) e.preventDefault(); };
    window.addEventListener('keydown', onKey);
    window.addEventListener('beforeunload', onUnload);
    guard.current = dirty ? () => window.confirm('This flow has unsaved changes. Leave without saving?') : null;
    return () => { window.removeEventListener('keydown', onKey); window.removeEventListener('beforeunload', onUnload); guard.current = null; };
  }, [dirty, save, history, guard]);
}

/** Auto-layout by the real card sizes, then fit the view once the moved cards are drawn. */
function useLayout(ed: FlowEditor) {
  const { fitView } = useReactFlow();
  const [fitTick, setFitTick] = useState(0);
  useEffect(() => {
    if (fitTick === 0) return;
    const id = requestAnimationFrame(() => void fitView({ padding: 0.15, maxZoom: 1, duration: 200 }));
    return () => cancelAnimationFrame(id);
  }, [fitTick, fitView]);
  const byType = useMemo(() => new Map(ed.types.map((t) => [t.type, t])), [ed.types]);
  return useCallback(() => {
    ed.history.layout((n) => portsOf(byType.get(n.data.nodeType), n.data.params).length);
    setFitTick((n) => n + 1);
  }, [ed.history, byType]);
}

/** Pans the canvas so a node (just added, or picked from the problems list) is in view; does nothing when it already is. */
function useReveal() {
  const { getNode, getViewport, setCenter } = useReactFlow();
  return useCallback((id: string) => requestAnimationFrame(() => {
    const n = getNode(id);
    const pane = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    if (!n || !pane) return;
    const { x, y, zoom } = getViewport();
    const [left, top] = [n.position.x * zoom + x, n.position.y * zoom + y];
    const w = (n.measured?.width ?? 200) * zoom;
    const h = (n.measured?.height ?? 110) * zoom;
    if (left >= 0 && top >= 0 && left + w <= pane.width && top + h <= pane.height) return;
    void setCenter(n.position.x + (n.measured?.width ?? 200) / 2, n.position.y + (n.measured?.height ?? 110) / 2, { zoom, duration: 200 });
  }), [getNode, getViewport, setCenter]);
}

function Editor({ flowId, guard }: { flowId: string; guard: LeaveGuard }) {
  const ed = useFlowEditor(flowId);
  const narrow = useNarrow(1200);
  const [selected, setSelected] = useState<string | null>(null);
  const [details, setDetails] = useState<string | null>(null);
  const [tab, setTab] = useState<SideTab>('test');
  const [paletteOpen, setPaletteOpen] = useState<boolean | null>(null);
  const [panelOpen, setPanelOpen] = useState<boolean | null>(null);
  const reveal = useReveal();
  const select = useCallback((id: string | null) => {
    setSelected(id); setTab(id ? 'node' : 'test');
    if (id) setPanelOpen(true);
  }, []);
  /** Select a node the user did not click (just added, or picked from the problems list) and bring it into view. */
  const show = useCallback((id: string) => { select(id); reveal(id); }, [select, reveal]);
  const catalogue = useMemo(() => new Map(ed.types.map((t) => [t.type, t])), [ed.types]);
  useShortcutsAndGuard(ed, guard);
  const layout = useLayout(ed);
  const lines = useMemo(() => problemLines(ed.problems,
    (id) => { const n = ed.nodes.find((x) => x.id === id); return n ? n.data.name || n.id : undefined; },
    (id) => catalogue.get(ed.nodes.find((x) => x.id === id)?.data.nodeType ?? '')?.params), [ed.problems, ed.nodes, catalogue]);
  const pick = useCallback((p: ProblemLine) => {
    if (!p.nodeId || !ed.nodes.some((n) => n.id === p.nodeId)) return;
    const nodeId = p.nodeId;
    ed.setNodes((ns) => ns.map((n) => ({ ...n, selected: n.id === nodeId })));
    show(nodeId);
    focusField(p.field);
  }, [ed, show]);

  // A save refused for a field that does not serialise: select its node and put the caret in the field.
  const { refusal, setNodes } = ed;
  useEffect(() => {
    if (!refusal) return;
    setNodes((ns) => ns.map((n) => ({ ...n, selected: n.id === refusal.nodeId })));
    show(refusal.nodeId);
    focusField(refusal.field);
  }, [refusal, setNodes, show]);

  if (!ed.flow) return ed.error ? <div className="page"><ErrorBox error={ed.error} /></div> : <Loading what="flow" />;
  const { flow } = ed;
  const showPalette = paletteOpen ?? !narrow;
  const showPanel = panelOpen ?? !narrow;
  const detailNode = details ? ed.nodes.find((n) => n.id === details) : undefined;
  return (
    <CatalogueContext.Provider value={catalogue}>
      <div className="editor">
        <EditorBar ed={ed} flow={flow} onLayout={layout} inert={detailNode !== undefined} />
        <ErrorBox error={ed.error} />
        {refusal ? <div className="state state-error" role="alert" data-testid="save-refused">{refusal.text}</div> : null}
        <div className="editor-body" inert={detailNode !== undefined}>
          <Palette types={ed.types} open={showPalette} onToggle={() => setPaletteOpen(!showPalette)} onAdd={(type) => { const id = ed.addNode(type); if (id) show(id); }} />
          <div className="canvas-column">
            <FlowCanvas ed={ed} onSelect={select} onAdded={show} onOpen={(id) => { select(id); setDetails(id); }} />
            <ProblemsList lines={lines} onPick={pick} />
          </div>
          <SidePanel ed={ed} selected={selected} tab={tab} setTab={setTab} open={showPanel} onToggle={() => setPanelOpen(!showPanel)}
            onOpenDetails={(id) => setDetails(id)} />
        </div>
        {detailNode ? <NodeDetails ed={ed} node={detailNode} onClose={() => {
          setDetails(null);
          requestAnimationFrame(() => document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(detailNode.id)}"]`)?.focus());
        }} /> : null}
      </div>
    </CatalogueContext.Provider>
  );
}

/** The URL in full (for copying and for screen readers), cut in the middle on screen so both ends stay readable. */
function WebhookUrl({ url }: { url: string }) {
  const tail = url.slice(-8);
  return (
    <code data-testid="webhook-url" className="webhook-url" title={url}>
      <span className="url-head">{url.slice(0, -8)}</span><span className="url-tail">{tail}</span>
    </code>
  );
}

function EditorBar({ ed, flow, onLayout, inert }: { ed: FlowEditor; flow: Flow; onLayout(): void; inert: boolean }) {
  return (
    <div className="editor-bar" inert={inert}>
      <input className="flow-name" aria-label="Flow name" title={ed.name} value={ed.name} onChange={(e) => ed.setName(e.target.value)} />
      <PublishState flow={flow} />
      {ed.dirty ? <span className="dirty" data-testid="unsaved-marker" title="Unsaved changes">● Unsaved changes</span> : <span className="muted small">Saved</span>}
      {ed.busy ? <span className="muted small" role="status">{ed.busy}</span> : null}
      {flow.nodes.some((n) => n.type === 'webhook') ? (
        <div className="webhook-box">
          <span className="muted small">Webhook</span>
          <WebhookUrl url={flow.webhook.url} />
          <CopyButton text={flow.webhook.url} label="Copy URL" />
          <button type="button" className="btn btn-small" title="Give this flow a new webhook URL; the old one stops working at once"
            onClick={() => { if (window.confirm('Rotate the webhook URL? The current URL stops working at once.')) void ed.rotateToken(); }}>Rotate</button>
        </div>
      ) : (
        <span className="muted small" data-testid="trigger-kind" title="This flow has no inbound URL">
          {flow.nodes.some((n) => n.type === 'schedule') ? 'Runs on a schedule · no URL' : flow.nodes.some((n) => n.type === 'call-trigger') ? 'Called by other flows · no URL' : 'No inbound URL'}
        </span>
      )}
      <div className="btn-group" role="group" aria-label="Canvas">
        <button type="button" className="btn btn-small" onClick={ed.history.undo} disabled={!ed.history.canUndo} title="Undo (Ctrl/Cmd+Z)" data-testid="undo">Undo</button>
        <button type="button" className="btn btn-small" onClick={ed.history.redo} disabled={!ed.history.canRedo} title="Redo (Ctrl/Cmd+Shift+Z)" data-testid="redo">Redo</button>
        <button type="button" className="btn btn-small" onClick={onLayout} title="Arrange nodes left to right" data-testid="auto-layout">Auto-layout</button>
      </div>
      <div className="bar-actions">
        <button type="button" className="btn btn-primary" data-testid="save-flow" onClick={() => void ed.save()} title="Save a new version, a draft (Ctrl/Cmd+S)">Save</button>
        <PublishControls ed={ed} flow={flow} />
        <button type="button" className={flow.active ? 'btn btn-active' : 'btn'} data-testid="activate-flow" aria-pressed={flow.active}
          onClick={() => void ed.toggleActive()}>{flow.active ? 'Active · Deactivate' : 'Activate'}</button>
      </div>
    </div>
  );
}
