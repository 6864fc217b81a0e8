/** GET /openapi.json (mounted under /api, behind authentication): the OpenAPI document, built once per app. */
import { Router } from 'express';
import type { NodeRegistry } from '../../nodes/registry.js';
import { buildOpenApi } from './document.js';

export function openApiRouter(registry: NodeRegistry): Router {
  const r = Router();
  const doc = JSON.stringify(buildOpenApi(registry));
  r.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(doc);
  });
  return r;
}
