/** The credential types of DESIGN §5 and their data rules; problems name the field and never echo a value. */
import { decodeStrict } from '../ingress/signature-presets.js';

export type CredentialType = 'smtp' | 'hmac' | 'standard-webhooks' | 'basic' | 'header';
export const CREDENTIAL_TYPES: readonly CredentialType[] = ['smtp', 'hmac', 'standard-webhooks', 'basic', 'header'];
export const isCredentialType = (t: unknown): t is CredentialType =>
  typeof t === 'string' && (CREDENTIAL_TYPES as readonly string[]).includes(t);

export interface FieldProblem {
  field: string;
  message: string;
}

/** Returns the normalised value, or a message saying what is wrong (without the value: it may be a secret). */
type Rule = (v: unknown) => { value: unknown } | string;
interface Field { required: boolean; rule: Rule }

/** At most this many secrets may be active at once on an `hmac` credential (one per line). */
export const MAX_HMAC_SECRETS = 10;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
/** Visible ASCII with inner spaces: what survives in an HTTP header value (ends are trimmed in transit). */
const HEADER_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

const text = (max: number, what = 'a string'): Rule => (v) =>
  typeof v !== 'string' || v === '' ? `must be a non-empty string`
    : v.length > max ? `must be at most ${max} characters` : CONTROL.test(v) ? `must be ${what} without control characters` : { value: v };

const hostName: Rule = (v) =>
  typeof v === 'string' && /^[A-Za-z0-9.:[\]-]{1,253}$/.test(v) ? { value: v } : 'must be a host name or IP address';
const port: Rule = (v) =>
  Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535 ? { value: v } : 'must be an integer from 1 to 65535';
const bool: Rule = (v) => (typeof v === 'boolean' ? { value: v } : 'must be true or false');
const username: Rule = (v) => {
  const r = text(256)(v);
  return typeof r !== 'string' && (r.value as string).includes(':') ? 'must not contain ":" (RFC 7617)' : r;
};
const headerName: Rule = (v) =>
  typeof v === 'string' && TOKEN.test(v) ? { value: v.toLowerCase() } : 'must be an HTTP header name (letters, digits, "-", at most 100)';
const headerValue: Rule = (v) =>
  typeof v === 'string' && v.length <= 4096 && HEADER_VALUE.test(v) ? { value: v }
    : 'must be 1 to 4096 visible ASCII characters, without leading or trailing spaces';

/** One secret per line (rotation: several active at once); blank lines and surrounding spaces are dropped. */
const hmacSecrets: Rule = (v) => {
  if (typeof v !== 'string') return 'must be a string: one secret per line';
  const lines = v.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length === 0) return 'must hold at least one secret';
  if (lines.length > MAX_HMAC_SECRETS) return `must hold at most ${MAX_HMAC_SECRETS} secrets (one per line)`;
  if (lines.some((l) => l.length > 1024 || CONTROL.test(l))) return 'each secret must be at most 1024 characters without control characters';
  return { value: lines.join('\n') };
};

/** `whsec_` + base64 of 24 to 64 random bytes, as the Standard Webhooks spec asks. */
const whsec: Rule = (v) => {
  const bytes = typeof v === 'string' && v.startsWith('whsec_') ? decodeStrict(v.slice(6), 'base64', true) : undefined;
  return bytes !== undefined && bytes.length >= 24 && bytes.length <= 64 ? { value: v }
    : 'must be "whsec_" followed by the base64 of 24 to 64 bytes';
};

const req = (rule: Rule): Field => ({ required: true, rule });
const opt = (rule: Rule): Field => ({ required: false, rule });

const FIELDS: Readonly<Record<CredentialType, Readonly<Record<string, Field>>>> = {
  smtp: { host: req(hostName), port: req(port), secure: req(bool), user: opt(text(320)), pass: opt(text(1024)) },
  hmac: { secret: req(hmacSecrets) },
  'standard-webhooks': { secret: req(whsec) },
  basic: { username: req(username), password: req(text(1024)) },
  header: { name: req(headerName), value: req(headerValue) },
};

/** Checks `data` for `type`: the normalised data (fields in a fixed order) or the problems, fields as `data.<name>`. */
export function checkCredentialData(type: CredentialType, data: unknown): { data?: Record<string, unknown>; problems: FieldProblem[] } {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { problems: [{ field: 'data', message: 'must be an object' }] };
  const given = data as Record<string, unknown>;
  const spec = FIELDS[type];
  // An unknown key is echoed only when it looks like a field name: a pasted secret must not come back in the answer.
  const problems: FieldProblem[] = Object.keys(given).filter((k) => !Object.hasOwn(spec, k))
    .map((k) => ({ field: FIELD_NAME.test(k) ? `data.${k}` : 'data', message: `has a field that a ${type} credential does not take (fields: ${Object.keys(spec).join(', ')})` }));
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(spec)) {
    const v = Object.hasOwn(given, name) ? given[name] : undefined;
    if (v === undefined || v === null || (!f.required && v === '')) {
      if (f.required) problems.push({ field: `data.${name}`, message: 'is required' });
      continue;
    }
    const r = f.rule(v);
    if (typeof r === 'string') problems.push({ field: `data.${name}`, message: r });
    else out[name] = r.value;
  }
  return problems.length > 0 ? { problems } : { data: out, problems };
}
