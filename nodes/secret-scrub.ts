/**
 * Cuts secrets out of what a remote server sent back (SMTP replies, HTTP response bodies and headers) before it is
 * recorded: raw, JSON-escaped, URL-encoded, and inside base64 or base64url at any byte alignment (an `AUTH PLAIN`
 * blob, a `Basic` header). A base64 run holding a secret is replaced whole (THREATS ).
 */

export const REDACTED = '[redacted]';

/** Secrets shorter than this are not searched for: they would match ordinary text. */
const MIN_CHARS = 4;
const B64_CHAR = /[A-Za-z0-9+/=_-]/;

export interface SecretForms {
  /** Replaced where they stand. */
  plain: string[];
  /** Base64 fragments: the whole base64 run around one is replaced. */
  encoded: string[];
}

/**
 * The forms a secret takes in transcripts. Base64 of a secret embedded in other bytes depends on its offset mod 3;
 * for each offset, the characters determined by the secret's bytes alone are taken (without the edges).
 */
export function secretForms(secret: string): SecretForms {
  const plain = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]);
  const encoded = new Set<string>();
  for (let pad = 0; pad < 3; pad++) {
    const bytes = Buffer.concat([Buffer.alloc(pad, 0x41), Buffer.from(secret, 'utf8')]);
    const start = Math.ceil((pad * 8) / 6) + 1;
    const end = Math.floor((bytes.length * 8) / 6) - 1;
    for (const enc of ['base64', 'base64url'] as const) {
      const inner = bytes.toString(enc).slice(start, end);
      if (inner.length >= MIN_CHARS) encoded.add(inner);
    }
  }
  return { plain: [...plain].filter((f) => f.length >= MIN_CHARS), encoded: [...encoded] };
}

export type Scrub = (text: string) => string;

/** A scrubber for these secrets (empty, undefined and short ones are ignored). */
export function createScrub(secrets: ReadonlyArray<string | undefined>): Scrub {
  const forms = secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_CHARS).map(secretForms);
  if (forms.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const f of forms) {
      for (const p of f.plain) if (out.includes(p)) out = out.split(p).join(REDACTED);
      for (const e of f.encoded) out = cutBase64Runs(out, e);
    }
    return out;
  };
}

function cutBase64Runs(text: string, fragment: string): string {
  let out = text;
  let at = out.indexOf(fragment);
  while (at !== -1) {
    let left = at;
    while (left > 0 && B64_CHAR.test(out[left - 1])) left--;
    let right = at + fragment.length;
    while (right < out.length && B64_CHAR.test(out[right])) right++;
    out = out.slice(0, left) + REDACTED + out.slice(right);
    at = out.indexOf(fragment, left + REDACTED.length);
  }
  return out;
}

/** `value` with every string in it (object keys too) scrubbed; structure kept. Past `maxDepth` levels values are dropped. */
export function scrubDeep(value: unknown, scrub: Scrub, maxDepth = 128): unknown {
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return scrub(v);
    if (v === null || typeof v !== 'object') return v;
    if (depth >= maxDepth) return REDACTED;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, scrub(k), { value: walk(x, depth + 1), enumerable: true, writable: true, configurable: true });
    return out;
  };
  return walk(value, 0);
}
