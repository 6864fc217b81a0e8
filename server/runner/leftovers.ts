/** Pure: end the parked steps of an execution that is finishing, so a finished execution has none left. */
import type { StepStatus } from './planner.js';

interface EndableStep {
  nodeId: string;
  status: StepStatus;
  dueAt?: number;
  reason?: string;
  error?: { code: string; message: string };
  finishedAt?: number;
}

/** The reason a parked step gets when its execution is canceled through the API. */
export const CANCELED_BY_USER = 'canceled: the execution was canceled';

/** Steps that still expect to run later: a finished execution must have none of these (issue 11, part 3). */
export const isParked = (s: { status: string }): boolean => s.status === 'retrying' || s.status === 'waiting';

/**
 * Every parked step (retrying, waiting) becomes `canceled` with `reason` (also as its error, code `canceled`), and
 * loses its due time; other steps are returned as they are. `at` stamps the canceled steps' `finishedAt`.
 */
export function cancelParked<T extends EndableStep>(steps: readonly T[], reason: string, at: number): T[] {
  return steps.map((s) => {
    if (!isParked(s)) return s;
    const { dueAt: _due, ...rest } = s;
    return { ...rest, status: 'canceled', reason, error: { code: 'canceled', message: reason }, finishedAt: at } as T;
  });
}
