/** PURE: the shadow replay's per-node diff as rows to show: same / changed / only in one run, with old → new values as text. */
import type { ExecutionDetail, StepRecord } from '../api/types.js';
import type { NodeDiff as NodeDiffDoc } from '../../../server/runner/shadow.js';

/** One node of `POST /api/executions/:id/replay {mode:'shadow'}`: the server's own type. */
export type { NodeDiffDoc };

export interface ShadowAnswer {
  executionId: string;
  mode: 'shadow';
  replayOf: string;
  flowVersion: number;
  recordedVersion: number;
  status: string;
  nodes: NodeDiffDoc[];
}

export type DiffKind = 'same' | 'changed' | 'only-old' | 'only-new';

export interface ChangeRow { path: string; before: string; after: string }

export interface NodeDiffRow {
  nodeId: string;
  kind: DiffKind;
  /** Side-effecting node: not executed in the shadow run, its recorded result was reused. */
  stubbed: boolean;
  /** `succeeded`, or `succeeded → failed` when the status changed; the same for the port. */
  status: string;
  port?: string;
  changes: ChangeRow[];
  /** The server lists at most 50 paths; true when that cap was reached. */
  capped: boolean;
}

const SERVER_CAP = 50;
const MAX_TEXT = 300;
/** How a value missing on one side reads. */
export const ABSENT = '(absent)';
const KIND_ORDER: Record<DiffKind, number> = { changed: 0, 'only-old': 1, 'only-new': 2, same: 3 };

/** A JSON value as one line of plain text, clipped; `undefined` reads as "(absent)". */
export function asText(v: unknown): string {
  if (v === undefined) return ABSENT;
  const s = JSON.stringify(v) ?? String(v);
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s;
}

/** Splits a diff path (`$.a.b[0]`) into its steps: keys, and `[n]` indices as numbers. */
function tokens(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.replace(/^\$/, '').matchAll(/\.([^.[]*)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/**
 * The value at a diff path. The server writes keys unquoted, so a key holding `.` spans several tokens: when a
 * token is not a key of the object, the following tokens are joined to it until one is.
 */
export function valueAtDiffPath(root: unknown, path: string): unknown {
  const ts = tokens(path);
  let cur = root;
  for (let i = 0; i < ts.length; i++) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const t = ts[i];
    if (typeof t === 'number') { cur = Array.isArray(cur) ? cur[t] : undefined; continue; }
    let key = t;
    while (!Object.hasOwn(cur, key) && typeof ts[i + 1] === 'string') key = `${key}.${String(ts[++i])}`;
    cur = Object.hasOwn(cur, key) ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return cur;
}

const pair = (a: string | undefined, b: string | undefined): string | undefined =>
  a === b ? a : `${a ?? ABSENT} → ${b ?? ABSENT}`;

function kindOf(d: NodeDiffDoc): DiffKind {
  if (!d.shadow) return 'only-old';
  if (!d.recorded) return 'only-new';
  return d.same ? 'same' : 'changed';
}

/** Rows for every node of the diff, changed ones first; values come from the two runs' step outputs. */
export function diffRows(answer: ShadowAnswer, recorded: readonly StepRecord[], shadow: readonly StepRecord[]): NodeDiffRow[] {
  const out = (steps: readonly StepRecord[], id: string) => steps.find((s) => s.nodeId === id)?.output;
  const rows = answer.nodes.map((d): NodeDiffRow => {
    const before = out(recorded, d.nodeId);
    const after = out(shadow, d.nodeId);
    return {
      nodeId: d.nodeId, kind: kindOf(d), stubbed: d.stubbed,
      status: pair(d.recorded?.status, d.shadow?.status) ?? '',
      port: pair(d.recorded?.port, d.shadow?.port),
      changes: d.changes.map((p) => ({ path: p, before: asText(valueAtDiffPath(before, p)), after: asText(valueAtDiffPath(after, p)) })),
      capped: d.changes.length >= SERVER_CAP,
    };
  });
  return rows.map((r, i) => ({ r, i })).sort((a, b) => KIND_ORDER[a.r.kind] - KIND_ORDER[b.r.kind] || a.i - b.i).map((x) => x.r);
}

/** "2 changed · 1 only in the recorded run · 3 same" */
export function diffSummary(rows: readonly NodeDiffRow[]): string {
  const n = (k: DiffKind) => rows.filter((r) => r.kind === k).length;
  const parts = [
    [n('changed'), 'changed'], [n('only-old'), 'only in the recorded run'], [n('only-new'), 'only in the shadow run'], [n('same'), 'same'],
  ] as const;
  const text = parts.filter(([c]) => c > 0).map(([c, what]) => `${c} ${what}`).join(' · ');
  return text === '' ? 'No nodes ran.' : text;
}

/** Steps of an execution, or none when it could not be read. */
export const stepsOf = (x: ExecutionDetail | null): readonly StepRecord[] => x?.steps ?? [];
