/** /api/flows/:id/listen, /captures and /sign: capture real deliveries for a few minutes, and sign test events on the server. */
import { Router } from 'express';
import { isReadOnly, principalOf } from '../auth.js';
import type { Clock } from '../../../nodes/contract.js';
import type { Ids } from '../../adapters/ids.js';
import type { CaptureService } from '../../flows/capture-service.js';
import type { FlowService } from '../../flows/flow-service.js';
import { signForFlow } from '../../flows/sign-request.js';
import type { AuthSecrets } from '../../ingress/inbound-auth.js';
import { pageArgs } from './paging.js';

export interface CapturesRouterDeps {
  captures: CaptureService;
  flows: FlowService;
  secrets: AuthSecrets;
  clock: Clock;
  ids: Ids;
}

export function capturesRouter(d: CapturesRouterDeps): Router {
  const r = Router();
  r.post('/:id/listen', async (req, res) => {
    res.json(await d.captures.listen(req.params.id, req.body));
  });
  r.get('/:id/listen', async (req, res) => {
    const state = await d.captures.status(req.params.id);
    res.json(isReadOnly(principalOf(res.locals)) ? { ...state, url: null } : state);
  });
  r.delete('/:id/listen', async (req, res) => {
    res.json(await d.captures.stop(req.params.id));
  });
  r.get('/:id/captures', async (req, res) => {
    const { limit, cursor } = pageArgs(req.query, 50);
    res.json(await d.captures.list(req.params.id, limit, cursor));
  });
  r.get('/:id/captures/:captureId', async (req, res) => {
    res.json(await d.captures.get(req.params.id, req.params.captureId));
  });
  r.post('/:id/sign', async (req, res) => {
    const flow = await d.flows.get(req.params.id);
    res.json(await signForFlow(flow, d.secrets, req.body, Math.floor(d.clock.now() / 1000), d.ids));
  });
  return r;
}
