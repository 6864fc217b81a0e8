/** /api/flows*: CRUD, activate, deactivate, rotate-token, and test runs. */
import { Router } from 'express';
import type { FlowService, SaveOptions } from '../../flows/flow-service.js';
import type { ExecutionService } from '../../runner/execution-service.js';
import { ApiError } from '../errors.js';
import { pageArgs } from './paging.js';
import { webhookDocs } from '../../flows/webhook-docs.js';
import { isReadOnly, principalOf } from '../auth.js';
import type { Response } from 'express';
import { depthOf, MAX_PARAM_DEPTH } from '../../flows/param-depth.js';
import { checkTestBody } from '../../flows/test-body-limit.js';

/** Read-only API tokens never see webhook URLs: a URL is the power to send deliveries. */
export const readerSees = <T extends { webhook?: unknown }>(res: Response, flow: T): T | Omit<T, 'webhook'> => {
  if (!isReadOnly(principalOf(res.locals))) return flow;
  const { webhook: _hidden, ...rest } = flow;
  return rest;
};

/** `?credentialProblems=flag`: an inactive flow is saved even if it names credentials that are missing here. */
function saveOptions(query: Record<string, unknown>): SaveOptions {
  const v = query.credentialProblems;
  if (v === undefined || v === 'refuse') return {};
  if (v === 'flag') return { credentialProblems: 'flag' };
  throw new ApiError(400, 'invalid_query', 'credentialProblems must be "refuse" or "flag"');
}

/** `maxBody`: HOOKFLOW_MAX_BODY, the webhook body limit a test payload obeys too (unless the webhook sets its own). */
export function flowsRouter(flows: FlowService, executions: ExecutionService, maxBody = 1024 * 1024): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const { limit, cursor } = pageArgs(req.query);
    const page = await flows.list(limit, cursor);
    res.json({ ...page, items: page.items.map((f) => readerSees(res, f)) });
  });
  r.post('/', async (req, res) => {
    res.status(201).json(await flows.create(req.body, saveOptions(req.query)));
  });
  r.get('/:id', async (req, res) => {
    res.json(readerSees(res, await flows.get(req.params.id)));
  });
  r.get('/:id/versions/:version', async (req, res) => {
    const v = req.params.version;
    if (!/^[1-9]\d{0,8}$/.test(v)) throw new ApiError(400, 'invalid_request', 'version must be a positive whole number');
    res.json(await flows.getVersion(req.params.id, Number(v)));
  });
  r.put('/:id', async (req, res) => {
    res.json(await flows.update(req.params.id, req.body, saveOptions(req.query)));
  });
  r.delete('/:id', async (req, res) => {
    await flows.remove(req.params.id);
    res.status(204).end();
  });
  r.post('/:id/activate', async (req, res) => {
    res.json(await flows.setActive(req.params.id, true));
  });
  r.post('/:id/deactivate', async (req, res) => {
    res.json(await flows.setActive(req.params.id, false));
  });
  r.post('/:id/rotate-token', async (req, res) => {
    res.json(await flows.rotateToken(req.params.id));
  });
  r.get('/:id/docs', async (req, res) => {
    if (isReadOnly(principalOf(res.locals))) throw new ApiError(403, 'read_only_token', 'the webhook docs show the webhook URL, which a read-only token may not see');
    const docs = webhookDocs(await flows.get(req.params.id));
    if (!docs) throw new ApiError(404, 'no_webhook', 'this flow has no webhook trigger');
    res.json(docs);
  });
  r.post('/:id/test', async (req, res) => {
    const flow = await flows.get(req.params.id);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'invalid_request', 'body must be an object {method?, headers?, query?, body}');
    // The same nesting cap as a webhook body (W-13): a deeper test payload is refused by name, not a stack overflow.
    for (const k of ['body', 'headers', 'query'] as const) {
      if (depthOf(body[k]) > MAX_PARAM_DEPTH) throw new ApiError(400, 'invalid_request', `${k} is nested deeper than ${MAX_PARAM_DEPTH} levels`, [{ field: k, message: `is nested deeper than ${MAX_PARAM_DEPTH} levels` }]);
    }
    checkTestBody(flow, body.body, maxBody); // the same 413 the webhook URL gives

    if (body.wait === false) res.status(202).json(await executions.startTest(flow, body));
    else res.json(await executions.test(flow, body));
  });
  return r;
}
