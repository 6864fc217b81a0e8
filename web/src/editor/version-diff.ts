/** PURE: what changed between two versions of a flow, in words a publish confirmation can list. Positions do not count. */
import type { FlowEdgeDoc, FlowNodeDoc } from '../api/types.js';

interface VersionDoc { nodes: readonly FlowNodeDoc[]; edges: readonly FlowEdgeDoc[] }

export interface VersionDiff {
  added: string[];
  removed: string[];
  /** Nodes whose settings changed (type, name, params, retry, timeout, disabled). */
  changed: string[];
  /** Nodes present in both whose connections (in or out, by port) changed. */
  rewired: string[];
}

/** A node's settings without its place on the canvas or its pinned sample, with keys in a stable order. */
const settingsOf = (n: FlowNodeDoc): string => stable({ type: n.type, name: n.name ?? '', params: n.params, retry: n.retry ?? null, timeoutMs: n.timeoutMs ?? null, disabled: n.disabled === true });

function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

const edgeKey = (e: FlowEdgeDoc): string => `${e.from}:${e.fromPort ?? 'out'}→${e.to}`;

/** `from` is the live (published) version, `to` the one about to be published. */
export function diffVersions(from: VersionDoc, to: VersionDoc): VersionDiff {
  const before = new Map(from.nodes.map((n) => [n.id, n]));
  const after = new Map(to.nodes.map((n) => [n.id, n]));
  const added = [...after.keys()].filter((id) => !before.has(id));
  const removed = [...before.keys()].filter((id) => !after.has(id));
  const changed = [...after.values()].filter((n) => before.has(n.id) && settingsOf(n) !== settingsOf(before.get(n.id) as FlowNodeDoc)).map((n) => n.id);
  const oldEdges = new Set(from.edges.map(edgeKey));
  const newEdges = new Set(to.edges.map(edgeKey));
  const touched = new Set<string>();
  for (const e of [...from.edges.filter((x) => !newEdges.has(edgeKey(x))), ...to.edges.filter((x) => !oldEdges.has(edgeKey(x)))]) {
    touched.add(e.from);
    touched.add(e.to);
  }
  const rewired = [...touched].filter((id) => before.has(id) && after.has(id));
  return { added, removed, changed, rewired };
}

export const isEmptyDiff = (d: VersionDiff): boolean => d.added.length + d.removed.length + d.changed.length + d.rewired.length === 0;

/** The toolbar's state at a glance: "Live v3 · draft v5, not published", "Live v5", "Not published · draft v2". */
export function publishState(published: number | null, latest: number): string {
  if (published === null) return `Not published · draft v${latest}`;
  if (published === latest) return `Live v${latest}`;
  return `Live v${published} · draft v${latest}, not published`;
}
