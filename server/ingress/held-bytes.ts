/**
 * One webhook request's share of the in-flight byte bound (W-28). What it declares is reserved before its body is
 * read, what it holds beyond that (chunked, inflated) as it arrives. The bytes are given back once its answer is
 * sent and, when the execution was started at once in this process, once that run settles (finished or parked):
 * the run holds the body's parsed copies, which is where most of the memory of a large webhook goes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventBus } from '../runner/events.js';
import { IngressError } from './ingress-error.js';
import type { InflightBudget } from './inflight-budget.js';

/** A run that neither finishes nor parks here (its lease lost to another worker) stops holding bytes after this. */
const RUN_HOLD_MAX_MS = 120_000;

const busy = (): IngressError =>
  new IngressError(503, 'server_busy', 'too many request bytes in flight on this server; retry shortly', { headers: { 'retry-after': '2' }, closeConnection: true });

export interface HeldBytes {
  /** Options for readBody: count the body as it grows, refuse past the bound. */
  read: { onHeld?: (total: number) => boolean; refusal?: () => Error };
  /** Keep the bytes until this execution's run (started now, in this process) finishes or parks. */
  untilSettled(executionId: string): void;
}

/** @throws IngressError 503 `server_busy` (Retry-After) when the declared size does not fit. */
export function holdBytes(budget: InflightBudget | undefined, events: EventBus, req: IncomingMessage, res: ServerResponse, maxBody: number): HeldBytes {
  if (budget === undefined) return { read: {}, untilSettled: () => undefined };
  const lease = budget.lease();
  let holds = 1;
  const drop = (): void => { if (--holds === 0) lease.release(); };
  res.once('close', drop);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > 0 && declared <= maxBody && !lease.grow(declared)) throw busy();
  return {
    read: { onHeld: (total) => lease.grow(total), refusal: busy },
    untilSettled(executionId) {
      holds++;
      let done = false;
      const settle = (): void => {
        if (done) return;
        done = true;
        off();
        clearTimeout(timer);
        drop();
      };
      const off = events.subscribe(executionId, (e) => { if (e.type === 'execution.finished' || e.type === 'execution.waiting') settle(); });
      const timer = setTimeout(settle, RUN_HOLD_MAX_MS);
      timer.unref();
    },
  };
}
