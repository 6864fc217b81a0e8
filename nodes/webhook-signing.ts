/** Pure signing of outgoing webhooks: Standard Webhooks (`v1,<base64>` over `id.timestamp.body`) and a custom HMAC header. */
import { createHmac } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type SignatureEncoding = 'hex' | 'base64';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The HMAC key of a Standard Webhooks secret: base64 after an optional `whsec_`; undefined when malformed or empty. */
export function standardWebhooksKey(secret: string): Buffer | undefined {
  const b64 = secret.startsWith('whsec_') ? secret.slice(6) : secret;
  return b64 !== '' && BASE64.test(b64) ? Buffer.from(b64, 'base64') : undefined;
}

/**
 * The three Standard Webhooks headers for one delivery attempt. `id` must stay the same across retries
 * (the receiver's dedup key); `timestampSec` is the time of this attempt, so a late retry is not stale.
 * Throws TypeError on a malformed secret or an id with `.`, `,` or whitespace.
 */
export function signStandardWebhooks(secret: string, id: string, timestampSec: number, body: Uint8Array): Record<string, string> {
  const key = standardWebhooksKey(secret);
  if (key === undefined) throw new TypeError('the secret is not a base64 "whsec_…" Standard Webhooks secret');
  if (!/^[^\s.,]{1,256}$/.test(id)) throw new TypeError('the webhook id must be 1–256 characters without ".", "," or spaces');
  const timestamp = String(Math.floor(timestampSec));
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${mac}` };
}

export interface HmacSigning {
  /** Lower-case header name. */
  header: string;
  algorithm: HmacAlgorithm;
  encoding: SignatureEncoding;
  prefix: string;
}

/** `{ [header]: prefix + HMAC(secret as UTF-8, body) }` — the shape GitHub (`sha256=` + hex) or Shopify (base64) use. */
export function signHmac(secret: string, body: Uint8Array, s: HmacSigning): Record<string, string> {
  if (secret === '') throw new TypeError('the hmac secret is empty');
  const mac = createHmac(s.algorithm, Buffer.from(secret, 'utf8')).update(body).digest(s.encoding);
  return { [s.header]: `${s.prefix}${mac}` };
}
