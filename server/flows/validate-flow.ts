/** Save-time validation of a flow document: shape, one trigger, known types, params, edges, no cycles. */
import { Value } from '@sinclair/typebox/value';
import type { NodeRegistry } from '../../nodes/registry.js';
import { PartialRetrySchema } from '../../nodes/schema.js';
import { topoOrder } from '../runner/planner.js';
import type { FlowInput, FlowNodeDoc, FlowEdgeDoc } from './flow-doc.js';
import type { ParamsValidator } from './params-validator.js';
import { tooDeepParams } from './param-depth.js';

export interface FlowProblem {
  nodeId?: string;
  field: string;
  message: string;
}

const ID = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const MAX_NODES = 500;
const MAX_EDGES = 2000;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Returns the problems (empty = valid) and the normalised input. Nothing is written here. */
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
  const nodes = raw.nodes.map((n, i) => checkNode(n, i, registry, params, problems)).filter((n): n is FlowNodeDoc => n !== undefined);
  if (problems.length) return { problems };
  const ids = new Set<string>();
  for (const n of nodes) {
    if (ids.has(n.id)) problems.push({ nodeId: n.id, field: 'id', message: `duplicate node id "${n.id}"` });
    ids.add(n.id);
  }
  const triggers = nodes.filter((n) => registry.get(n.type)?.category === 'trigger');
  if (triggers.length !== 1)
    problems.push({ field: 'nodes', message: `a flow needs exactly one trigger node, found ${triggers.length}` });
  const edges = edgesRaw.map((e, i) => checkEdge(e, i, nodes, registry, problems)).filter((e): e is FlowEdgeDoc => e !== undefined);
  if (triggers.length === 1 && edges.some((e) => e.to === triggers[0].id))
    problems.push({ nodeId: triggers[0].id, field: 'edges', message: 'the trigger cannot have incoming edges' });
  if (problems.length === 0) {
    try {
      topoOrder(nodes.map((n) => n.id), edges);
    } catch (e) {
      const nodeId = /"([^"]+)"/.exec((e as Error).message)?.[1];
      problems.push({ nodeId, field: 'edges', message: `the flow must not loop: ${(e as Error).message}` });
    }
  }
  if (problems.length) return { problems };
  return { problems, input: { name: (raw.name as string).trim(), active: raw.active as boolean | undefined, nodes, edges } };
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
  return { id, type: type.type, name, position, params, retry: n.retry as FlowNodeDoc['retry'], timeoutMs: n.timeoutMs as number | undefined };
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
  const ports = [...(registry.get(from.type)?.ports ?? []), 'error'];
  if (typeof port !== 'string' || !ports.includes(port)) {
    out.push({ nodeId: from.id, field: `edges[${i}].fromPort`, message: `node "${from.id}" has no port "${String(port)}" (ports: ${ports.join(', ')})` });
    return undefined;
  }
  return e.fromPort === undefined ? { from: e.from, to: e.to } : { from: e.from, fromPort: port, to: e.to };
}
