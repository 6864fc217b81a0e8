// test/integration/openapi.test.ts — GET /api/openapi.json matches the real Express routes both ways, is structurally valid OpenAPI 3.1, and needs credentials.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { post } from '../helpers/flows.js';
import { routesOf, type Endpoint } from '../helpers/routes.js';
import { FAST_HASH } from './accounts-helpers.js';

type Doc = { openapi: string; paths: Record<string, Record<string, { parameters?: Array<{ $ref?: string; name?: string; in?: string }> }>>; components: { schemas: Record<string, unknown>; parameters: Record<string, { name: string; in: string }> } };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** `/api/flows/:id` → `/api/flows/{id}`. */
const openApiPath = (declared: string): string => declared.replace(/:(\w+)/g, '{$1}');

/** The real /api routes as `METHOD /path/{param}` (RegExp routes and bare middleware are not API routes). */
const realApiRoutes = (endpoints: Endpoint[]): string[] =>
  [...new Set(endpoints.filter((e) => e.pattern === undefined && e.declared.startsWith('/api/')).map((e) => `${e.method} ${openApiPath(e.declared)}`))].sort();

const documentedApiRoutes = (doc: Doc): string[] =>
  Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/'))
    .flatMap(([p, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${p}`)).sort();

/** Structure only (no network fetch of the official meta-schema). */
const STRUCTURE = {
  type: 'object', required: ['openapi', 'info', 'paths', 'components'],
  properties: {
    openapi: { const: '3.1.0' },
    info: { type: 'object', required: ['title', 'version'] },
    paths: {
      type: 'object', minProperties: 1, propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object', propertyNames: { enum: ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'parameters', 'summary', 'description'] },
        additionalProperties: {
          type: 'object', required: ['responses'],
          properties: { responses: { type: 'object', minProperties: 1, propertyNames: { pattern: '^([1-5][0-9]{2}|default)$' }, additionalProperties: { type: 'object', required: ['description'] } } },
        },
      },
    },
    components: { type: 'object', required: ['schemas', 'securitySchemes'] },
  },
};

function refsIn(x: unknown, out: string[] = []): string[] {
  if (Array.isArray(x)) for (const v of x) refsIn(v, out);
  else if (typeof x === 'object' && x !== null) {
    for (const [k, v] of Object.entries(x)) (k === '$ref' && typeof v === 'string' ? out.push(v) : refsIn(v, out));
  }
  return out;
}

let t: TestApp;
let doc: Doc;
beforeAll(async () => {
  t = await startTestApp({}, undefined, FAST_HASH);
  const r = await t.api<Doc>('GET', '/api/openapi.json');
  expect(r.status).toBe(200);
  doc = r.body;
});
afterAll(async () => { await t.close(); });

describe('GET /api/openapi.json', () => {
  it('documents every real /api route, and every documented /api route exists', () => {
    const real = realApiRoutes(routesOf(t.app.httpApp));
    expect(real.length).toBeGreaterThan(30);
    const documented = documentedApiRoutes(doc);
    expect(real.filter((r) => !documented.includes(r)), 'routes missing from the document').toEqual([]);
    expect(documented.filter((d) => !real.includes(d)), 'documented routes that do not exist').toEqual([]);
  });

  it('fails when a route is added without documenting it', () => {
    t.app.httpApp.get('/api/flows/:id/undocumented', (_req, res) => { res.json({}); });
    const real = realApiRoutes(routesOf(t.app.httpApp));
    expect(real.filter((r) => !documentedApiRoutes(doc).includes(r))).toEqual(['GET /api/flows/{id}/undocumented']);
  });

  it('is structurally valid OpenAPI 3.1: every operation has responses, every $ref resolves, every path parameter is declared', () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(STRUCTURE);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    for (const ref of refsIn(doc)) {
      const target = ref.replace(/^#\//, '').split('/').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc);
      expect(target, ref).toBeDefined();
    }
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])) {
        for (const [method, o] of Object.entries(ops)) {
          const names = (o.parameters ?? []).map((p) => (p.$ref ? doc.components.parameters[p.$ref.split('/').pop() ?? ''] : p)).filter((p) => p.in === 'path').map((p) => p.name);
          expect(names, `${method} ${path}`).toContain(name);
        }
      }
    }
  });

  it('reuses the registry node params, the error and list shapes, and names both security schemes', async () => {
    const nodeTypes = (await t.api('GET', '/api/node-types')).body.items as Array<{ type: string; params: unknown }>;
    for (const n of nodeTypes) expect(doc.components.schemas[`NodeParams_${n.type}`], n.type).toEqual(n.params);
    expect(JSON.stringify(doc.components.schemas.Error)).toContain('"details"');
    const flowsList = JSON.stringify(doc.paths['/api/flows'].get);
    for (const k of ['items', 'total', 'nextCursor']) expect(flowsList).toContain(k);
    expect(Object.keys((doc as unknown as { components: { securitySchemes: object } }).components.securitySchemes).sort()).toEqual(['bearer', 'session']);
  });

  it('describes the inbound webhook with every answer of DESIGN §7, and that path answers for real', async () => {
    const hook = doc.paths['/hooks/{token}'] as unknown as Record<string, { responses: Record<string, unknown> }>;
    expect(Object.keys(hook.post.responses).sort()).toEqual(['200', '202', '400', '401', '404', '405', '413', '415', '429', '500', '503', '508']);
    const r = await post(`${t.url}/hooks/not-a-real-token`, '{}');
    expect(r.status).toBe(404);
    expect((await r.json()).error.code).toBeTypeOf('string');
  });

  it('needs credentials', async () => {
    expect((await fetch(`${t.url}/api/openapi.json`)).status).toBe(401);
  });
});
