/** How the http node builds its request: the URL check, the body bytes, the user's headers and the signature headers. */
import { permanent, type NodeContext } from './contract.js';
import { HOP_HEADER } from './hops.js';
import { signHmac, signStandardWebhooks, type HmacAlgorithm, type SignatureEncoding } from './webhook-signing.js';

export interface SigningParams {
  kind: 'none' | 'standard-webhooks' | 'hmac';
  credentialId?: string;
  header?: string;
  algorithm?: HmacAlgorithm;
  encoding?: SignatureEncoding;
  prefix?: string;
}

/** Header names the transport owns: framing and connection control, and the loop guard's hop count (H-17), are never taken from params. */
export const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', HOP_HEADER,
]);

/** Largest request body the node sends. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** The URL if it is an absolute http(s) URL, else a permanent `invalid_url` (file:, ftp:, data:, javascript: …). */
export function checkUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw permanent('invalid_url', 'params.url is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw permanent('invalid_url', `params.url has the scheme "${url.protocol}"; only http and https are allowed`);
  }
  return url.href;
}

/** Objects, arrays, numbers, booleans and null go as JSON; a string goes as it is; no body param, no body. */
export function encodeBody(method: string, body: unknown): { bytes?: Uint8Array; contentType?: string } {
  if (body === undefined) return {};
  if (method === 'GET') throw permanent('invalid_params', 'params.body: a GET request carries no body');
  const isText = typeof body === 'string';
  const bytes = new TextEncoder().encode(isText ? body : JSON.stringify(body));
  if (bytes.byteLength > MAX_REQUEST_BYTES) throw permanent('invalid_params', `params.body is larger than ${MAX_REQUEST_BYTES} bytes`);
  return { bytes, contentType: isText ? 'text/plain; charset=utf-8' : 'application/json' };
}

/** The user's headers with lower-cased names and string values; CR, LF and NUL are refused (header injection). */
export function userHeaders(headers: Record<string, string | number | boolean> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    const text = String(value);
    if (RESERVED_HEADERS.has(lower)) throw permanent('invalid_params', `params.headers.${name} is set by the transport, not by params`);
    if (/[\r\n\0]/.test(text)) throw permanent('invalid_params', `params.headers.${name} contains CR, LF or NUL`);
    out[lower] = text;
  }
  return out;
}

/** Signature headers for this attempt; the secret comes from the named credential and never leaves this function. */
export async function signingHeaders(ctx: NodeContext, s: SigningParams | undefined, body: Uint8Array): Promise<Record<string, string>> {
  if (s === undefined || s.kind === 'none') return {};
  if (!s.credentialId) throw permanent('invalid_params', 'params.signing.credentialId is required to sign');
  if (!ctx.credentials) throw permanent('capability_missing', 'no credential store is available to this node');
  const data = await ctx.credentials.read(s.credentialId, s.kind);
  const secret = typeof data.secret === 'string' ? data.secret.trim() : '';
  try {
    if (s.kind === 'standard-webhooks') {
      return signStandardWebhooks(secret, ctx.idempotencyKey, ctx.clock.now() / 1000, body);
    }
    // Several lines = several active secrets (rotation): the first one signs.
    const current = secret.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
    const header = (s.header ?? 'x-signature').toLowerCase();
    return signHmac(current, body, { header, algorithm: s.algorithm ?? 'sha256', encoding: s.encoding ?? 'hex', prefix: s.prefix ?? '' });
  } catch (e) {
    // The message names the problem, never the secret.
    throw permanent('credential_invalid', `credential ${s.credentialId} cannot sign: ${(e as Error).message}`);
  }
}
