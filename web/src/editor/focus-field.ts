/** Bring a form field of the node panel into view and focus it, once the panel shows the node (problems list clicks). */

/** The closest field wrapper for a server field path: `params.rules.0.value` falls back to `params.rules`, then `params`. */
function wrapperFor(field: string): HTMLElement | null {
  const panel = document.querySelector('[data-testid="node-panel"]');
  if (!panel) return null;
  const parts = field.replace(/\[(\d+)\]/g, '.$1').split('.');
  for (let n = parts.length; n > 0; n--) {
    const el = panel.querySelector<HTMLElement>(`[data-field="${CSS.escape(parts.slice(0, n).join('.'))}"]`);
    if (el) return el;
  }
  return null;
}

export function focusField(field: string, tries = 10): void {
  requestAnimationFrame(() => {
    const wrap = wrapperFor(field);
    if (!wrap) { if (tries > 0) focusField(field, tries - 1); return; }
    // A field inside a closed group (retries) is shown first.
    for (let d = wrap.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true;
    wrap.scrollIntoView({ block: 'center' });
    wrap.querySelector<HTMLElement>('input, textarea, select, .cm-content, button')?.focus();
  });
}
