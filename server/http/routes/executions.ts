/** /api/executions*: history with every attempt, replay, cancel, and live progress as server-sent events. */
import { Router } from 'express';
import type { ExecutionService } from '../../runner/execution-service.js';
import type { EventBus, RunnerEvent } from '../../runner/events.js';
import { FINAL_STATUSES, type ExecutionStatus } from '../../store/types.js';
import { ApiError, notFound } from '../errors.js';
import { pageArgs } from './paging.js';
import { hideHookUrls, readsOnly } from '../reader-view.js';

const FINAL: readonly ExecutionStatus[] = FINAL_STATUSES;
const STATUSES: readonly ExecutionStatus[] = ['queued', 'running', 'waiting', ...FINAL_STATUSES];

/** `since` / `until`: milliseconds since the epoch or an ISO 8601 time. */
function timeArg(v: unknown, name: string): number | undefined {
  if (v === undefined) return undefined;
  const ms = typeof v !== 'string' ? NaN : /^\d{1,15}$/.test(v) ? Number(v) : /^\d{4}-\d\d-\d\d/.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) throw new ApiError(400, 'invalid_query', `${name} must be milliseconds since the epoch or an ISO 8601 time`);
  return ms;
}

export function executionsRouter(svc: ExecutionService, events: EventBus): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const { limit, cursor } = pageArgs(req.query);
    const { flowId, status } = req.query;
    if (flowId !== undefined && typeof flowId !== 'string') throw new ApiError(400, 'invalid_query', 'flowId must be a string');
    if (status !== undefined && !STATUSES.includes(status as ExecutionStatus))
      throw new ApiError(400, 'invalid_query', `status must be one of ${STATUSES.join(', ')}`);
    const since = timeArg(req.query.since, 'since');
    const until = timeArg(req.query.until, 'until');
    res.json(await svc.list({ flowId, status: status as ExecutionStatus | undefined, since, until, limit, cursor }));
  });
  r.get('/:id', async (req, res) => {
    const e = await svc.get(req.params.id);
    if (!e) throw notFound('execution');
    res.json(e);
  });
  r.post('/:id/replay', async (req, res) => {
    const body = (req.body ?? {}) as { mode?: unknown; flowVersion?: unknown };
    const result = await svc.replay(req.params.id, body.mode ?? 'rerun', body.flowVersion);
    res.status(body.mode === 'shadow' ? 200 : 202).json(result);
  });
  r.post('/:id/cancel', async (req, res) => {
    res.json(await svc.cancel(req.params.id));
  });
  r.get('/:id/events', async (req, res) => {
    // Subscribe before reading the snapshot so no event falls between the two.
    const early: RunnerEvent[] = [];
    let deliver: ((ev: RunnerEvent) => void) | undefined;
    const unsubscribe = events.subscribe(req.params.id, (ev) => (deliver ? deliver(ev) : early.push(ev)), { live: true });
    const e = await svc.get(req.params.id).catch((err: unknown) => { unsubscribe(); throw err; });
    if (!e) { unsubscribe(); throw notFound('execution'); }
    // X-Accel-Buffering: nginx passes events on at once instead of buffering the stream (docs/reverse-proxy.md).
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    const reader = readsOnly(res);
    const send = (type: string, data: unknown): boolean => res.write(`event: ${type}\ndata: ${JSON.stringify(reader ? hideHookUrls(data) : data)}\n\n`);
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    const close = (): void => { clearInterval(ping); unsubscribe(); res.end(); };
    req.on('close', close);
    send('snapshot', e);
    if (FINAL.includes(e.status)) return close();
    deliver = (ev) => { send(ev.type, ev); if (ev.type === 'execution.finished') close(); };
    for (const ev of early) deliver(ev);
  });
  return r;
}
