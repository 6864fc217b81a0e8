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

/** Who saves, as the version list shows it: the user (resolved to an email by the service) or the kind of token. */
function savedByOf(res: Response): SaveOptions['savedBy'] {
  const p = principalOf(res.locals);
  if (!p) return undefined;
  if (p.kind === 'session') return { userId: p.userId };
  if (p.kind === 'api-token') return p.userId ? { userId: p.userId, via: 'api token' } : 'api token';
  return 'api token (HOOKFLOW_API_TOKEN)';
}

/**
 * `?credentialProblems=flag`: an inactive flow is saved even if it names credentials that are missing here.
 * `?publish=true` (or `"publish": true` in the body): the saved version goes live at once; else it is a draft.
 */
function saveOptions(req: { query: Record<string, unknown>; body?: unknown }, res: Response): SaveOptions {
  const v = req.query.credentialProblems;
  const out: SaveOptions = { savedBy: savedByOf(res), publish: publishArg(req) };
  if (v === undefined || v === 'refuse') return out;
  if (v === 'flag') return { ...out, credentialProblems: 'flag' };
  throw new ApiError(400, 'invalid_query', 'credentialProblems must be "refuse" or "flag"');
}

function publishArg(req: { query: Record<string, unknown>; body?: unknown }): boolean {
  const q = req.query.publish;
  if (q !== undefined && q !== 'true' && q !== 'false') throw new ApiError(400, 'invalid_query', 'publish must be "true" or "false"');
  const b = (req.body as { publish?: unknown } | undefined)?.publish;
  if (b !== undefined && typeof b !== 'boolean') throw new ApiError(400, 'invalid_flow', 'field "publish": must be a boolean', [{ field: 'publish', message: 'must be a boolean' }]);
  return q === 'true' || b === true;
}

const versionArg = (v: string): number => {
  if (!/^[1-9]\d{0,8}$/.test(v)) throw new ApiError(400, 'invalid_request', 'version must be a positive whole number');
  return Number(v);
};

/** `maxBody`: HOOKFLOW_MAX_BODY, the webhook body limit a test payload obeys too (unless the webhook sets its own). */
export function flowsRouter(flows: FlowService, executions: ExecutionService, maxBody = 1024 * 1024): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const { limit, cursor } = pageArgs(req.query);
    const page = await flows.list(limit, cursor);
    res.json({ ...page, items: page.items.map((f) => readerSees(res, f)) });
  });
  r.post('/', async (req, res) => {
    res.status(201).json(await flows.create(req.body, saveOptions(req, res)));
  });
  r.get('/:id', async (req, res) => {
    res.json(readerSees(res, await flows.get(req.params.id)));
  });
  r.get('/:id/versions', async (req, res) => {
    res.json(await flows.versions(req.params.id));
  });
  r.get('/:id/versions/:version', async (req, res) => {
    res.json(await flows.getVersion(req.params.id, versionArg(req.params.version)));
  });
  r.post('/:id/versions/:version/restore', async (req, res) => {
    res.json(await flows.restore(req.params.id, versionArg(req.params.version), { savedBy: savedByOf(res) }));
  });
  r.post('/:id/publish', async (req, res) => {
    const v = (req.body as { version?: unknown } | undefined)?.version;
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < 1)) throw new ApiError(400, 'invalid_request', 'version must be a positive whole number');
    res.json(await flows.publish(req.params.id, v as number | undefined));
  });
  r.put('/:id', async (req, res) => {
    res.json(await flows.update(req.params.id, req.body, saveOptions(req, res)));
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
    // The webhook runs the published version: its methods, auth and schema are what a caller must follow.
    const docs = webhookDocs(await flows.getLive(req.params.id));
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
