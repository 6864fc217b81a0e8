// server/ingress/signature-presets.ts — HMAC presets as data (headers, signed bytes, key format), shared by the verifier and the signer.
import { createHmac } from 'node:crypto';
import type { HmacAlgorithm, HmacAuth, HmacPreset, SignatureEncoding } from './signature.js';

/** Replay window used when `toleranceSec` is not set (Stripe's, Slack's and Standard Webhooks' documented 5 minutes). */
export const DEFAULT_TOLERANCE_SEC = 300;
/** Signature header of the `custom` preset when `header` is not set. */
export const DEFAULT_CUSTOM_HEADER = 'x-signature';

/** How the signature header is laid out: `<prefix><mac>`, Stripe's `t=…,v1=…`, or Standard Webhooks' `v1,<b64> …`. */
export type SignatureLayout = 'prefixed' | 'stripe' | 'standard-webhooks';

/** A preset (or the custom params) resolved to every field the verifier and the signer need. */
export interface Scheme {
  preset: HmacPreset;
  layout: SignatureLayout;
  header: string;
  algorithm: HmacAlgorithm;
  encoding: SignatureEncoding;
  prefix: string;
  timestampHeader?: string;
  idHeader?: string;
  /** Signed bytes; `{body}` is the raw body, `{timestamp}` and `{id}` the header values as sent. */
  template: string;
  toleranceSec: number;
  /** `utf8`: the secret's UTF-8 bytes are the key; `whsec`: base64 after an optional `whsec_` prefix. */
  secretFormat: 'utf8' | 'whsec';
  /**
   * Another set of names for the same three headers, used when the request lacks `header` (standard-webhooks:
   * Svix's own `svix-id`, `svix-timestamp`, `svix-signature`). Same algorithm, content, tolerance and checks.
   */
  aliases?: HeaderNames;
}

/** The signature, timestamp and id header names of one naming of a scheme. */
export interface HeaderNames { header: string; timestampHeader?: string; idHeader?: string }

/** Svix's names for the Standard Webhooks headers (Svix-powered senders: Clerk, Resend, Brex, …). */
export const SVIX_HEADERS: Readonly<HeaderNames> = Object.freeze({ header: 'svix-signature', timestampHeader: 'svix-timestamp', idHeader: 'svix-id' });

type FixedPreset = Exclude<HmacPreset, 'custom'>;

const PRESETS: Readonly<Record<FixedPreset, Readonly<Omit<Scheme, 'toleranceSec'>>>> = Object.freeze({
  github: { preset: 'github', layout: 'prefixed', header: 'x-hub-signature-256', algorithm: 'sha256',
    encoding: 'hex', prefix: 'sha256=', template: '{body}', secretFormat: 'utf8' },
  stripe: { preset: 'stripe', layout: 'stripe', header: 'stripe-signature', algorithm: 'sha256',
    encoding: 'hex', prefix: '', template: '{timestamp}.{body}', secretFormat: 'utf8' },
  shopify: { preset: 'shopify', layout: 'prefixed', header: 'x-shopify-hmac-sha256', algorithm: 'sha256',
    encoding: 'base64', prefix: '', template: '{body}', secretFormat: 'utf8' },
  slack: { preset: 'slack', layout: 'prefixed', header: 'x-slack-signature', algorithm: 'sha256',
    encoding: 'hex', prefix: 'v0=', timestampHeader: 'x-slack-request-timestamp',
    template: 'v0:{timestamp}:{body}', secretFormat: 'utf8' },
  'standard-webhooks': { preset: 'standard-webhooks', layout: 'standard-webhooks', header: 'webhook-signature',
    algorithm: 'sha256', encoding: 'base64', prefix: '', timestampHeader: 'webhook-timestamp',
    idHeader: 'webhook-id', template: '{id}.{timestamp}.{body}', secretFormat: 'whsec', aliases: SVIX_HEADERS },
});

/** The provider's natural delivery id, usable as the idempotency key; undefined where the id lives only in the body. */
const DELIVERY_ID_HEADERS: Readonly<Record<HmacPreset, string | undefined>> = Object.freeze({
  github: 'x-github-delivery',
  stripe: undefined, // the event id (`evt_…`) is in the JSON body only
  shopify: 'x-shopify-event-id', // shopify.dev "Ignore duplicate webhooks" names this header as the duplicate key
  slack: undefined, // `event_id` is in the body; X-Slack-Retry-Num is not an id
  'standard-webhooks': 'webhook-id',
  custom: undefined,
});

const ALGORITHMS: readonly string[] = ['sha1', 'sha256', 'sha512'];
const ENCODINGS: readonly string[] = ['hex', 'base64'];
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
const WEBHOOK_ID = /^[^\s.,]{1,256}$/;

/** A Standard Webhooks `webhook-id`: 1–256 characters, no `.` (spec, W-8), no whitespace or `,` (a joined duplicate). */
export const isValidWebhookId = (id: string): boolean => WEBHOOK_ID.test(id);

/** Resolves `auth` to a Scheme, or returns why the configuration cannot be used. */
export function resolveScheme(auth: HmacAuth): Scheme | string {
  const toleranceSec = auth.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  if (typeof toleranceSec !== 'number' || !Number.isFinite(toleranceSec) || toleranceSec < 0) {
    return 'toleranceSec must be a number of seconds ≥ 0';
  }
  const preset = auth.preset ?? 'custom';
  if (preset === 'custom') return customScheme(auth, toleranceSec);
  if (!Object.hasOwn(PRESETS, preset)) return `unknown hmac preset "${String(preset)}"`;
  const scheme: Scheme = { ...PRESETS[preset], toleranceSec };
  if (preset !== 'github' || auth.algorithm === undefined || auth.algorithm === 'sha256') return scheme;
  if (auth.algorithm !== 'sha1') return 'the github preset supports algorithm sha256 (default) or sha1';
  return { ...scheme, header: 'x-hub-signature', algorithm: 'sha1', prefix: 'sha1=' };
}

function customScheme(auth: HmacAuth, toleranceSec: number): Scheme | string {
  const header = (auth.header ?? DEFAULT_CUSTOM_HEADER).toLowerCase();
  const timestampHeader = auth.timestampHeader?.toLowerCase();
  const algorithm = auth.algorithm ?? 'sha256';
  const encoding = auth.encoding ?? 'hex';
  const template = auth.signedContent ?? '{body}';
  if (!HEADER_NAME.test(header)) return `header "${header}" is not a valid header name`;
  if (timestampHeader !== undefined && !HEADER_NAME.test(timestampHeader)) {
    return `timestampHeader "${timestampHeader}" is not a valid header name`;
  }
  if (!ALGORITHMS.includes(algorithm)) return 'algorithm must be sha1, sha256 or sha512';
  if (!ENCODINGS.includes(encoding)) return 'encoding must be hex or base64';
  if (!template.includes('{body}')) return 'signedContent must include {body}';
  const signsTimestamp = template.includes('{timestamp}');
  if (signsTimestamp && timestampHeader === undefined) return 'signedContent uses {timestamp} but timestampHeader is not set';
  if (!signsTimestamp && timestampHeader !== undefined) return 'timestampHeader is set but signedContent does not sign {timestamp}';
  return { preset: 'custom', layout: 'prefixed', header, algorithm, encoding, prefix: auth.prefix ?? '',
    timestampHeader, template, toleranceSec, secretFormat: 'utf8' };
}

/** The HMAC key for one configured secret, or undefined if the secret is empty or not in the scheme's format. */
export function keyFor(scheme: Scheme, secret: string): Buffer | undefined {
  if (typeof secret !== 'string' || secret === '') return undefined;
  if (scheme.secretFormat === 'utf8') return Buffer.from(secret, 'utf8');
  const key = decodeStrict(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64', true);
  return key !== undefined && key.length > 0 ? key : undefined;
}

/** The exact bytes that get signed: the template's text as UTF-8, `{body}` as the raw bytes. */
export function renderContent(template: string, parts: { body: Buffer; timestamp?: string; id?: string }): Buffer {
  const pieces = template.split(/(\{body\}|\{timestamp\}|\{id\})/);
  return Buffer.concat(pieces.map((piece) => {
    if (piece === '{body}') return parts.body;
    if (piece === '{timestamp}' && parts.timestamp !== undefined) return Buffer.from(parts.timestamp, 'utf8');
    if (piece === '{id}' && parts.id !== undefined) return Buffer.from(parts.id, 'utf8');
    return Buffer.from(piece, 'utf8');
  }));
}

export const computeMac = (algorithm: HmacAlgorithm, key: Buffer, content: Buffer): Buffer =>
  createHmac(algorithm, key).update(content).digest();

/**
 * Strict decode: hex must be an even number of hex digits; base64 must be the standard alphabet and re-encode to
 * the same text (Buffer.from alone skips junk). Returns undefined instead of throwing.
 */
export function decodeStrict(text: string, encoding: SignatureEncoding, allowUnpadded = false): Buffer | undefined {
  if (encoding === 'hex') {
    return /^(?:[0-9a-fA-F]{2})+$/.test(text) ? Buffer.from(text, 'hex') : undefined;
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || (!allowUnpadded && text.length % 4 !== 0)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  const canonical = bytes.toString('base64');
  const same = allowUnpadded ? canonical.replace(/=+$/, '') === text.replace(/=+$/, '') : canonical === text;
  return same ? bytes : undefined;
}

/**
 * The header names a request uses for `scheme`: its own when the signature header is present, else the aliases
 * when theirs is (never a mix of the two: the id and timestamp come from the same naming as the signature).
 */
export function namesIn(scheme: Scheme, has: (name: string) => boolean): HeaderNames {
  if (scheme.aliases !== undefined && !has(scheme.header) && has(scheme.aliases.header)) return scheme.aliases;
  return { header: scheme.header, timestampHeader: scheme.timestampHeader, idHeader: scheme.idHeader };
}

/** Headers the verifier reads for a preset (signature, timestamp, id), for the docs generator. */
export function presetHeaders(preset: HmacPreset, auth?: Omit<HmacAuth, 'kind' | 'preset'>): string[] {
  const scheme = resolveScheme({ ...auth, kind: 'hmac', preset });
  if (typeof scheme === 'string') return [];
  return [scheme.header, scheme.timestampHeader, scheme.idHeader].filter((h): h is string => h !== undefined);
}

/** The header carrying the provider's delivery id (the natural idempotency key), if it has one. */
export function idempotencyHeaderFor(preset: HmacPreset): string | undefined {
  return Object.hasOwn(DELIVERY_ID_HEADERS, preset) ? DELIVERY_ID_HEADERS[preset] : undefined;
}
