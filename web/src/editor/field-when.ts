/** PURE: whether a form field applies now, from its schema's `x-when` and the values of its sibling fields. */
import type { JsonSchema } from '../api/types.js';

/** `{ sibling: [values] }`: every listed sibling holds one of its values; `['*']` = any non-empty value. Several = any of them. */
type When = Record<string, unknown[]>;

const isTemplate = (v: unknown): boolean => typeof v === 'string' && v.includes('{{');

function holds(cond: When, values: Record<string, unknown>, props: Record<string, JsonSchema>): boolean {
  return Object.entries(cond).every(([key, allowed]) => {
    const v = values[key] ?? props[key]?.default;
    if (allowed.includes('*')) return v !== undefined && v !== '';
    // A template decides at run time: the field may apply, so it stays.
    return isTemplate(v) || allowed.includes(v);
  });
}

/** True when the field is shown: it has no `x-when`, or one of its conditions holds. A field with a value always shows. */
export function isShown(schema: JsonSchema, value: unknown, siblings: Record<string, unknown>, props: Record<string, JsonSchema>): boolean {
  const when = schema['x-when'];
  if (when === undefined || value !== undefined) return true;
  const conds = Array.isArray(when) ? when : [when];
  return conds.some((c) => holds(c, siblings, props));
}
