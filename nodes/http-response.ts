/** What the http node makes of a response: the captured output, and the status rules (2xx ok, 408/429/5xx retry, rest fail). */
import { NodeError, type HttpResponse } from './contract.js';

/** The `http` node's output. `bodyEncoding: 'base64'` marks a binary body. */
export interface HttpOutput {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON for a JSON content type, text for textual ones, base64 for binary, null when empty. */
  body: unknown;
  bodyEncoding?: 'base64';
}

const TEXTUAL = new Set(['application/xml', 'application/x-www-form-urlencoded', 'application/javascript', 'application/ecmascript']);

export function decodeResponse(res: HttpResponse): HttpOutput {
  const base = { status: res.status, headers: res.headers };
  if (res.body.byteLength === 0) return { ...base, body: null };
  const type = (res.headers['content-type'] ?? '').toLowerCase();
  const mime = type.split(';')[0].trim();
  const isJson = mime === 'application/json' || mime.endsWith('+json');
  const isText = isJson || mime.startsWith('text/') || mime.endsWith('+xml') || TEXTUAL.has(mime) || /;\s*charset=/.test(type);
  const text = isText ? new TextDecoder('utf-8').decode(res.body) : mime === '' ? strictUtf8(res.body) : undefined;
  if (text === undefined) return { ...base, body: Buffer.from(res.body).toString('base64'), bodyEncoding: 'base64' };
  if (!isJson) return { ...base, body: text };
  try {
    return { ...base, body: JSON.parse(text) as unknown };
  } catch {
    return { ...base, body: text }; // a server that mislabels its body still gets its text captured
  }
}

function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The failure a non-2xx status means, or undefined for 2xx. 408, 429 and 5xx are retryable and carry the
 * server's `Retry-After` (508 Loop Detected excepted); 410 is `http_gone` (the receiver asks us to stop); other statuses are permanent.
 */
export function statusError(out: HttpOutput, nowMs: number): NodeError | undefined {
  const { status } = out;
  if (status >= 200 && status < 300) return undefined;
  const details = { status, body: snippet(out.body) };
  if (status >= 300 && status < 400) {
    return new NodeError('http_redirect', `the server answered ${status} (a redirect); redirects are followed only with followRedirects`, { retryable: false, status, details });
  }
  if (status === 410) return new NodeError('http_gone', 'the server answered 410 Gone: the endpoint no longer accepts deliveries', { retryable: false, status, details });
  // 508 Loop Detected (Hookflow's own loop guard, H-17) will answer the same next time: permanent.
  const retry = status === 408 || status === 429 || (status >= 500 && status < 600 && status !== 508);
  const retryAfterMs = retry ? parseRetryAfter(out.headers['retry-after'], nowMs) : undefined;
  return new NodeError(`http_status_${status}`, `the server answered ${status}`, { retryable: retry, status, retryAfterMs, details });
}

const snippet = (body: unknown): unknown => {
  const text = typeof body === 'string' ? body : JSON.stringify(body) ?? null;
  return typeof text === 'string' && text.length > 1000 ? `${text.slice(0, 1000)}…` : text;
};

/** `Retry-After` as delta-seconds or an HTTP-date, in ms from `nowMs`; garbage → undefined (the normal backoff applies). */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  // Only an HTTP-date (it names a day or month); Date.parse alone would take "1.5" or "-5".
  if (!/^[A-Za-z]{3},? /.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
