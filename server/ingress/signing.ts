// server/ingress/signing.ts — the sending side of the HMAC presets: the headers a provider would send, pure; used by tests, docs samples and the http node.
import {
  computeMac, idempotencyHeaderFor, isValidWebhookId, keyFor, renderContent, resolveScheme,
} from './signature-presets.js';
import type { Scheme } from './signature-presets.js';
import type { HmacAuth } from './signature.js';

/** Standard Webhooks `webhook-signature` value (`v1,<base64>`) for a `whsec_…` secret. Throws on a bad secret or id. */
export function signStandardWebhooks(secret: string, id: string, timestampSec: number, body: string | Buffer): string {
  return signPreset({ kind: 'hmac', preset: 'standard-webhooks' }, secret, body, timestampSec, id)['webhook-signature'];
}

/**
 * The headers (lower-case names) a sender of `auth`'s preset puts on a request with body `raw` at `nowSec`.
 * `id` is required for standard-webhooks; for github and shopify it fills their delivery-id header.
 * Throws TypeError on a configuration the verifier would refuse: signing is a programmer-controlled call.
 */
export function signPreset(
  auth: HmacAuth, secret: string, raw: string | Buffer, nowSec: number, id?: string,
): Record<string, string> {
  const scheme = resolveScheme(auth);
  if (typeof scheme === 'string') throw new TypeError(scheme);
  const key = keyFor(scheme, secret);
  if (key === undefined) throw new TypeError(`the ${scheme.preset} secret is empty or not in its format`);
  if (!Number.isFinite(nowSec) || nowSec < 0) throw new TypeError('nowSec must be seconds since the epoch');
  if (scheme.idHeader !== undefined && (id === undefined || !isValidWebhookId(id))) {
    throw new TypeError('standard-webhooks needs an id of 1–256 characters without ".", "," or spaces');
  }
  const timestamp = String(Math.floor(nowSec));
  const body = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  const mac = computeMac(scheme.algorithm, key, renderContent(scheme.template, { body, timestamp, id }));
  const headers = signatureHeaders(scheme, mac, timestamp, id);
  const idHeader = idempotencyHeaderFor(scheme.preset);
  if (id !== undefined && idHeader !== undefined) headers[idHeader] = id;
  return headers;
}

function signatureHeaders(scheme: Scheme, mac: Buffer, timestamp: string, id?: string): Record<string, string> {
  if (scheme.layout === 'stripe') return { [scheme.header]: `t=${timestamp},v1=${mac.toString('hex')}` };
  if (scheme.layout === 'standard-webhooks') {
    return { 'webhook-id': id ?? '', 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${mac.toString('base64')}` };
  }
  const headers: Record<string, string> = { [scheme.header]: `${scheme.prefix}${mac.toString(scheme.encoding)}` };
  if (scheme.timestampHeader !== undefined) headers[scheme.timestampHeader] = timestamp;
  return headers;
}
