/** PURE: infer a JSON Schema (draft 2020-12 subset) from a sample payload, for the validate node. */

export type InferredSchema = { [key: string]: unknown };

const MAX_DEPTH = 20;

/** Types are taken from the sample; every key seen in an object is required; array items merge their object keys. */
export function inferSchema(value: unknown, depth = 0): InferredSchema {
  if (depth > MAX_DEPTH) return {};
  if (value === null) return { type: 'null' };
  if (Array.isArray(value)) {
    if (value.length === 0) return { type: 'array' };
    return { type: 'array', items: mergeAll(value.map((v) => inferSchema(v, depth + 1))) };
  }
  switch (typeof value) {
    case 'string': return { type: 'string' };
    case 'boolean': return { type: 'boolean' };
    case 'number': return { type: Number.isInteger(value) ? 'integer' : 'number' };
    case 'object': {
      const entries = Object.entries(value);
      return { type: 'object', required: entries.map(([k]) => k), properties: Object.fromEntries(entries.map(([k, v]) => [k, inferSchema(v, depth + 1)])) };
    }
    default: return {};
  }
}

/** Merge item schemas: same type stays; integer+number is number; objects keep keys present in all as required. */
function mergeAll(schemas: InferredSchema[]): InferredSchema {
  return schemas.reduce((a, b) => merge(a, b));
}

function merge(a: InferredSchema, b: InferredSchema): InferredSchema {
  if (a.type === b.type && a.type === 'object') {
    const pa = (a.properties ?? {}) as Record<string, InferredSchema>;
    const pb = (b.properties ?? {}) as Record<string, InferredSchema>;
    const keys = [...new Set([...Object.keys(pa), ...Object.keys(pb)])];
    const req = new Set(Array.isArray(b.required) ? b.required : []);
    return {
      type: 'object',
      required: (Array.isArray(a.required) ? a.required : []).filter((k) => req.has(k)),
      properties: Object.fromEntries(keys.map((k) => [k, pa[k] && pb[k] ? merge(pa[k], pb[k]) : pa[k] ?? pb[k]])),
    };
  }
  if (a.type === b.type) return a.type === 'array' && a.items && b.items ? { type: 'array', items: merge(a.items as InferredSchema, b.items as InferredSchema) } : a;
  const nums = new Set(['integer', 'number']);
  if (nums.has(String(a.type)) && nums.has(String(b.type))) return { type: 'number' };
  return {};
}
