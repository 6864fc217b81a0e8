/** PURE: a stored capture as the API shows it (body as UTF-8 text or base64), and the request a test run of it sends. */
import { isUtf8 } from 'node:buffer';
import { parseBody } from '../ingress/parse-body.js';
import type { CaptureRow } from '../store/types.js';

/** Bodies in a list are cut at this many characters (`truncated: true`); GET …/captures/:captureId has the whole body. */
export const LIST_BODY_CHARS = 64 * 1024;

export type Query = Record<string, string | string[]>;

export interface CaptureView {
  id: string;
  receivedAt: string;
  method: string;
  query: Query;
  headers: Record<string, string>;
  contentType: string | null;
  /** Body size in bytes, as received (after Content-Encoding was undone). */
  size: number;
  /** The body as UTF-8 text, or base64 when `bodyEncoding` is `base64` (the bytes are not valid UTF-8). */
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  truncated: boolean;
  /** The flow's own inbound check on the raw bytes, as live traffic gets it; `reason` says why it failed. */
  signature: { ok: boolean; reason: string | null; kind: string; preset: string | null };
  clientAddress: string | null;
  /** The flow was active: the delivery also went the live way (and ran, if it passed every check). */
  live: boolean;
}

/** The request `POST /api/flows/:id/test` takes to run the flow on this capture; `body` parsed as the ingress parses it. */
export interface CaptureTrigger {
  method: string;
  headers: Record<string, string>;
  query: Query;
  body: unknown;
}

export interface CaptureDetail extends CaptureView {
  trigger: CaptureTrigger;
}

export function parseQuery(text: string): Query {
  const out: Query = Object.create(null) as Query;
  for (const [k, v] of new URLSearchParams(text)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export function toCaptureView(c: CaptureRow, maxChars = Infinity): CaptureView {
  const utf8 = isUtf8(c.body);
  const full = utf8 ? c.body.toString('utf8') : c.body.toString('base64');
  const truncated = full.length > maxChars;
  return {
    id: c.id, receivedAt: new Date(c.receivedAt).toISOString(), method: c.method, query: parseQuery(c.query),
    headers: c.headers, contentType: c.headers['content-type'] ?? null, size: c.body.length,
    body: truncated ? full.slice(0, maxChars) : full, bodyEncoding: utf8 ? 'utf8' : 'base64', truncated,
    signature: c.signature, clientAddress: c.client, live: c.live,
  };
}

/** Hop-by-hop and transport headers a replayed request would not carry. */
const TRANSPORT = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'content-encoding', 'keep-alive', 'accept-encoding']);

export function toCaptureDetail(c: CaptureRow): CaptureDetail {
  const view = toCaptureView(c);
  let body: unknown = null;
  try {
    body = parseBody(c.body, view.contentType ?? undefined, ['*/*']).body;
  } catch {
    body = view.bodyEncoding === 'utf8' ? view.body : { base64: view.body };
  }
  const headers = Object.fromEntries(Object.entries(c.headers).filter(([k]) => !TRANSPORT.has(k)));
  return { ...view, trigger: { method: c.method, headers, query: view.query, body } };
}
