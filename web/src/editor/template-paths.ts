/** PURE: the `{{ path }}` look-ups a node's templates can use (from the last test run's data), filtered as the user types. */

/** One completion: the path to insert and a short description of the value found there. */
export interface PathSuggestion {
  path: string;
  detail: string;
}

export interface PathCaps {
  /** Levels below a root that are listed. @default 6 */
  maxDepth: number;
  /** Paths listed in all. @default 400 */
  maxPaths: number;
}
export const DEFAULT_CAPS: PathCaps = { maxDepth: 6, maxPaths: 400 };

/** What a node's templates can see: the runner's scope is `input`, `trigger` and `nodes.<id>` (server/runner/templates.ts). */
export interface ScopeSample {
  /** The trigger envelope of the last test run, if any. */
  trigger?: unknown;
  /** What this node received in the last test run, if it got that far. */
  input?: unknown;
  /** Upstream node ids, nearest first: their outputs are `nodes.<id>` once they ran. */
  upstream: readonly string[];
  /** Outputs of upstream nodes in the last test run. */
  outputs: Readonly<Record<string, unknown>>;
}

const TRIGGER_FIELDS = ['method', 'headers', 'query', 'body', 'receivedAt', 'eventId'];
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** How `key` is written after its parent path: `.key`, `["k.ey"]`, or `undefined` when no template can reach it. */
export function keySegment(key: string): string | undefined {
  if (key === '' || FORBIDDEN.has(key) || /[{}]/.test(key) || key.trim() !== key) return undefined;
  if (!/[.[\]]/.test(key)) return `.${key}`;
  if (!key.includes('"')) return `["${key}"]`;
  if (!key.includes("'")) return `['${key}']`;
  return undefined;
}

/** A short, plain-text description of a value: its kind and a clipped preview. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `array (${v.length})`;
  switch (typeof v) {
    case 'string': return `"${v.length > 24 ? `${v.slice(0, 24)}…` : v}"`;
    case 'number': case 'boolean': return String(v);
    case 'object': return `object (${Object.keys(v).length} keys)`;
    default: return typeof v;
  }
}

/** Appends `base` and every path below it in `value` (arrays by their first item), within the caps. */
export function collectPaths(value: unknown, base: string, out: PathSuggestion[], caps: PathCaps = DEFAULT_CAPS, depth = 0): void {
  if (out.length >= caps.maxPaths) return;
  out.push({ path: base, detail: describeValue(value) });
  if (depth >= caps.maxDepth || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    if (value.length > 0) collectPaths(value[0], `${base}[0]`, out, caps, depth + 1);
    return;
  }
  for (const key of Object.keys(value)) {
    const seg = keySegment(key);
    if (seg === undefined) continue;
    if (out.length >= caps.maxPaths) return;
    collectPaths((value as Record<string, unknown>)[key], base + seg, out, caps, depth + 1);
  }
}

/**
 * Every path a node's template can use: the roots always (so there is something to pick before any run),
 * and, from the last test run, the paths inside the trigger, the node's input and its upstream nodes' outputs.
 */
export function scopeSuggestions(s: ScopeSample, caps: PathCaps = DEFAULT_CAPS): PathSuggestion[] {
  const out: PathSuggestion[] = [];
  if (s.input !== undefined) collectPaths(s.input, 'input', out, caps);
  else out.push({ path: 'input', detail: 'what this node receives' });
  if (s.trigger !== undefined) collectPaths(s.trigger, 'trigger', out, caps);
  else {
    out.push({ path: 'trigger', detail: 'the webhook request' });
    for (const f of TRIGGER_FIELDS) out.push({ path: `trigger.${f}`, detail: 'of the webhook request' });
  }
  for (const id of s.upstream) {
    const seg = keySegment(id);
    if (seg === undefined) continue;
    if (Object.hasOwn(s.outputs, id)) collectPaths(s.outputs[id], `nodes${seg}`, out, caps);
    else out.push({ path: `nodes${seg}`, detail: 'output of an upstream node' });
  }
  const seen = new Set<string>();
  return out.filter((x) => (seen.has(x.path) ? false : (seen.add(x.path), true)));
}

/** Paths that start with `query` first (case-insensitive), then those that contain it; at most `limit`. */
export function filterSuggestions(all: readonly PathSuggestion[], query: string, limit = 50): PathSuggestion[] {
  const q = query.trim().toLowerCase();
  if (q === '') return all.slice(0, limit);
  const starts = all.filter((s) => s.path.toLowerCase().startsWith(q));
  const contains = all.filter((s) => !s.path.toLowerCase().startsWith(q) && s.path.toLowerCase().includes(q));
  return [...starts, ...contains].slice(0, limit);
}

/** Ids of the nodes upstream of `nodeId` (breadth first, nearest first), following edges backwards. */
export function upstreamOf(nodeId: string, edges: readonly { source: string; target: string }[]): string[] {
  const seen = new Set<string>([nodeId]);
  const order: string[] = [];
  for (let queue = [nodeId]; queue.length > 0;) {
    const next: string[] = [];
    for (const id of queue) {
      for (const e of edges) {
        if (e.target !== id || seen.has(e.source)) continue;
        seen.add(e.source);
        order.push(e.source);
        next.push(e.source);
      }
    }
    queue = next;
  }
  return order;
}

/** An unclosed `{{` before the caret: where the typed path starts and what has been typed of it. */
export interface OpenTemplate {
  from: number;
  query: string;
}

/** The template the caret is in, when the text between the last `{{` and the caret holds no `}}` or brace. */
export function openTemplateAt(text: string, caret: number): OpenTemplate | undefined {
  const before = text.slice(0, caret);
  const open = before.lastIndexOf('{{');
  if (open < 0) return undefined;
  const typed = before.slice(open + 2);
  if (/[{}]/.test(typed)) return undefined;
  const lead = typed.length - typed.trimStart().length;
  return { from: open + 2 + lead, query: typed.slice(lead) };
}

/**
 * Puts `path` in place of the template's old content (what was typed, and the rest up to a closing `}}` when
 * one follows) and closes it as `{{ path }}`; the caret lands after the closing braces.
 */
export function acceptSuggestion(text: string, caret: number, open: OpenTemplate, path: string): { text: string; caret: number } {
  const head = text.slice(0, open.from);
  const pad = head.endsWith('{{') ? ' ' : '';
  const rest = text.slice(caret);
  const closing = /^[^{}]*\}\}/.exec(rest);
  const tail = closing ? rest.slice(closing[0].length) : rest;
  const inserted = `${pad}${path} }}`;
  return { text: head + inserted + tail, caret: head.length + inserted.length };
}
