/** PURE: the Flow document ⇄ xyflow nodes/edges, plus the small pure edits the canvas makes to them. */
import type { Edge, Node } from '@xyflow/react';
import type { FlowEdgeDoc, FlowNodeDoc, FlowProblem, RetryPolicyDoc, StepRecord } from '../api/types.js';
import { attemptsNote } from './run-note.js';
import { countsNote, rollUp } from './item-steps.js';

/** What a canvas node carries: the document fields, plus what the last save and test run said about it. */
export interface FlowNodeData extends Record<string, unknown> {
  nodeType: string;
  name?: string;
  params: Record<string, unknown>;
  retry?: Partial<RetryPolicyDoc>;
  timeoutMs?: number;
  /** The state of this node in the last test run or opened execution. */
  status?: string;
  /** The error of this node's step in that run, as `code: message`. */
  runError?: string;
  /** While a test run is live: attempts, the last error and the next try (run-note.ts). */
  runNote?: string;
  /** Messages from the server's last validation of this node. */
  problems?: string[];
  /** Credential problems the server flagged (an imported flow naming credentials missing here), as `field: message`. */
  flags?: string[];
  /** Runs nothing: passes its input on (saved with the flow). */
  disabled?: boolean;
  /** Sample input for "run this node" (saved with the flow). */
  pinnedInput?: unknown;
}

export type EditorNode = Node<FlowNodeData, 'hookflow'>;
export type EditorEdge = Edge;

export const DEFAULT_PORT = 'out';
export const TARGET_HANDLE = 'in';
const GRID = { x: 260, y: 140 };

export const edgeId = (e: FlowEdgeDoc): string => `${e.from}:${e.fromPort ?? DEFAULT_PORT}->${e.to}`;

/** Document → canvas. Nodes without a position are laid out left to right in the order given. */
export function toCanvas(doc: { nodes: FlowNodeDoc[]; edges: FlowEdgeDoc[] }): { nodes: EditorNode[]; edges: EditorEdge[] } {
  const nodes = doc.nodes.map((n, i): EditorNode => {
    const data: FlowNodeData = { nodeType: n.type, params: n.params ?? {} };
    if (n.name !== undefined) data.name = n.name;
    if (n.retry !== undefined) data.retry = n.retry;
    if (n.timeoutMs !== undefined) data.timeoutMs = n.timeoutMs;
    if (n.disabled) data.disabled = true;
    if (n.pinnedInput !== undefined) data.pinnedInput = n.pinnedInput;
    return { id: n.id, type: 'hookflow', position: n.position ?? { x: 40 + i * GRID.x, y: 80 + (i % 2) * 40 }, data };
  });
  const edges = doc.edges.map((e): EditorEdge => ({
    id: edgeId(e), source: e.from, sourceHandle: e.fromPort ?? DEFAULT_PORT, target: e.to, targetHandle: TARGET_HANDLE,
  }));
  return { nodes, edges };
}

/** Canvas → document. Positions are rounded; the default port is left implicit. */
export function toDoc(nodes: readonly EditorNode[], edges: readonly EditorEdge[]): { nodes: FlowNodeDoc[]; edges: FlowEdgeDoc[] } {
  return {
    nodes: nodes.map((n) => {
      const doc: FlowNodeDoc = { id: n.id, type: n.data.nodeType, position: { x: Math.round(n.position.x), y: Math.round(n.position.y) }, params: n.data.params };
      if (n.data.name !== undefined && n.data.name !== '') doc.name = n.data.name;
      if (n.data.retry !== undefined && Object.keys(n.data.retry).length > 0) doc.retry = n.data.retry;
      if (n.data.timeoutMs !== undefined) doc.timeoutMs = n.data.timeoutMs;
      if (n.data.disabled) doc.disabled = true;
      if (n.data.pinnedInput !== undefined) doc.pinnedInput = n.data.pinnedInput;
      return doc;
    }),
    edges: edges.map((e) => {
      const port = e.sourceHandle ?? DEFAULT_PORT;
      return port === DEFAULT_PORT ? { from: e.source, to: e.target } : { from: e.source, fromPort: port, to: e.target };
    }),
  };
}

/** A fresh node id for a type: `<type>_<n>` with the smallest n not taken (ids must match ^[A-Za-z][A-Za-z0-9_-]*$). */
export function newNodeId(type: string, taken: readonly { id: string }[]): string {
  const ids = new Set(taken.map((n) => n.id));
  const base = /^[A-Za-z]/.test(type) ? type.replace(/[^A-Za-z0-9_-]/g, '_') : `n_${type}`;
  for (let i = 1; ; i++) if (!ids.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** Group the server's validation problems by node; problems naming no node come back under `flow`. */
export function groupProblems(problems: readonly FlowProblem[]): { byNode: Map<string, string[]>; flow: string[] } {
  const byNode = new Map<string, string[]>();
  const flow: string[] = [];
  for (const p of problems) {
    const text = p.field ? `${p.field}: ${p.message}` : p.message;
    if (p.nodeId) byNode.set(p.nodeId, [...(byNode.get(p.nodeId) ?? []), text]);
    else flow.push(text);
  }
  return { byNode, flow };
}

/** Read `details` of a 400 invalid_flow answer as problems; anything else yields none. */
export function problemsOf(details: unknown): FlowProblem[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d): FlowProblem[] => {
    if (typeof d !== 'object' || d === null || !('message' in d) || typeof d.message !== 'string') return [];
    const nodeId = 'nodeId' in d && typeof d.nodeId === 'string' ? d.nodeId : undefined;
    const field = 'field' in d && typeof d.field === 'string' ? d.field : undefined;
    return [{ nodeId, field, message: d.message }];
  });
}

/** Mark each node with its problems (or none). */
export const withProblems = (nodes: readonly EditorNode[], byNode: Map<string, string[]>): EditorNode[] =>
  nodes.map((n) => ({ ...n, data: { ...n.data, problems: byNode.get(n.id) } }));

/** Mark each node with the server's credential flags (or none). */
export const withFlags = (nodes: readonly EditorNode[], flags: readonly FlowProblem[]): EditorNode[] =>
  nodes.map((n) => {
    const mine = flags.filter((f) => f.nodeId === n.id).map((f) => `${f.field}: ${f.message}`);
    return { ...n, data: { ...n.data, flags: mine.length ? mine : undefined } };
  });

/** Set one node's live status (from a run's server-sent events); the other nodes keep theirs. */
export const withNodeStatus = (nodes: readonly EditorNode[], nodeId: string, status: string | undefined, runNote?: string): EditorNode[] =>
  nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, status, runError: undefined, runNote } } : n));

/** A test run has started: every node is `queued` until its own events arrive. */
export const withAllQueued = (nodes: readonly EditorNode[]): EditorNode[] =>
  nodes.map((n) => ({ ...n, data: { ...n.data, status: 'queued', runError: undefined, runNote: undefined } }));

/** Mark each node with its step's status from an execution; nodes the run never reached get none. */
export function withStatuses(nodes: readonly EditorNode[], steps: readonly StepRecord[] | undefined): EditorNode[] {
  const byId = new Map(rollUp(steps ?? []).map((s) => [s.nodeId, s]));
  return nodes.map((n) => {
    const step = byId.get(n.id);
    // A node run once per item after a split shows its counts ("12 ✓ 1 ✗"); a node that did not run says why
    // ("not reached: check took `invalid`", or the failure that canceled it).
    const runNote = step?.items ? countsNote(step.items) : step?.reason ?? (step && step.status !== 'retrying' ? attemptsNote(step.attempts) : undefined);
    const runError = step?.error && !step.items ? `${step.error.code}: ${step.error.message}` : undefined;
    return { ...n, data: { ...n.data, status: step?.status, runError, runNote } };
  });
}

/** What a node received in a run: its single upstream's output, or a map of upstream id → output. */
export function inputOf(nodeId: string, edges: readonly EditorEdge[], steps: readonly StepRecord[]): unknown {
  const from = edges.filter((e) => e.target === nodeId).map((e) => e.source);
  const outputs = from.map((src) => [src, steps.find((s) => s.nodeId === src)?.output] as const);
  if (outputs.length === 1) return outputs[0][1];
  return Object.fromEntries(outputs);
}

/** Mark the edges a run took: the source left by that port and the target ran. */
export function withTakenPath(edges: readonly EditorEdge[], steps: readonly StepRecord[] | undefined): EditorEdge[] {
  const byId = new Map(rollUp(steps ?? []).map((s) => [s.nodeId, s]));
  return edges.map((e) => {
    const from = byId.get(e.source);
    const to = byId.get(e.target);
    const port = e.sourceHandle ?? DEFAULT_PORT;
    const taken = (from?.port === port || (from?.ports?.includes(port) ?? false)) && to !== undefined && to.status !== 'skipped';
    return { ...e, className: taken ? 'taken' : undefined, animated: taken };
  });
}
