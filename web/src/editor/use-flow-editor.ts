/** The editor's state and actions: load, edit, save (with server problems), activate, test runs. */
import { useCallback, useEffect, useState } from 'react';
import { api, type ApiError } from '../api/client';
import type { ExecutionDetail, Flow, NodeTypeInfo } from '../api/types';
import type { EditorNode } from './flow-doc';
import { groupProblems, problemsOf, toCanvas, toDoc, withAllQueued, withNodeStatus, withProblems, withStatuses, withTakenPath, type EditorEdge } from './flow-doc';
import { followRun } from './follow-run';
import { runNote } from './run-note';
import { useCanvasState } from './use-canvas-state';

interface RunDeps {
  flow: Flow | null;
  dirty: boolean;
  save(): Promise<Flow | null>;
  setFlow(f: Flow): void;
  setError(e: ApiError | null): void;
  setBusy(b: string | null): void;
  setNodes(f: (ns: EditorNode[]) => EditorNode[]): void;
  setEdges(f: (es: EditorEdge[]) => EditorEdge[]): void;
}

/** Activate/deactivate and test runs (both save unsaved changes first), and a new webhook URL. */
function useRunActions({ flow, dirty, save, setFlow, setError, setBusy, setNodes, setEdges }: RunDeps) {
  const [lastRun, setLastRun] = useState<ExecutionDetail | null>(null);
  const toggleActive = useCallback(async () => {
    const saved = dirty ? await save() : flow;
    if (!saved) return;
    const r = saved.active ? await api.deactivateFlow(saved.id) : await api.activateFlow(saved.id);
    if (r.ok) { setFlow(r.value); setError(null); } else setError(r);
  }, [flow, dirty, save, setFlow, setError]);

  /** `extra` carries a captured request's method and query (listen panel); a typed test is a POST. */
  const runTest = useCallback(async (body: unknown, headers: Record<string, string> = {}, extra: { method?: string; query?: Record<string, string | string[]> } = {}) => {
    const saved = dirty ? await save() : flow;
    if (!saved) return;
    setBusy('Running test…');
    const started = await api.startTest(saved.id, { method: extra.method ?? 'POST', headers, query: extra.query, body });
    if (!started.ok) { setBusy(null); setError(started); return; }
    const { executionId } = started.value;
    setNodes(withAllQueued);
    await followRun(executionId, (nodeId, status, detail) => setNodes((ns) => withNodeStatus(ns, nodeId, status, runNote(status, detail ?? {}, Date.now()))));
    const r = await api.getExecution(executionId);
    setBusy(null);
    if (!r.ok) { setError(r); return; }
    setError(null); setLastRun(r.value);
    setNodes((ns) => withStatuses(ns, r.value.steps));
    setEdges((es) => withTakenPath(es, r.value.steps));
  }, [flow, dirty, save, setNodes, setEdges, setBusy, setError]);

  const rotateToken = useCallback(async () => {
    if (!flow) return;
    const r = await api.rotateToken(flow.id);
    if (r.ok) { setFlow(r.value); setError(null); } else setError(r);
  }, [flow, setFlow, setError]);

  return { lastRun, toggleActive, runTest, rotateToken };
}

export function useFlowEditor(flowId: string) {
  const canvas = useCanvasState();
  const { nodes, edges, setNodes, setEdges, dirty, setDirty } = canvas;
  const [flow, setFlow] = useState<Flow | null>(null);
  const [types, setTypes] = useState<NodeTypeInfo[]>([]);
  const [name, setNameState] = useState('');
  const [error, setError] = useState<ApiError | string | null>(null);
  const [flowProblems, setFlowProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    void (async () => {
      const [f, t] = await Promise.all([api.getFlow(flowId), api.nodeTypes()]);
      if (!f.ok) { setError(f); return; }
      if (t.ok) setTypes(t.value.items); else setError(t);
      const c = toCanvas(f.value);
      setFlow(f.value); setNodes(c.nodes); setEdges(c.edges); setNameState(f.value.name);
    })();
  }, [flowId, setNodes, setEdges]);

  const setName = useCallback((v: string) => { setNameState(v); setDirty(true); }, [setDirty]);

  const save = useCallback(async (): Promise<Flow | null> => {
    if (!flow) return null;
    setBusy('Saving…');
    const r = await api.updateFlow(flow.id, { name, ...toDoc(nodes, edges), version: flow.version });
    setBusy(null);
    const g = groupProblems(r.ok ? [] : problemsOf(r.details));
    setNodes((ns) => withProblems(ns, g.byNode));
    setFlowProblems(g.flow);
    if (!r.ok) { setError(r); return null; }
    setError(null); setFlow(r.value); setDirty(false);
    return r.value;
  }, [flow, name, nodes, edges, setNodes, setDirty]);

  const run = useRunActions({ flow, dirty, save, setFlow, setError, setBusy, setNodes, setEdges });

  return { ...canvas, ...run, flow, types, name, error, flowProblems, busy, setName, save, setError };
}

export type FlowEditor = ReturnType<typeof useFlowEditor>;
