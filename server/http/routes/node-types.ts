/** /api/node-types: the catalogue generated from the registry (params JSON Schema, ports, retry defaults). */
import { Router } from 'express';
import type { NodeRegistry } from '../../../nodes/registry.js';

export function nodeTypesRouter(registry: NodeRegistry): Router {
  const r = Router();
  const catalogue = registry.all().map((n) => ({
    type: n.type, title: n.title, category: n.category, description: n.description,
    params: JSON.parse(JSON.stringify(n.params)) as unknown,
    ports: [...n.ports, 'error'], retry: n.retry, timeoutMs: n.timeoutMs, effect: n.effect, defaults: n.defaults ?? {},
  }));
  r.get('/', (_req, res) => {
    res.json({ items: catalogue, total: catalogue.length, nextCursor: null });
  });
  return r;
}
