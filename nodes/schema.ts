/** Param-schema helpers shared by node types: templatable fields and the retry policy schema. */
import { Type, type TSchema, type TUnion, type TString } from '@sinclair/typebox';

/** A string that holds at least one `{{ path }}` template. */
export const TemplateString = (): TString =>
  Type.String({ pattern: '\\{\\{[^}]*\\}\\}', 'x-template': true });

/**
 * `T` or a template that renders to `T` at run time. Save-time validation accepts either;
 * run-time validation (after rendering) uses `strictSchema`, which keeps only `T`.
 */
export const Templatable = <T extends TSchema>(t: T, options: Record<string, unknown> = {}): TUnion<[T, TString]> =>
  Type.Union([t, TemplateString()], { ...options, 'x-templatable': true });

/** The schema with every `Templatable(T)` replaced by `T`: what params must satisfy after rendering. */
export function strictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const s = schema as Record<string, unknown>;
  if (s['x-templatable'] === true && Array.isArray(s.anyOf)) return strictSchema(s.anyOf[0]);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) out[k] = strictSchema(v);
  return out;
}

export const RetrySchema = Type.Object(
  {
    maxAttempts: Type.Integer({ minimum: 1, maximum: 100 }),
    backoff: Type.Union([Type.Literal('fixed'), Type.Literal('exponential')]),
    initialDelayMs: Type.Integer({ minimum: 0, maximum: 86_400_000 }),
    maxDelayMs: Type.Integer({ minimum: 0, maximum: 7 * 86_400_000 }),
    jitter: Type.Number({ minimum: 0, maximum: 1 }),
    retryOn: Type.Array(Type.Union([Type.String({ maxLength: 64 }), Type.Integer({ minimum: 100, maximum: 599 })]), { maxItems: 50 }),
  },
  { additionalProperties: false },
);
export const PartialRetrySchema = Type.Partial(RetrySchema, { additionalProperties: false });
