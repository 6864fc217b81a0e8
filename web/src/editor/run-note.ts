/** PURE: the line a canvas node shows under its status while a test run is live: attempts, the last error, the next try. */

export interface StepDetail {
  attempt?: number;
  /** When a parked retry is due (ms since the epoch). */
  dueAt?: number;
  error?: { code: string; message?: string };
  /** Why a skipped or canceled node did not run ("not reached: check took `invalid`"). */
  reason?: string;
}

const clock = (ms: number): string => new Date(ms).toLocaleTimeString([], { hour12: false });

/** "after 3 attempts" for a step that settled after more than one attempt. */
export const attemptsNote = (attempts: number): string | undefined => (attempts > 1 ? `after ${attempts} attempts` : undefined);

/** e.g. "attempt 2 failed (http_status_503) · next try 21:40:05 (in 3 s)"; undefined when there is nothing to add. */
export function runNote(status: string, d: StepDetail, now: number): string | undefined {
  const attempt = d.attempt ?? 0;
  if (status === 'retrying') {
    const failed = `attempt ${attempt || '?'} failed${d.error ? ` (${d.error.code})` : ''}`;
    if (d.dueAt === undefined) return failed;
    const wait = Math.max(0, Math.round((d.dueAt - now) / 1000));
    return `${failed} · next try ${clock(d.dueAt)} (in ${wait} s)`;
  }
  if (status === 'running' && attempt > 1) return `attempt ${attempt}`;
  if ((status === 'skipped' || status === 'canceled') && (d.reason ?? d.error?.message)) return d.reason ?? d.error?.message;
  return status === 'succeeded' || status === 'failed' ? attemptsNote(attempt) : undefined;
}

/**
 * Why a node of a finished execution has no step at all: "not reached: the execution failed at fulfil",
 * "not reached: the execution was canceled"; undefined while the execution may still reach it.
 */
export function notReachedNote(status: string, error?: { nodeId?: string }): string | undefined {
  const at = error?.nodeId ? ` at ${error.nodeId}` : '';
  if (status === 'failed') return `not reached: the execution failed${at}`;
  if (status === 'canceled') return 'not reached: the execution was canceled';
  if (status === 'rejected') return `not reached: the delivery was rejected${at}`;
  return undefined;
}
