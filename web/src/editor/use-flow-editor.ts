/** The editor's state and actions: load, edit, save (with every problem the server found), activate, test runs. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, type ApiError } from '../api/client';
import type { ExecutionDetail, Flow, FlowProblem, NodeTypeInfo, StepRecord } from '../api/types';
import type { EditorNode } from './flow-doc';
import { groupProblems, problemsOf, toCanvas, toDoc, withAllQueued, withFlags, withNodeStatus, withProblems, withStatuses, withTakenPath, type EditorEdge } from './flow-doc';
import { followRun } from './follow-run';
import { baseOf, countItems, countsNote, isItemStep } from './item-steps';
import { runNote } from './run-note';
import { useCanvasState } from './use-canvas-state';
import { addProblem, connectionProblem } from './canvas-rules';
import { portsOf } from './catalogue';
import { toNoteDocs, toNoteNodes } from './note-doc';
import type { CanvasRules } from './use-canvas-actions';
import type { Snapshot } from './canvas-ops';
import { refusalText, useFieldDrafts } from './field-drafts';

interface RunDeps {
  flow: Flow | null;
  dirty: boolean;
  save(): Promise<Flow | null>;
  setFlow(f: Flow): void;
  setError(e: ApiError | null): void;
  /** A refused activation's problems go to the problems list, with a word on the canvas. */
  refused(problems: FlowProblem[]): void;
  setBusy(b: string | null): void;
  setNodes(f: (ns: EditorNode[]) => EditorNode[]): void;
  setEdges(f: (es: EditorEdge[]) => EditorEdge[]): void;
}

/** Activate/deactivate and test runs (both save unsaved changes first), and a new webhook URL. */
function useRunActions({ flow, dirty, save, setFlow, setError, refused, setBusy, setNodes, setEdges }: RunDeps) {
  const [lastRun, setLastRun] = useState<ExecutionDetail | null>(null);
  /** The test execution in flight, from its start until its record is in. */
  const [running, setRunning] = useState<string | null>(null);
  const toggleActive = useCallback(async () => {
    const saved = dirty ? await save() : flow;
    if (!saved) return;
    const r = saved.active ? await api.deactivateFlow(saved.id) : await api.activateFlow(saved.id);
    if (r.ok) { setFlow(r.value); setError(null); return; }
    const found = problemsOf(r.details);
    if (r.code === 'invalid_flow' && found.length) refused(found); else setError(r);
  }, [flow, dirty, save, setFlow, setError, refused]);

  /** `extra` carries a captured request's method and query (listen panel); a typed test is a POST. */
  /** Resolves with why the run did not start (a payload over the body limit…), or null. */
  /** `extra.inline`: the caller shows a refusal itself (the test panel, under its payload), not the editor's error box. */
  const runTest = useCallback(async (body: unknown, headers: Record<string, string> = {}, extra: { method?: string; query?: Record<string, string | string[]>; inline?: boolean } = {}): Promise<string | null> => {
    const saved = dirty ? await save() : flow;
    if (!saved) return null;
    // A new run starts clean: the last run's statuses, path and node data go at once, not when the new one ends.
    setLastRun(null);
    setNodes((ns) => withStatuses(ns, []));
    setEdges((es) => withTakenPath(es, []));
    setBusy('Running test…');
    const started = await api.startTest(saved.id, { method: extra.method ?? 'POST', headers, query: extra.query, body });
    if (!started.ok) { setBusy(null); if (!extra.inline) setError(started); return `${started.message} (${started.code})`; }
    const { executionId } = started.value;
    setRunning(executionId);
    setNodes(withAllQueued);
    // Item steps after a split (`inv@3`) count towards their node: it shows "3 ✓ 1 ✗" while the items run.
    const items = new Map<string, Map<string, string>>();
    await followRun(executionId, (nodeId, status, detail) => {
      if (!isItemStep(nodeId)) { setNodes((ns) => withNodeStatus(ns, nodeId, status, runNote(status, detail ?? {}, Date.now()))); return; }
      const base = baseOf(nodeId);
      const mine = items.get(base) ?? new Map<string, string>();
      items.set(base, mine.set(nodeId, status));
      const c = countItems([...mine].map(([id, st]) => ({ nodeId: id, status: st as StepRecord['status'], attempts: 1 })));
      setNodes((ns) => withNodeStatus(ns, base, c.failed ? 'failed' : 'running', countsNote(c)));
    });
    const r = await api.getExecution(executionId);
    setBusy(null); setRunning(null);
    if (!r.ok) { setError(r); return null; }
    setError(null); setLastRun(r.value);
    setNodes((ns) => withStatuses(ns, r.value.steps));
    setEdges((es) => withTakenPath(es, r.value.steps));
    return null;
  }, [flow, dirty, save, setNodes, setEdges, setBusy, setError]);

  const rotateToken = useCallback(async () => {
    if (!flow) return;
    const r = await api.rotateToken(flow.id);
    if (r.ok) { setFlow(r.value); setError(null); } else setError(r);
  }, [flow, setFlow, setError]);

  return { lastRun, running, toggleActive, runTest, rotateToken };
}

/** A short message on the canvas (a refused connection): shown for a few seconds. */
function useCanvasMessage() {
  const [message, setMessage] = useState<{ text: string; at: number } | null>(null);
  useEffect(() => {
    if (!message) return;
    const t = setTimeout(() => setMessage(null), 4500);
    return () => clearTimeout(t);
  }, [message]);
  const say = useCallback((text: string) => setMessage({ text, at: Date.now() }), []);
  return { message: message?.text ?? null, say, clearMessage: useCallback(() => setMessage(null), []) };
}

/** The canvas rules from the catalogue (one trigger, nothing into it, no loops) and the node defaults. */
function useRules(types: readonly NodeTypeInfo[], say: (m: string) => void): CanvasRules {
  return useMemo(() => {
    const byType = new Map(types.map((t) => [t.type, t]));
    const isTrigger = (type: string) => byType.get(type)?.category === 'trigger';
    const ruleNodes = (s: Snapshot) => s.nodes.map((n) => ({ id: n.id, nodeType: n.data.nodeType, label: n.data.name || n.id }));
    return {
      connectionProblem: (source, target, port, s) => connectionProblem(source, target, port, ruleNodes(s), s.edges, isTrigger),
      addProblem: (type, s) => addProblem(type, ruleNodes(s), isTrigger),
      say,
      defaultsOf: (type) => byType.get(type)?.defaults ?? {},
      portsOf: (type, params) => portsOf(byType.get(type), params),
    };
  }, [types, say]);
}

export function useFlowEditor(flowId: string) {
  const [types, setTypes] = useState<NodeTypeInfo[]>([]);
  const { message, say, clearMessage } = useCanvasMessage();
  const rules = useRules(types, say);
  const canvas = useCanvasState(rules);
  const { nodes, edges, notes, setNodes, setEdges, setNotes, setDirty } = canvas;
  const [flow, setFlow] = useState<Flow | null>(null);
  const [name, setNameState] = useState('');
  const [error, setError] = useState<ApiError | string | null>(null);
  /** Every problem of the last save, flags of missing credentials included. */
  const [problems, setProblems] = useState<FlowProblem[]>([]);
  const [busy, setBusy] = useState<string | null>(null);
  /** The flow's error flow (`settings.onError`), '' for none. */
  const [onError, setOnErrorState] = useState('');
  /** Fields whose text does not serialise: unsaved changes that block every save. */
  const drafts = useFieldDrafts();
  /** Why the last save was refused before reaching the server (a field that does not serialise), and where. */
  const [refusal, setRefusal] = useState<{ text: string; nodeId: string; field: string; at: number } | null>(null);
  const { forgetExcept, count: badCount } = drafts;
  useEffect(() => { forgetExcept(new Set(nodes.map((n) => n.id))); }, [nodes, forgetExcept]);
  useEffect(() => { if (badCount === 0) setRefusal(null); }, [badCount]);

  /** Puts a saved version on the canvas (at load, and after a restore), as saved: no unsaved changes. */
  const load = useCallback((f: Flow) => {
    const c = toCanvas(f);
    setFlow(f); setNodes(withFlags(c.nodes, f.flags ?? [])); setEdges(c.edges); setNotes(toNoteNodes(f.notes)); setNameState(f.name);
    setOnErrorState(f.settings?.onError ?? '');
    setProblems(f.flags ?? []); setDirty(false);
    forgetExcept(new Set()); // a restored version replaces every unsaved field text too
  }, [setNodes, setEdges, setNotes, setDirty, forgetExcept]);

  useEffect(() => {
    void (async () => {
      const [f, t] = await Promise.all([api.getFlow(flowId), api.nodeTypes()]);
      if (!f.ok) { setError(f); return; }
      if (t.ok) setTypes(t.value.items); else setError(t);
      load(f.value);
    })();
  }, [flowId, load]);

  const setName = useCallback((v: string) => { setNameState(v); setDirty(true); }, [setDirty]);
  const setOnError = useCallback((v: string) => { setOnErrorState(v); setDirty(true); }, [setDirty]);

  const save = useCallback(async (): Promise<Flow | null> => {
    if (!flow) return null;
    const bad = drafts.badFields(new Set(nodes.map((n) => n.id)));
    drafts.markRefused(bad[0] ?? null);
    if (bad[0]) {
      const b = bad[0];
      const more = bad.length > 1 ? ` (${bad.length - 1} more field${bad.length > 2 ? 's' : ''} to fix)` : '';
      setRefusal({ text: refusalText(b, nodes.find((n) => n.id === b.nodeId)?.data.name || b.nodeId) + more, nodeId: b.nodeId, field: b.field, at: Date.now() });
      return null;
    }
    setRefusal(null);
    setBusy('Saving…');
    const notesDoc = toNoteDocs(notes);
    const r = await api.updateFlow(flow.id, { name, ...toDoc(nodes, edges), ...(notesDoc.length ? { notes: notesDoc } : {}), ...(onError ? { settings: { onError } } : {}), version: flow.version }, !flow.active);
    setBusy(null);
    const found = r.ok ? [] : problemsOf(r.details);
    setNodes((ns) => withFlags(withProblems(ns, groupProblems(found).byNode), r.ok ? r.value.flags ?? [] : []));
    setProblems(r.ok ? r.value.flags ?? [] : found);
    if (!r.ok) { setError(found.length ? null : r); return null; }
    setError(null); setFlow(r.value); setDirty(false);
    return r.value;
  }, [flow, name, nodes, edges, notes, onError, setNodes, setDirty, drafts]);

  const refused = useCallback((found: FlowProblem[]) => {
    setProblems(found);
    say('Not activated: fix the problems listed below first.');
  }, [say]);
  /** A field that does not serialise is an unsaved change: the toolbar never says "Saved" while one is left. */
  const dirty = canvas.dirty || badCount > 0;
  const run = useRunActions({ flow, dirty, save, setFlow, setError, refused, setBusy, setNodes, setEdges });

  return { ...canvas, dirty, ...run, flow, setFlow, load, types, name, error, problems, setProblems, busy, setName, save, setError, message, say, clearMessage, drafts, refusal, onError, setOnError };
}

export type FlowEditor = ReturnType<typeof useFlowEditor>;
