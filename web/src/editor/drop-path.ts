/** PURE: a data field dragged from the node details view's input, dropped into a parameter as `{{ path }}`. */

/** The drag-and-drop type that carries a template path (`input.items[0].sku`); text/plain carries `{{ path }}` too. */
export const PATH_MIME = 'application/x-hookflow-path';

/** True when `at` is inside a JSON string literal of `text` (an odd number of unescaped quotes before it). */
export function insideJsonString(text: string, at: number): boolean {
  let inside = false;
  for (let i = 0; i < at; i++) {
    if (text[i] === '\\') { i++; continue; }
    if (text[i] === '"') inside = !inside;
  }
  return inside;
}

/** Inserts `{{ path }}` at `at`; in JSON text outside a string it goes in quotes, so the JSON stays valid. */
export function insertDropped(text: string, at: number, path: string, json: boolean): { text: string; caret: number } {
  const pos = Math.max(0, Math.min(at, text.length));
  const tag = `{{ ${path} }}`;
  const piece = json && !insideJsonString(text, pos) ? `"${tag}"` : tag;
  return { text: text.slice(0, pos) + piece + text.slice(pos), caret: pos + piece.length };
}
