/** /api/endpoints*: the health of outgoing-HTTP endpoints (per flow and URL template), and re-enabling a disabled one. */
import { Router } from 'express';
import type { Clock } from '../../../nodes/contract.js';
import type { EndpointRow, EndpointState, EndpointStore } from '../../store/types.js';
import { ApiError, notFound } from '../errors.js';
import { pageArgs } from './paging.js';

export interface EndpointsDeps {
  /** An answered enable is durable (FULL-synchronous / synchronously committed). */
  repo: EndpointStore;
  clock: Clock;
}

/** An endpoint as the API shows it; times are ISO 8601 or null. */
export interface EndpointView {
  id: string;
  /** The calling flow; null for calls made outside a flow. */
  flowId: string | null;
  /** The http node's URL as saved, variable parts as written. */
  url: string;
  /** Origin of the last call. */
  origin: string;
  state: EndpointState;
  failingSince: string | null;
  failures: number;
  lastFailureAt: string | null;
  lastSuccessAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  disabledAt: string | null;
  disabledReason: EndpointRow['disabledReason'];
  createdAt: string;
  updatedAt: string;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export const stateOf = (r: EndpointRow): EndpointState =>
  r.disabledAt !== null ? 'disabled' : r.failingSince !== null ? 'failing' : 'healthy';

export const endpointView = (r: EndpointRow): EndpointView => ({
  id: r.id, flowId: r.flowId, url: r.url, origin: r.origin, state: stateOf(r), failingSince: iso(r.failingSince), failures: r.failures,
  lastFailureAt: iso(r.lastFailureAt), lastSuccessAt: iso(r.lastSuccessAt), lastStatus: r.lastStatus, lastError: r.lastError,
  disabledAt: iso(r.disabledAt), disabledReason: r.disabledReason, createdAt: new Date(r.createdAt).toISOString(),
  updatedAt: new Date(r.updatedAt).toISOString(),
});

const STATES: readonly EndpointState[] = ['healthy', 'failing', 'disabled'];

function stateArg(q: unknown): EndpointState | undefined {
  if (q === undefined || q === '') return undefined;
  const found = STATES.find((s) => s === q);
  if (found === undefined) throw new ApiError(400, 'invalid_query', `state must be one of ${STATES.join(', ')}`, [{ field: 'state', message: `must be one of ${STATES.join(', ')}` }]);
  return found;
}

export function endpointsRouter(d: EndpointsDeps): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const { limit, cursor } = pageArgs(req.query);
    const page = await d.repo.list({ state: stateArg(req.query.state), limit, cursor });
    res.json({ ...page, items: page.items.map(endpointView) });
  });
  r.get('/:id', async (req, res) => {
    const row = await d.repo.get(req.params.id);
    if (!row) throw notFound('endpoint');
    res.json(endpointView(row));
  });
  r.post('/:id/enable', async (req, res) => {
    const row = await d.repo.enable(req.params.id, d.clock.now());
    if (!row) throw notFound('endpoint');
    res.json(endpointView(row));
  });
  return r;
}
