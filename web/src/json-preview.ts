/**
 * PURE: the start of a value's pretty JSON (`JSON.stringify(v, null, 2)`) without building the whole text, so a
 * 5 MB output costs about as much to show as its first screenful. The text is exact up to where it is cut.
 */
export interface JsonPreview { text: string; cut: boolean }

type Json = { toJSON?: () => unknown };

export function jsonPreview(value: unknown, max: number): JsonPreview {
  const parts: string[] = [];
  let len = 0;
  let cut = false;
  const emit = (s: string): void => {
    if (cut) return;
    if (len + s.length > max) { parts.push(s.slice(0, max - len)); len = max; cut = true; return; }
    parts.push(s); len += s.length;
  };
  /** A string's JSON, built from no more of it than can still be shown. */
  const str = (s: string): string => {
    let room = max - len;
    if (s.length <= room) return JSON.stringify(s);
    const code = s.charCodeAt(room - 1);
    if (code >= 0xd800 && code <= 0xdbff) room += 1; // never split a surrogate pair (it would be escaped)
    return JSON.stringify(s.slice(0, room)).slice(0, -1);
  };
  const walk = (v: unknown, indent: string): void => {
    if (cut) return;
    if (v !== null && typeof v === 'object' && typeof (v as Json).toJSON === 'function') v = (v as Json).toJSON?.();
    if (typeof v === 'string') { emit(str(v)); return; }
    if (v === null || typeof v !== 'object') { emit(JSON.stringify(v) ?? 'null'); return; }
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) { emit('[]'); return; }
      emit('[');
      for (let i = 0; i < v.length && !cut; i++) {
        emit(`${i ? ',' : ''}\n${inner}`);
        const item: unknown = v[i];
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') emit('null'); else walk(item, inner);
      }
      emit(`\n${indent}]`);
      return;
    }
    const entries = Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function' && typeof x !== 'symbol');
    if (entries.length === 0) { emit('{}'); return; }
    emit('{');
    entries.forEach(([k, x], i) => {
      if (cut) return;
      emit(`${i ? ',' : ''}\n${inner}${JSON.stringify(k)}: `);
      walk(x, inner);
    });
    emit(`\n${indent}}`);
  };
  if (value === undefined) return { text: '', cut: false };
  walk(value, '');
  return { text: parts.join(''), cut };
}
