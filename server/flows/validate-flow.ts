/** Save-time validation of a flow document: shape, one trigger, known types, params, edges, no cycles. */
import { Value } from '@sinclair/typebox/value';
import type { NodeRegistry } from '../../nodes/registry.js';
import { PartialRetrySchema } from '../../nodes/schema.js';
import { topoOrder } from '../runner/planner.js';
import type { FlowInput, FlowNodeDoc, FlowEdgeDoc, FlowNoteDoc, FlowSettings } from './flow-doc.js';
import type { ParamsValidator } from './params-validator.js';
import { tooDeepParams } from './param-depth.js';
import { findLoops } from '../runner/items.js';
import { loopNodes } from './compile-flow.js';

export interface FlowProblem {
  nodeId?: string;
  field: string;
  message: string;
  /** Code that does not compile: where, in the field's own lines (1-based). */
  line?: number;
  column?: number;
}

const ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const MAX_NODES = 500;
const MAX_EDGES = 2000;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Returns every problem found (empty = valid) and the normalised input. Nothing is written here. Problems of
 * different kinds (params, edges, triggers, notes) are reported together, so an editor can list them all at once.
 */
export function validateFlow(raw: unknown, registry: NodeRegistry, params: ParamsValidator): { problems: FlowProblem[]; input?: FlowInput } {
  if (!isObject(raw)) return { problems: [{ field: 'body', message: 'must be a JSON object' }] };
  const problems: FlowProblem[] = [];
  if (typeof raw.name !== 'string' || raw.name.trim() === '' || raw.name.length > 200)
    problems.push({ field: 'name', message: 'must be a non-empty string of at most 200 characters' });
  if (raw.active !== undefined && typeof raw.active !== 'boolean') problems.push({ field: 'active', message: 'must be a boolean' });
  if (!Array.isArray(raw.nodes) || raw.nodes.length === 0 || raw.nodes.length > MAX_NODES)
    return { problems: [...problems, { field: 'nodes', message: `must be an array of 1 to ${MAX_NODES} nodes` }] };
  const edgesRaw = raw.edges === undefined ? [] : raw.edges;
  if (!Array.isArray(edgesRaw) || edgesRaw.length > MAX_EDGES)
    return { problems: [...problems, { field: 'edges', message: `must be an array of at most ${MAX_EDGES} edges` }] };
  const notes = checkNotes(raw.notes, problems);
  const settings = checkSettings(raw.settings, problems);
  const nodes = raw.nodes.map((n, i) => checkNode(n, i, registry, params, problems)).filter((n): n is FlowNodeDoc => n !== undefined);
  const ids = new Set<string>();
  for (const n of nodes) {
    if (ids.has(n.id)) problems.push({ nodeId: n.id, field: 'id', message: `duplicate node id "${n.id}"` });
    ids.add(n.id);
  }
  const triggers = nodes.filter((n) => registry.get(n.type)?.category === 'trigger');
  if (triggers.length !== 1 && nodes.length === raw.nodes.length) {
    const extra = triggers.length > 1 ? triggers[1].id : undefined;
    problems.push({ nodeId: extra, field: 'nodes', message: `a flow needs exactly one trigger node, found ${triggers.length}` });
  }
  for (const t of triggers) if (t.disabled) problems.push({ nodeId: t.id, field: 'disabled', message: 'the trigger cannot be disabled' });
  const edgeProblems: FlowProblem[] = [];
  const edges = edgesRaw.map((e, i) => checkEdge(e, i, nodes, registry, edgeProblems)).filter((e): e is FlowEdgeDoc => e !== undefined);
  if (nodes.length < raw.nodes.length) edgeProblems.splice(0, edgeProblems.length, ...edgeProblems.filter((p) => !/dangling edge/.test(p.message)));
  for (const t of triggers) {
    if (edges.some((e) => e.to === t.id)) edgeProblems.push({ nodeId: t.id, field: 'edges', message: 'the trigger cannot have incoming edges' });
  }
  problems.push(...edgeProblems);
  // A loop is looked for only in a graph that is otherwise sound (unique ids, every edge fine).
  if (edgeProblems.length === 0 && ids.size === nodes.length) {
    try {
      topoOrder(nodes.map((n) => n.id), edges);
    } catch (e) {
      const nodeId = /"([^"]+)"/.exec((e as Error).message)?.[1];
      problems.push({ nodeId, field: 'edges', message: `the flow must not loop: ${(e as Error).message}` });
    }
  }
  if (problems.length === 0) for (const p of findLoops(loopNodes(nodes, registry), edges).problems) problems.push({ nodeId: p.nodeId, field: 'edges', message: p.message });
  if (problems.length) return { problems };
  const input: FlowInput = { name: (raw.name as string).trim(), active: raw.active as boolean | undefined, nodes, edges };
  if (notes.length) input.notes = notes;
  if (settings) input.settings = settings;
  return { problems, input };
}

const FLOW_ID = /^flw_[A-Za-z0-9_-]{1,64}$/;

/** `settings: { onError? }`: the error flow is named by id (it must exist: checked by the flow service). */
function checkSettings(raw: unknown, out: FlowProblem[]): FlowSettings | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) { out.push({ field: 'settings', message: 'must be an object' }); return undefined; }
  const unknown = Object.keys(raw).filter((k) => k !== 'onError');
  if (unknown.length > 0) { out.push({ field: `settings.${unknown[0]}`, message: 'is not a flow setting (known: onError)' }); return undefined; }
  if (raw.onError === undefined || raw.onError === '') return undefined;
  if (typeof raw.onError !== 'string' || !FLOW_ID.test(raw.onError)) { out.push({ field: 'settings.onError', message: 'must be a flow id (flw_…)' }); return undefined; }
  return { onError: raw.onError };
}

const MAX_NOTES = 200;
const MAX_NOTE_TEXT = 10_000;
/** Pinned sample input is for the editor; it is kept small so flow documents stay small. */
export const MAX_PINNED_BYTES = 256 * 1024;

const isPoint = (v: unknown): v is { x: number; y: number } =>
  isObject(v) && Number.isFinite(v.x) && Number.isFinite(v.y);
const isSize = (v: unknown): v is { width: number; height: number } =>
  isObject(v) && typeof v.width === 'number' && typeof v.height === 'number' && v.width >= 40 && v.width <= 4000 && v.height >= 30 && v.height <= 4000;

/** Sticky notes: `{ id, text, position, size? }`, at most 200. */
function checkNotes(raw: unknown, out: FlowProblem[]): FlowNoteDoc[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > MAX_NOTES) { out.push({ field: 'notes', message: `must be an array of at most ${MAX_NOTES} notes` }); return []; }
  const notes: FlowNoteDoc[] = [];
  raw.forEach((n, i) => {
    const at = `notes[${i}]`;
    if (!isObject(n) || typeof n.id !== 'string' || !ID.test(n.id)) { out.push({ field: `${at}.id`, message: 'must match ^[A-Za-z][A-Za-z0-9_-]{0,63}$' }); return; }
    if (typeof n.text !== 'string' || n.text.length > MAX_NOTE_TEXT) { out.push({ field: `${at}.text`, message: `must be a string of at most ${MAX_NOTE_TEXT} characters` }); return; }
    if (!isPoint(n.position)) { out.push({ field: `${at}.position`, message: 'must be {x, y} with numbers' }); return; }
    if (n.size !== undefined && !isSize(n.size)) { out.push({ field: `${at}.size`, message: 'must be {width: 40–4000, height: 30–4000}' }); return; }
    const note: FlowNoteDoc = { id: n.id, text: n.text, position: { x: n.position.x, y: n.position.y } };
    if (n.size !== undefined) note.size = { width: n.size.width, height: n.size.height };
    notes.push(note);
  });
  return notes;
}

function checkNode(n: unknown, i: number, registry: NodeRegistry, pv: ParamsValidator, out: FlowProblem[]): FlowNodeDoc | undefined {
  if (!isObject(n)) { out.push({ field: `nodes[${i}]`, message: 'must be an object' }); return undefined; }
  const id = typeof n.id === 'string' && ID.test(n.id) ? n.id : undefined;
  if (!id) { out.push({ field: `nodes[${i}].id`, message: 'must match ^[A-Za-z][A-Za-z0-9_-]{0,63}$' }); return undefined; }
  const type = typeof n.type === 'string' ? registry.get(n.type) : undefined;
  if (!type) { out.push({ nodeId: id, field: 'type', message: `unknown node type "${String(n.type)}"` }); return undefined; }
  const params = n.params === undefined ? {} : n.params;
  if (!isObject(params)) { out.push({ nodeId: id, field: 'params', message: 'must be an object' }); return undefined; }
  const deep = tooDeepParams(params);
  if (deep.length > 0) { for (const p of deep) out.push({ nodeId: id, ...p }); return undefined; }
  const before = out.length;
  for (const p of pv.checkSaved(type.params, params)) out.push({ nodeId: id, field: `params.${p.field}`, message: p.message });
  if (out.length === before && type.check) for (const p of type.check(params as never)) out.push({ nodeId: id, field: `params.${p.field}`, message: p.message });
  if (n.retry !== undefined && !Value.Check(PartialRetrySchema, n.retry)) {
    const first = [...Value.Errors(PartialRetrySchema, n.retry)][0];
    out.push({ nodeId: id, field: `retry${first?.path.replace(/\//g, '.') ?? ''}`, message: first?.message ?? 'is invalid' });
  }
  if (n.timeoutMs !== undefined && !(Number.isInteger(n.timeoutMs) && (n.timeoutMs as number) >= 1 && (n.timeoutMs as number) <= 3_600_000))
    out.push({ nodeId: id, field: 'timeoutMs', message: 'must be an integer from 1 to 3600000' });
  const position = isObject(n.position) && typeof n.position.x === 'number' && typeof n.position.y === 'number'
    ? { x: n.position.x, y: n.position.y } : undefined;
  const name = typeof n.name === 'string' ? n.name.slice(0, 200) : undefined;
  const doc: FlowNodeDoc = { id, type: type.type, name, position, params, retry: n.retry as FlowNodeDoc['retry'], timeoutMs: n.timeoutMs as number | undefined };
  if (n.disabled !== undefined && typeof n.disabled !== 'boolean') out.push({ nodeId: id, field: 'disabled', message: 'must be a boolean' });
  else if (n.disabled === true) doc.disabled = true;
  if (n.pinnedInput !== undefined) {
    const bytes = Buffer.byteLength(JSON.stringify(n.pinnedInput) ?? '');
    if (bytes > MAX_PINNED_BYTES) out.push({ nodeId: id, field: 'pinnedInput', message: `is ${bytes} bytes of JSON; at most ${MAX_PINNED_BYTES} are kept` });
    else doc.pinnedInput = n.pinnedInput;
  }
  return doc;
}

function checkEdge(e: unknown, i: number, nodes: FlowNodeDoc[], registry: NodeRegistry, out: FlowProblem[]): FlowEdgeDoc | undefined {
  if (!isObject(e) || typeof e.from !== 'string' || typeof e.to !== 'string') {
    out.push({ field: `edges[${i}]`, message: 'must be an object with string "from" and "to"' });
    return undefined;
  }
  const from = nodes.find((n) => n.id === e.from);
  if (!from) { out.push({ field: `edges[${i}].from`, message: `dangling edge: no node "${e.from}"` }); return undefined; }
  if (!nodes.some((n) => n.id === e.to)) { out.push({ field: `edges[${i}].to`, message: `dangling edge: no node "${e.to}"` }); return undefined; }
  if (e.from === e.to) { out.push({ nodeId: e.from, field: `edges[${i}]`, message: 'a node cannot connect to itself' }); return undefined; }
  const port = e.fromPort === undefined ? 'out' : e.fromPort;
  const type = registry.get(from.type);
  const ports = [...(type?.portsFrom ? safePorts(type.portsFrom, from.params) : type?.ports ?? []), 'error'];
  if (typeof port !== 'string' || !ports.includes(port)) {
    out.push({ nodeId: from.id, field: `edges[${i}].fromPort`, message: `node "${from.id}" has no port "${String(port)}" (ports: ${ports.join(', ')})` });
    return undefined;
  }
  return e.fromPort === undefined ? { from: e.from, to: e.to } : { from: e.from, fromPort: port, to: e.to };
}

/** Dynamic ports from params that already passed the schema; a throwing `portsFrom` (bad params) gives none. */
function safePorts(portsFrom: (p: never) => string[], params: Record<string, unknown>): string[] {
  try {
    return portsFrom(params as never);
  } catch {
    return [];
  }
}
