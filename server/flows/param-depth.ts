/** Nesting depth of saved params, measured without recursion: a 50,000-deep value is refused by name, never a stack overflow. */

/** Levels a param value may nest (objects and arrays); the webhook body has the same cap. */
export const MAX_PARAM_DEPTH = 64;

/** Depth of a JSON value (a primitive is 0, `[]` and `{}` are 1), or `max + 1` as soon as it is known to pass `max`. */
export function depthOf(value: unknown, max = MAX_PARAM_DEPTH): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) return max + 1;
    if (depth > deepest) deepest = depth;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth]);
  }
  return deepest;
}

/** `{field, message}` for each top-level param nested deeper than `max`. */
export function tooDeepParams(params: Record<string, unknown>, max = MAX_PARAM_DEPTH): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  for (const [k, v] of Object.entries(params)) {
    if (depthOf(v, max) > max) out.push({ field: `params.${k}`, message: `is nested deeper than ${max} levels` });
  }
  return out;
}
