/** PURE: the test panel's headers editor text ⇄ a header map. */

/** A JSON object of string values, or a message saying what is wrong. */
export function parseHeaders(text: string): Record<string, string> | string {
  let v: unknown;
  try { v = JSON.parse(text.trim() || '{}'); } catch { return 'The headers are not valid JSON.'; }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'The headers must be a JSON object.';
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') return `Header "${k}" must be a string.`;
    out[k] = val;
  }
  return out;
}

/** Merge `extra` over `base`, names compared case-insensitively (the newer spelling wins). */
export function mergeHeaders(base: Record<string, string>, extra: Record<string, string>): Record<string, string> {
  const lower = new Set(Object.keys(extra).map((k) => k.toLowerCase()));
  const kept = Object.entries(base).filter(([k]) => !lower.has(k.toLowerCase()));
  return { ...Object.fromEntries(kept), ...extra };
}

export const headersText = (h: Record<string, string>): string => (Object.keys(h).length === 0 ? '{}' : JSON.stringify(h, null, 2));
