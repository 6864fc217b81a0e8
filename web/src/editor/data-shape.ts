/** PURE: what the node details view shows of a value: a page of a long array, a table, a schema tree with the path of every field. */
import { jsonPreview } from '../json-preview.js';
import { describeValue, keySegment } from './template-paths.js';

export const PAGE_SIZE = 25;
const MAX_COLUMNS = 30;
const MAX_TREE = 500;

export interface Paged { items: unknown[]; offset: number; total: number }

/** A page of `value` when it is an array (0-based page), else undefined. */
export function pageOf(value: unknown, page: number, size = PAGE_SIZE): Paged | undefined {
  if (!Array.isArray(value)) return undefined;
  const last = Math.max(0, Math.ceil(value.length / size) - 1);
  const p = Math.min(Math.max(0, page), last);
  return { items: value.slice(p * size, p * size + size), offset: p * size, total: value.length };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Columns and rows of a table: object items by their keys (first seen first), other items as one `value` column. */
export function tableOf(items: readonly unknown[]): { columns: string[]; rows: unknown[][] } {
  const columns: string[] = [];
  for (const it of items) {
    if (!isRecord(it)) { if (!columns.includes('value')) columns.push('value'); continue; }
    for (const k of Object.keys(it)) if (!columns.includes(k) && columns.length < MAX_COLUMNS) columns.push(k);
  }
  return { columns, rows: items.map((it) => columns.map((c) => (isRecord(it) ? it[c] : c === 'value' ? it : undefined))) };
}

/** A cell as short text: strings as they are, other values as clipped JSON. */
export function cellText(v: unknown, max = 80): string {
  if (v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** `base` + key as a template path, or undefined when no template can reach that key. */
export function childPath(base: string, key: string | number): string | undefined {
  if (typeof key === 'number') return `${base}[${key}]`;
  const seg = keySegment(key);
  return seg === undefined ? undefined : base + seg;
}

export interface TreeRow { path: string; key: string; depth: number; kind: string; sample: string }

/** Every field of `value` as a row (arrays by their first item), each with its template path under `base`. */
export function schemaRows(value: unknown, base: string, depth = 0, out: TreeRow[] = []): TreeRow[] {
  if (out.length >= MAX_TREE) return out;
  const children: Array<[string | number, unknown]> = Array.isArray(value) ? (value.length ? [[0, value[0]]] : [])
    : isRecord(value) ? Object.entries(value) : [];
  for (const [k, v] of children) {
    const path = childPath(base, k);
    if (path === undefined) continue;
    const kind = v === null ? 'null' : Array.isArray(v) ? `array (${v.length})` : typeof v === 'object' ? 'object' : typeof v;
    out.push({ path, key: typeof k === 'number' ? `[${k}]` : k, depth, kind, sample: isRecord(v) || Array.isArray(v) ? '' : describeValue(v) });
    schemaRows(v, path, depth + 1, out);
  }
  return out;
}

/** JSON text, cut at `max` characters so a huge value cannot freeze the page. */
export function jsonText(v: unknown, max = 200_000): { text: string; cut: boolean } {
  return jsonPreview(v, max); // the start only is written: a 5 MB value costs what its first 200 000 characters do
}
