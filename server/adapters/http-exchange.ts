/** One HTTP request/response over node:http(s) with connect and headers timeouts, a deadline and a response size cap. */
import type { ClientRequest, IncomingMessage, IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from '../runtime/node-http.js';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface ExchangeRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

export interface ExchangeLimits {
  /** Resolves and checks host names at connect time (the SSRF guard). */
  lookup: LookupFunction;
  /** From the start until the TCP connection is up (name resolution included). */
  connectTimeoutMs: number;
  /** From the connection until the response status line and headers have arrived. */
  headersTimeoutMs: number;
  /** `Date.now()` by which the whole exchange, body included, must be over. */
  deadline: number;
  maxResponseBytes: number;
  signal?: AbortSignal;
}

export interface RawResponse {
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Uint8Array;
}

export type ExchangeFailure = 'timeout' | 'too_large' | 'aborted' | 'network';

/** A failed exchange; `cause` keeps the underlying error (a blocked lookup stays recognisable). */
export class ExchangeError extends Error {
  constructor(readonly kind: ExchangeFailure, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ExchangeError';
  }
}

export function exchange(req: ExchangeRequest, lim: ExchangeLimits): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const send = req.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const cr = send(req.url, { method: req.method, headers: req.headers, lookup: lim.lookup, agent: false, setHost: true });
    let res: IncomingMessage | undefined;
    const fail = (e: Error): void => {
      watch.stop();
      reject(e);
      res?.destroy();
      cr.destroy();
    };
    const watch = watchPhases(cr, lim, fail);
    cr.on('error', (e) => fail(e instanceof ExchangeError ? e : new ExchangeError('network', e.message, e)));
    cr.on('response', (r) => {
      res = r;
      watch.responded();
      readBody(r, lim.maxResponseBytes).then((body) => {
        watch.stop();
        resolve({ status: r.statusCode ?? 0, headers: flatHeaders(r.headers), body });
      }, fail);
    });
    cr.end(req.body === undefined ? undefined : Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength));
  });
}

/** Arms the connect timer, then the headers timer, plus the deadline and the abort signal. */
function watchPhases(cr: ClientRequest, lim: ExchangeLimits, fail: (e: Error) => void) {
  const remaining = (): number => Math.max(0, lim.deadline - Date.now());
  const timeout = (what: string) => () => fail(new ExchangeError('timeout', what));
  let phase = setTimeout(timeout(`no connection within ${lim.connectTimeoutMs} ms`), Math.min(lim.connectTimeoutMs, remaining()));
  const total = setTimeout(timeout('the request did not finish before its deadline'), remaining());
  const onAbort = (): void => fail(new ExchangeError('aborted', 'the request was aborted'));
  lim.signal?.addEventListener('abort', onAbort, { once: true });
  if (lim.signal?.aborted) queueMicrotask(onAbort);
  cr.on('socket', (socket) => socket.once('connect', () => {
    clearTimeout(phase);
    phase = setTimeout(timeout(`no response headers within ${lim.headersTimeoutMs} ms`), Math.min(lim.headersTimeoutMs, remaining()));
  }));
  return {
    responded: (): void => clearTimeout(phase),
    stop: (): void => {
      clearTimeout(phase);
      clearTimeout(total);
      lim.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** Reads the body up to `max` bytes; a declared or actual size above it aborts the stream. */
function readBody(res: IncomingMessage, max: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const tooLarge = (): ExchangeError => new ExchangeError('too_large', `the response body is larger than ${max} bytes`);
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) return reject(tooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) reject(tooLarge());
      else chunks.push(chunk);
    });
    res.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks, size))));
    res.on('error', (e) => reject(new ExchangeError('network', `the response broke off: ${e.message}`, e)));
    res.on('aborted', () => reject(new ExchangeError('network', 'the response broke off')));
  });
}

function flatHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
