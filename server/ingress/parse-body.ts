/** Parses a raw webhook body strictly by its declared Content-Type, after checking it against the accept list. */
import { isUtf8 } from 'node:buffer';
import { clip, IngressError } from './ingress-error.js';

/**
 * Accept list of a webhook whose `accept` param is unset (DESIGN §7: JSON, form, text). `text/*` rather than
 * only `text/plain` because every text type is kept as a plain string, so accepting `text/csv` or `text/xml`
 * risks no parser confusion. Binary is opt-in: add `application/octet-stream`, a specific type or `*`/`*`.
 */
export const DEFAULT_ACCEPT: readonly string[] = Object.freeze(
  ['application/json', 'application/*+json', 'application/x-www-form-urlencoded', 'text/*']);

/** Nesting depth (arrays + objects) above which a JSON body is refused, before JSON.parse sees it. */
export const DEFAULT_MAX_DEPTH = 64;

/** Field count above which a form body is refused (body-parser's `parameterLimit` default and status). */
export const DEFAULT_MAX_FORM_FIELDS = 1000;

/** Media type assumed when Content-Type is absent (RFC 9110 §8.3; we never sniff the bytes). */
export const MISSING_CONTENT_TYPE = 'application/octet-stream';

export interface ParseBodyOptions {
  /** @default DEFAULT_MAX_DEPTH (64) */ maxDepth?: number;
  /** @default DEFAULT_MAX_FORM_FIELDS (1000) */ maxFormFields?: number;
}

/** `body` as the flow sees it; `mediaType` is the declared `type/subtype`, lower-cased, without parameters. */
export interface ParsedBody {
  body: unknown;
  mediaType: string;
}

/** Shape of a body kept as bytes (octet-stream, images, PDFs, accepted multipart …). */
export interface BinaryBody {
  base64: string;
}

type BodyKind = 'json' | 'form' | 'text' | 'binary';

/**
 * Parses `raw` by the media type declared in `contentType`, never by sniffing the bytes (W-12).
 *
 * - An empty body is `null` whatever the type (bodiless pings and GETs are never refused).
 * - A missing Content-Type means `application/octet-stream`; a type no `accept` entry matches → 415
 *   `unsupported_media_type`. Entries: exact `type/sub`, `type/*`, `type/*+suffix` or the `*`/`*` wildcard;
 *   case-insensitive.
 * - `application/json` and every `+json` type → JSON.parse after an iterative depth check (400 `json_too_deep`);
 *   malformed → 400 `malformed_json` with `details.position` when V8 gives one.
 * - `application/x-www-form-urlencoded` → flat null-prototype object; repeated keys → arrays, no `a[b]` nesting.
 * - `text/*`, `application/xml` and every `+xml` type → string.
 * - anything else (octet-stream, images, multipart when accepted — we never parse multipart) → {@link BinaryBody}.
 *
 * Charset: absent, `utf-8`, `utf8` or `us-ascii` → strict UTF-8 (invalid bytes → 400 `invalid_utf8`);
 * `iso-8859-1`/`latin1` → Latin-1, for text types only; any other → 415 `unsupported_charset`.
 * A leading UTF-8 BOM is dropped from JSON, form and text.
 */
export function parseBody(
  raw: Buffer,
  contentType: string | undefined,
  accept: readonly string[],
  opts: ParseBodyOptions = {},
): ParsedBody {
  const mediaType = contentType === undefined ? MISSING_CONTENT_TYPE : essence(contentType);
  if (raw.length === 0) return { body: null, mediaType };
  if (mediaType === '' || !isAccepted(mediaType, accept)) throw unsupportedType(mediaType, contentType, accept);
  const kind = kindOf(mediaType);
  if (kind === 'binary') return { body: { base64: raw.toString('base64') } satisfies BinaryBody, mediaType };
  const charset = contentType === undefined ? undefined : charsetOf(contentType);
  if (kind === 'json') {
    assertJsonDepth(raw, opts.maxDepth ?? DEFAULT_MAX_DEPTH);
    return { body: parseJson(decode(raw, charset, false)), mediaType };
  }
  if (kind === 'form') {
    return { body: parseForm(decode(raw, charset, false), opts.maxFormFields ?? DEFAULT_MAX_FORM_FIELDS), mediaType };
  }
  return { body: decode(raw, charset, true), mediaType };
}

const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/;

/** `Text/Plain ; charset=UTF-8` → `text/plain`; '' when the header is not a media type at all. */
function essence(contentType: string): string {
  const semi = contentType.indexOf(';');
  const value = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (value === '') return MISSING_CONTENT_TYPE; // `Content-Type:` sent empty: same as absent
  return MEDIA_TYPE.test(value) ? value : '';
}

/** The `charset` parameter, lower-cased and unquoted, if any. */
function charsetOf(contentType: string): string | undefined {
  const semi = contentType.indexOf(';');
  if (semi < 0) return undefined;
  for (const param of contentType.slice(semi + 1).split(';')) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'charset') continue;
    return param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return undefined;
}

function isAccepted(mediaType: string, accept: readonly string[]): boolean {
  for (const entry of accept) {
    if (entry === mediaType || entry === '*/*' || matchesPattern(mediaType, entry.trim().toLowerCase())) return true;
  }
  return false;
}

function matchesPattern(mediaType: string, pattern: string): boolean {
  const slash = pattern.indexOf('/');
  if (slash <= 0) return false;
  const type = pattern.slice(0, slash);
  const sub = pattern.slice(slash + 1);
  const mSlash = mediaType.indexOf('/');
  if (type !== '*' && type !== mediaType.slice(0, mSlash)) return false;
  const mSub = mediaType.slice(mSlash + 1);
  if (sub === '*' || sub === mSub) return true;
  return sub.startsWith('*+') && mSub.length > sub.length - 1 && mSub.endsWith(sub.slice(1));
}

function kindOf(mediaType: string): BodyKind {
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return 'json';
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  if (mediaType.startsWith('text/') || mediaType === 'application/xml' || mediaType.endsWith('+xml')) return 'text';
  return 'binary';
}

function decode(raw: Buffer, charset: string | undefined, isText: boolean): string {
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii') {
    if (!isUtf8(raw)) throw new IngressError(400, 'invalid_utf8', 'The body is not valid UTF-8');
    const text = raw.toString('utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
  if (isText && (charset === 'iso-8859-1' || charset === 'latin1')) return raw.toString('latin1');
  const details = { charset, supported: isText ? ['utf-8', 'us-ascii', 'iso-8859-1'] : ['utf-8', 'us-ascii'] };
  throw new IngressError(415, 'unsupported_charset', `charset "${clip(charset)}" is not supported`, { details });
}

/** Byte classes for the depth scan: 1 = quote, 2 = opening bracket, 3 = closing bracket. Read-only. */
const JSON_CLASS = Uint8Array.from({ length: 256 }, (_, b) =>
  b === 0x22 ? 1 : b === 0x5b || b === 0x7b ? 2 : b === 0x5d || b === 0x7d ? 3 : 0);

/**
 * Throws 400 `json_too_deep` for UTF-8 JSON nested deeper than `maxDepth`, without recursion, so
 * `'['.repeat(1e5)` never reaches a recursive consumer (ajv, logging, structured clone). One pass over the
 * bytes (≈1 ms per MB here); strings are skipped with their escapes. UTF-8 continuation bytes are ≥ 0x80, so
 * they are never taken for brackets or quotes. Malformed input is left for JSON.parse to report.
 */
export function assertJsonDepth(bytes: Uint8Array, maxDepth: number): void {
  const n = bytes.length;
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const cls = JSON_CLASS[bytes[i]];
    if (cls === 0) continue;
    if (cls === 1) { // a string: only `\` (skip the escaped byte) and the closing `"` matter
      for (i++; i < n; i++) {
        const c = bytes[i];
        if (c === 0x22) break;
        if (c === 0x5c) i++;
      }
    } else if (cls === 2) {
      if (++depth > maxDepth) {
        const message = `JSON nesting deeper than ${maxDepth} levels`;
        throw new IngressError(400, 'json_too_deep', message, { details: { maxDepth, position: i } });
      }
    } else depth--;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8's message quotes the payload; ours does not (it may be logged), only the position.
    const reason = err instanceof Error ? err.message : '';
    const at = /at position (\d+)/.exec(reason);
    const position = at !== null ? Number(at[1]) : reason.includes('end of JSON') ? text.length : undefined;
    const message = position === undefined ? 'Malformed JSON' : `Malformed JSON at position ${position}`;
    throw new IngressError(400, 'malformed_json', message, { details: position === undefined ? undefined : { position } });
  }
}

function parseForm(text: string, maxFields: number): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  let count = 0;
  for (const [key, value] of new URLSearchParams(text)) {
    if (++count > maxFields) throw new IngressError(413, 'too_many_form_fields', `More than ${maxFields} form fields`);
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (typeof prev === 'string') out[key] = [prev, value];
    else prev.push(value);
  }
  return out;
}

function unsupportedType(mediaType: string, contentType: string | undefined, accept: readonly string[]): IngressError {
  const what = contentType === undefined ? 'a missing Content-Type (read as application/octet-stream)'
    : mediaType === '' ? `the malformed Content-Type "${clip(contentType)}"` : `Content-Type ${mediaType}`;
  const details = { mediaType: mediaType === '' ? null : mediaType, accept };
  return new IngressError(415, 'unsupported_media_type', `This webhook does not accept ${what}`, { details });
}
