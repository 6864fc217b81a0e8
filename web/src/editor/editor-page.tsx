/** `/flows/:id`: toolbar (name, save, activate, webhook URL), palette, canvas and the side panel. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import type { Flow } from '../api/types';
import type { LeaveGuard } from '../router';
import { ErrorBox, Loading } from '../ui';
import { CopyButton } from '../shell/copy-button';
import { CatalogueContext } from './catalogue';
import { FlowCanvas } from './flow-canvas';
import { Palette } from './palette';
import { SidePanel, type SideTab } from './side-panel';
import { useFlowEditor, type FlowEditor } from './use-flow-editor';

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
      if (e.target instanceof HTMLElement && e.target.closest('input, textarea, select, [contenteditable]')) return;
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

function Editor({ flowId, guard }: { flowId: string; guard: LeaveGuard }) {
  const ed = useFlowEditor(flowId);
  const [selected, setSelected] = useState<string | null>(null);
  const [tab, setTab] = useState<SideTab>('test');
  const select = useCallback((id: string | null) => { setSelected(id); setTab(id ? 'node' : 'test'); }, []);
  const catalogue = useMemo(() => new Map(ed.types.map((t) => [t.type, t])), [ed.types]);
  const { screenToFlowPosition, fitView } = useReactFlow();
  useShortcutsAndGuard(ed, guard);
  const [fitTick, setFitTick] = useState(0);
  const layout = useCallback(() => { ed.history.layout(); setFitTick((n) => n + 1); }, [ed.history]);
  useEffect(() => {
    if (fitTick === 0) return;
    const id = requestAnimationFrame(() => void fitView({ padding: 0.15, maxZoom: 1, duration: 200 }));
    return () => cancelAnimationFrame(id);
  }, [fitTick, fitView]);
  const addAtCentre = useCallback((type: string) => {
    const el = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
    const p = el ? screenToFlowPosition({ x: el.left + el.width / 2, y: el.top + el.height / 2 }) : { x: 200, y: 200 };
    const nudge = (ed.nodes.length % 5) * 24;
    ed.addNode(type, { x: p.x - 90 + nudge, y: p.y - 30 + nudge });
  }, [ed, screenToFlowPosition]);

  if (!ed.flow) return ed.error ? <div className="page"><ErrorBox error={ed.error} /></div> : <Loading what="flow" />;
  const { flow } = ed;
  return (
    <CatalogueContext.Provider value={catalogue}>
      <div className="editor">
        <EditorBar ed={ed} flow={flow} onLayout={layout} />
        <ErrorBox error={ed.error} />
        {ed.flowProblems.length ? <ul className="state state-error">{ed.flowProblems.map((p) => <li key={p}>{p}</li>)}</ul> : null}
        <div className="editor-body">
          <Palette types={ed.types} onAdd={addAtCentre} />
          <FlowCanvas ed={ed} onSelect={select} />
          <SidePanel ed={ed} selected={selected} tab={tab} setTab={setTab} />
        </div>
      </div>
    </CatalogueContext.Provider>
  );
}

function EditorBar({ ed, flow, onLayout }: { ed: FlowEditor; flow: Flow; onLayout(): void }) {
  return (
    <div className="editor-bar">
      <input className="flow-name" aria-label="Flow name" title={ed.name} value={ed.name} onChange={(e) => ed.setName(e.target.value)} />
      <span className="muted small">v{flow.version}</span>
      {ed.dirty ? <span className="dirty" data-testid="unsaved-marker" title="Unsaved changes">● Unsaved changes</span> : <span className="muted small">Saved</span>}
      {ed.busy ? <span className="muted small" role="status">{ed.busy}</span> : null}
      <div className="webhook-box">
        <span className="muted small">Webhook</span>
        <code data-testid="webhook-url" className="truncate" title={flow.webhook.url}>{flow.webhook.url}</code>
        <CopyButton text={flow.webhook.url} />
        <button type="button" className="btn btn-small" title="Give this flow a new webhook URL; the old one stops working at once"
          onClick={() => { if (window.confirm('Rotate the webhook URL? The current URL stops working at once.')) void ed.rotateToken(); }}>Rotate</button>
      </div>
      <div className="btn-group" role="group" aria-label="Canvas">
        <button type="button" className="btn btn-small" onClick={ed.history.undo} disabled={!ed.history.canUndo} title="Undo (Ctrl/Cmd+Z)" data-testid="undo">Undo</button>
        <button type="button" className="btn btn-small" onClick={ed.history.redo} disabled={!ed.history.canRedo} title="Redo (Ctrl/Cmd+Shift+Z)" data-testid="redo">Redo</button>
        <button type="button" className="btn btn-small" onClick={onLayout} title="Arrange nodes left to right" data-testid="auto-layout">Auto-layout</button>
      </div>
      <button type="button" className="btn btn-primary" data-testid="save-flow" onClick={() => void ed.save()} title="Save (Ctrl/Cmd+S)">Save</button>
      <button type="button" className={flow.active ? 'btn btn-active' : 'btn'} data-testid="activate-flow" aria-pressed={flow.active}
        onClick={() => void ed.toggleActive()}>{flow.active ? 'Active · Deactivate' : 'Activate'}</button>
    </div>
  );
}
