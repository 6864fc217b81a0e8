/** HTTP handlers for /metrics (optionally bearer-protected), /readyz and GET /api/executions/:id/trace. */
import { Router, type RequestHandler } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import { notFound } from '../http/errors.js';
import type { Readiness } from './readiness.js';
import { buildTrace, type TraceDeps } from './trace.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Without a token /metrics is open, as Prometheus scrapers expect; with one, `Authorization: Bearer <token>` is required. */
export function metricsHandler(registry: Registry, token?: string): RequestHandler {
  const want = token === undefined ? undefined : digest(token);
  return (req, res, next) => {
    if (want) {
      const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
      if (!m || !timingSafeEqual(digest(m[1]), want)) {
        res.status(401).set('www-authenticate', 'Bearer').json({ error: { code: 'unauthorized', message: 'a valid metrics token is required' } });
        return;
      }
    }
    registry.metrics().then((text) => { res.type(registry.contentType).send(text); }, next);
  };
}

export function readyzHandler(check: () => Promise<Readiness>): RequestHandler {
  return (_req, res, next) => {
    check().then((r) => { res.status(r.ok ? 200 : 503).json({ status: r.ok ? 'ready' : 'not_ready', checks: r.checks }); }, next);
  };
}

/** Mounted under /api/executions, behind the API's authentication. */
export function traceRouter(d: TraceDeps): Router {
  const r = Router();
  r.get('/:id/trace', async (req, res) => {
    const trace = await buildTrace(d, req.params.id);
    if (!trace) throw notFound('execution');
    res.json(trace);
  });
  return r;
}
