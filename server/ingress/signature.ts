// server/ingress/signature.ts — pure inbound auth check (hmac presets, basic, static header) on the raw body bytes, constant-time, never throws.
import { createHash, timingSafeEqual } from 'node:crypto';
import { computeMac, decodeStrict, isValidWebhookId, keyFor, namesIn, renderContent, resolveScheme } from './signature-presets.js';
import type { HeaderNames, Scheme } from './signature-presets.js';

export { idempotencyHeaderFor, presetHeaders } from './signature-presets.js';

export type HmacPreset = 'github' | 'stripe' | 'shopify' | 'slack' | 'standard-webhooks' | 'custom';
export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type SignatureEncoding = 'hex' | 'base64';

/** The webhook node's `auth` param for `kind: 'hmac'`; without `preset` it is `custom`. */
export interface HmacAuth {
  kind: 'hmac';
  preset?: HmacPreset;
  header?: string;
  algorithm?: HmacAlgorithm;
  encoding?: SignatureEncoding;
  prefix?: string;
  timestampHeader?: string;
  /** custom only: template over `{timestamp}` and `{body}`, default `{body}`. */
  signedContent?: string;
  toleranceSec?: number;
}

export type InboundAuth = { kind: 'none' } | HmacAuth | { kind: 'basic' } | { kind: 'header'; header?: string };

/** Decrypted credential data for one flow; `hmac` holds every secret active during a rotation. */
export interface InboundSecrets {
  hmac?: string[];
  basic?: { username: string; password: string };
  header?: { name: string; value: string };
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** Lower-cased header names; a repeated header arrives joined with ', '. */
export type InboundHeaders = Readonly<Record<string, string>>;

/** Header name for `kind: 'header'` when neither the node nor the credential names one. */
export const DEFAULT_TOKEN_HEADER = 'x-webhook-token';
/** Longer header values are refused before any parsing (real signature headers are < 1 KiB). */
export const MAX_HEADER_CHARS = 4096;

const OK: VerifyResult = Object.freeze({ ok: true });
const reject = (reason: string): VerifyResult => ({ ok: false, reason });

/** Checks one inbound request against the webhook's auth. Fails closed: any surprise is `{ ok: false }`. */
export function verifyInbound(
  auth: InboundAuth, secrets: InboundSecrets, raw: Buffer, headers: InboundHeaders, nowSec: number,
): VerifyResult {
  try {
    switch (auth.kind) {
      case 'none': return OK;
      case 'hmac': return verifyHmac(auth, secrets, raw, headers, nowSec);
      case 'basic': return verifyBasic(secrets, headers);
      case 'header': return verifyToken(auth.header, secrets, headers);
      default: return reject('unknown auth kind');
    }
  } catch {
    return reject('signature check failed');
  }
}

/** What the signature headers carried: decoded candidate MACs plus the signed timestamp and id, as sent. */
interface Signed { candidates: Buffer[]; timestamp?: string; id?: string }

function verifyHmac(
  auth: HmacAuth, secrets: InboundSecrets, raw: Buffer, headers: InboundHeaders, nowSec: number,
): VerifyResult {
  const scheme = resolveScheme(auth);
  if (typeof scheme === 'string') return reject(scheme);
  const keys = (secrets.hmac ?? []).map((s) => keyFor(scheme, s)).filter((k): k is Buffer => k !== undefined);
  if (keys.length === 0) return reject('no usable hmac secret configured');
  const signed = readSigned(scheme, headers);
  if (typeof signed === 'string') return reject(signed);
  if (signed.timestamp !== undefined) {
    const stale = checkTimestamp(signed.timestamp, nowSec, scheme.toleranceSec);
    if (stale !== undefined) return reject(stale);
  }
  const content = renderContent(scheme.template, { body: raw, timestamp: signed.timestamp, id: signed.id });
  const matches = keys.map((key) => {
    const mac = computeMac(scheme.algorithm, key, content);
    return signed.candidates.map((c) => safeEqual(mac, c)).includes(true);
  });
  return matches.includes(true) ? OK : reject('signature does not match');
}

function readSigned(scheme: Scheme, headers: InboundHeaders): Signed | string {
  // standard-webhooks: the webhook-* names, or Svix's svix-* names when the request carries those instead.
  const names = namesIn(scheme, (name) => headerValue(headers, name) !== undefined);
  const value = headerValue(headers, names.header);
  if (value === undefined) return `${names.header} header missing, empty or oversized`;
  const base = scheme.layout === 'stripe' ? readStripe(value)
    : scheme.layout === 'standard-webhooks' ? readStandardWebhooks(value, headers, names)
    : readPrefixed(scheme, value);
  if (typeof base === 'string' || names.timestampHeader === undefined) return base;
  const timestamp = headerValue(headers, names.timestampHeader);
  if (timestamp === undefined) return `${names.timestampHeader} header missing, empty or oversized`;
  return { ...base, timestamp };
}

function readPrefixed(scheme: Scheme, value: string): Signed | string {
  if (!value.startsWith(scheme.prefix)) return `${scheme.header} lacks the "${scheme.prefix}" prefix`;
  const mac = decodeStrict(value.slice(scheme.prefix.length), scheme.encoding);
  return mac === undefined ? `${scheme.header} is not ${scheme.encoding}` : { candidates: [mac] };
}

/** Stripe: `t=<unix>,v1=<hex>[,v1=<hex>…][,v0=…]`; other schemes are ignored, exactly one `t`. */
function readStripe(value: string): Signed | string {
  let timestamp: string | undefined;
  const candidates: Buffer[] = [];
  for (const item of value.split(',')) {
    const m = /^([a-z0-9_]+)=([^\s,=]+)$/.exec(item);
    if (m === null) return 'stripe-signature is malformed';
    if (m[1] === 't') {
      if (timestamp !== undefined) return 'stripe-signature has more than one t';
      timestamp = m[2];
    } else if (m[1] === 'v1') {
      const mac = decodeStrict(m[2], 'hex');
      if (mac !== undefined) candidates.push(mac);
    }
  }
  if (timestamp === undefined) return 'stripe-signature has no t';
  return candidates.length > 0 ? { candidates, timestamp } : 'stripe-signature has no v1 signature';
}

/** Standard Webhooks: space-separated `<version>,<base64>` entries; only `v1` is used, unknown versions ignored. */
function readStandardWebhooks(value: string, headers: InboundHeaders, names: HeaderNames): Signed | string {
  const idHeader = names.idHeader ?? 'webhook-id';
  const id = headerValue(headers, idHeader);
  if (id === undefined || !isValidWebhookId(id)) return `${idHeader} missing or malformed`;
  const candidates: Buffer[] = [];
  for (const entry of value.split(' ').filter((e) => e !== '')) {
    const m = /^([^,\s]+),([^,\s]+)$/.exec(entry);
    if (m === null) return `${names.header} is malformed`;
    const mac = m[1] === 'v1' ? decodeStrict(m[2], 'base64') : undefined;
    if (mac !== undefined) candidates.push(mac);
  }
  return candidates.length > 0 ? { candidates, id } : `${names.header} has no v1 signature`;
}

function checkTimestamp(text: string, nowSec: number, toleranceSec: number): string | undefined {
  if (!/^[0-9]{1,12}$/.test(text)) return 'timestamp is not an integer number of seconds';
  if (!Number.isFinite(nowSec)) return 'clock is not a number';
  return Math.abs(nowSec - Number(text)) > toleranceSec ? 'timestamp outside tolerance' : undefined;
}

function verifyBasic(secrets: InboundSecrets, headers: InboundHeaders): VerifyResult {
  const want = secrets.basic;
  if (want === undefined || typeof want.username !== 'string' || typeof want.password !== 'string'
    || want.password === '') {
    return reject('no basic credential configured');
  }
  const m = /^basic ([A-Za-z0-9+/]+={0,2})$/i.exec(headerValue(headers, 'authorization') ?? '');
  if (m === null) return reject('authorization is not Basic credentials');
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return reject('basic credentials lack a ":"');
  const userOk = digestEqual(decoded.slice(0, colon), want.username);
  const passOk = digestEqual(decoded.slice(colon + 1), want.password);
  return userOk && passOk ? OK : reject('basic credentials do not match');
}

function verifyToken(header: string | undefined, secrets: InboundSecrets, headers: InboundHeaders): VerifyResult {
  const want = secrets.header;
  if (want === undefined || typeof want.value !== 'string' || want.value === '') {
    return reject('no header token configured');
  }
  const name = (header || want.name || DEFAULT_TOKEN_HEADER).toLowerCase();
  const got = headerValue(headers, name);
  if (got === undefined) return reject(`${name} header missing, empty or oversized`);
  return digestEqual(got, want.value) ? OK : reject('token does not match');
}

/** An own, non-empty string header of sane size; anything else counts as absent. */
function headerValue(headers: InboundHeaders, name: string): string | undefined {
  if (!Object.hasOwn(headers, name)) return undefined;
  const value: unknown = headers[name];
  return typeof value === 'string' && value !== '' && value.length <= MAX_HEADER_CHARS ? value : undefined;
}

/** Constant time in the expected length; on a length mismatch compares `expected` with itself, never throws. */
function safeEqual(expected: Buffer, provided: Buffer): boolean {
  const sameLength = expected.length === provided.length;
  return timingSafeEqual(expected, sameLength ? provided : expected) && sameLength;
}

/** Equality of two strings of any length in constant time, via their SHA-256 digests. */
function digestEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
