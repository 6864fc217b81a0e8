/** buildOpenApi(registry): the OpenAPI 3.1 document of /api (plus the inbound webhook), node params taken from the registry's TypeBox schemas. */
import type { NodeRegistry } from '../../nodes/registry.js';
import { json, op, type Json } from './build-helpers.js';
import { ADMIN_PATHS } from './paths-admin.js';
import { FLOW_PATHS } from './paths-flows.js';
import { HOOK_PATHS } from './paths-hooks.js';
import { SCHEMAS } from './schemas.js';
import { CAPTURE_PATHS, CAPTURE_SCHEMAS } from './paths-captures.js';

/** A plain JSON copy of a TypeBox schema (drops its symbol keys). */
const plain = (schema: unknown): Json => JSON.parse(JSON.stringify(schema)) as Json;

/** `FlowNode` as a union keyed by node type, each with its own params schema, plus `NodeParams_<type>` components. */
function nodeSchemas(registry: NodeRegistry): Record<string, Json> {
  const out: Record<string, Json> = {};
  const variants: Json[] = [];
  for (const n of registry.all()) {
    const name = `NodeParams_${n.type.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
    out[name] = plain(n.params);
    variants.push({
      type: 'object', required: ['id', 'type', 'params'],
      properties: {
        id: { type: 'string' }, type: { const: n.type }, name: { type: 'string' },
        position: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } } },
        params: { $ref: `#/components/schemas/${name}` }, retry: { type: 'object' }, timeoutMs: { type: 'integer' },
        disabled: { type: 'boolean', description: 'runs nothing: passes its input on, on its first port' },
        pinnedInput: { description: 'sample input kept for "run this node" (at most 256 KiB of JSON); the runner ignores it' },
      },
    });
  }
  out.FlowNode = { oneOf: variants, discriminator: { propertyName: 'type' } };
  return out;
}

const SELF_PATH: Json = {
  '/api/openapi.json': { get: op({ tag: 'meta', summary: 'This document', responses: { 200: json({ type: 'object' }, 'The OpenAPI 3.1 document') } }) },
};

export function buildOpenApi(registry: NodeRegistry, version = '1'): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'Hookflow API', version, description: 'JSON under /api. Errors are `{ error: { code, message, details? } }`; lists answer `{ items, total, nextCursor }`.' },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
    paths: { ...FLOW_PATHS, ...ADMIN_PATHS, ...SELF_PATH, ...HOOK_PATHS, ...CAPTURE_PATHS },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token (POST /api/tokens) or HOOKFLOW_API_TOKEN' },
        session: { type: 'apiKey', in: 'cookie', name: 'hookflow_session', description: 'Session cookie from POST /api/auth/login (HttpOnly, SameSite); state-changing calls need a same-origin Origin' },
      },
      parameters: {
        limit: { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        cursor: { name: 'cursor', in: 'query', description: 'nextCursor from the previous page', schema: { type: 'string', maxLength: 200 } },
      },
      schemas: { ...SCHEMAS, ...CAPTURE_SCHEMAS, ...nodeSchemas(registry) },
    },
  };
}
