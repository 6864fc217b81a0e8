/**
 * Transient PostgreSQL failures are retried inside the store: a deadlock or serialization failure at once (the
 * statement was rolled back whole), a lost connection or a restarting server with back-off for up to `forMs`.
 * What still fails becomes StoreUnavailable, which the runner treats as "not now" (the lease expires and the
 * execution is claimed again), never as the execution's own failure.
 */
import { StoreUnavailable } from '../types.js';
import { isConflict, isConnectionError } from './pool.js';

export interface RetryOptions {
  /** How long to keep trying through connection errors. @default 20000 */
  forMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `fn` must be safe to run again after a failure whose outcome is unknown (idempotent, or fenced). */
export async function retrying<T>(what: string, fn: () => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const until = Date.now() + (o.forMs ?? 20_000);
  let delay = 50;
  for (let conflicts = 0; ; ) {
    try {
      return await fn();
    } catch (e) {
      if (isConflict(e) && ++conflicts < 10) continue;
      if (isConnectionError(e) && Date.now() + delay < until) {
        await sleep(delay);
        delay = Math.min(delay * 2, 2000);
        continue;
      }
      if (e instanceof StoreUnavailable) throw e;
      if (isConflict(e) || isConnectionError(e)) throw new StoreUnavailable(`${what}: ${(e as Error).message}`, { cause: e });
      throw e;
    }
  }
}
