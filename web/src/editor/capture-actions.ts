/** PURE: what the capture actions put into the editor (sample payload and headers, the validate node and value a schema is inferred from) and display helpers. */
import type { CaptureDetail } from '../../../server/flows/capture-view.js';
import type { EditorNode } from './flow-doc.js';
import { inferSchema, type InferredSchema } from './infer-schema.js';

/** The test panel's payload text for a capture: the JSON exactly as sent, else the body as the webhook parsed it. */
export function samplePayload(c: CaptureDetail): string {
  if (c.bodyEncoding === 'utf8' && /json/i.test(c.contentType ?? '')) {
    try { JSON.parse(c.body); return c.body; } catch { /* fall through to the parsed body */ }
  }
  return JSON.stringify(c.trigger.body ?? null, null, 2);
}

/** The validate node a schema goes to: the selected one, else the first. */
export const validateTarget = (nodes: readonly EditorNode[]): EditorNode | undefined =>
  nodes.find((n) => n.selected && n.data.nodeType === 'validate') ?? nodes.find((n) => n.data.nodeType === 'validate');

/** The value at a validate node's `path` (default `body`, `""` = everything) of the request the webhook emits. */
export function valueAtPath(c: CaptureDetail, path: unknown): unknown {
  const envelope: Record<string, unknown> = { method: c.trigger.method, headers: c.trigger.headers, query: c.trigger.query, body: c.trigger.body };
  const p = typeof path === 'string' ? path : 'body';
  if (p === '') return envelope;
  let v: unknown = envelope;
  for (const key of p.split('.')) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** The schema inferred for `node` from a capture, or undefined when its path finds nothing. */
export function schemaFor(c: CaptureDetail, node: EditorNode): InferredSchema | undefined {
  const value = valueAtPath(c, node.data.params.path);
  return value === undefined ? undefined : inferSchema(value);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** `4:05` for 245 000 ms; never negative. */
export function formatLeft(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** `HH:MM:SS` (24-hour) of an ISO time, in the browser's time zone. */
export const clockTime = (iso: string): string => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** Rows for a textarea showing `text` about `cols` characters wide, long lines counted as wrapped: 2 to 10. */
export function rowsFor(text: string, cols = 42): number {
  const rows = text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(line.length / cols)), 0);
  return Math.min(10, Math.max(2, rows));
}
