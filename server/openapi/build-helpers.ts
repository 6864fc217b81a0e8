/** Small builders for the OpenAPI document: references, JSON bodies, list pages, standard error answers, operations. */

export type Json = Record<string, unknown>;

export const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
export const param = (name: string): Json => ({ $ref: `#/components/parameters/${name}` });

/** A JSON response or request content. */
export const json = (schema: Json, description = 'OK'): Json => ({ description, content: { 'application/json': { schema } } });
export const noContent: Json = { description: 'Done; no body' };

/** The list shape `{ items, total, nextCursor }` with typed items. */
export const listOf = (item: Json): Json => ({
  type: 'object', required: ['items', 'total', 'nextCursor'],
  properties: { items: { type: 'array', items: item }, total: { type: 'integer', minimum: 0 }, nextCursor: { type: ['string', 'null'] } },
});

const ERROR_TEXT: Readonly<Record<number, string>> = {
  400: 'Invalid request: the error names the field', 401: 'Missing or invalid credentials', 403: 'Forbidden',
  404: 'Not found', 409: 'Conflict with the current state', 413: 'Body too large', 429: 'Too many requests (see Retry-After)',
  503: 'Busy; try again',
};

/** Error answers in the shape `{ error: { code, message, details? } }`. */
export const errors = (...codes: number[]): Json =>
  Object.fromEntries(codes.map((c) => [String(c), json(ref('Error'), ERROR_TEXT[c] ?? 'Error')]));

export interface OpSpec {
  tag: string;
  summary: string;
  description?: string;
  /** Path/query parameters (refs or inline). */
  params?: Json[];
  body?: Json;
  responses: Json;
  /** Reachable without credentials (setup, login). */
  public?: boolean;
}

/** One operation; every authenticated one also answers 401. */
export function op(s: OpSpec): Json {
  const out: Json = { tags: [s.tag], summary: s.summary };
  if (s.description !== undefined) out.description = s.description;
  if (s.params !== undefined && s.params.length > 0) out.parameters = s.params;
  if (s.body !== undefined) out.requestBody = { required: true, content: { 'application/json': { schema: s.body } } };
  out.responses = s.public ? s.responses : { ...s.responses, ...errors(401) };
  if (s.public) out.security = [];
  return out;
}

export const idParam = (what: string, name = 'id'): Json => ({ name, in: 'path', required: true, description: `The ${what}'s id`, schema: { type: 'string' } });
export const PAGE: Json[] = [param('limit'), param('cursor')];
