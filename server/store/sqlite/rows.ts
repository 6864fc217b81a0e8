/** Row ⇄ record mapping for executions, steps and attempts (JSON columns parsed here only). */
import type { AttemptRecord, ErrorRecord, ExecutionAnswer, ExecutionRecord, StepRecord, ExecutionStatus, ExecutionMode } from '../types.js';
import type { SyncResponse } from '../../../nodes/contract.js';

export interface ExecutionRow {
  id: string; flow_id: string; flow_version: number; event_id: string; mode: string; status: string;
  due_at: number; replay_of: string | null; created_at: number; started_at: number | null;
  finished_at: number | null; error: string | null; response: string | null; fence: number;
  steps: string; attempts: string; answer?: string | null; parent_id?: string | null; parent_step?: string | null;
}
const parse = <T>(s: string | null): T | undefined => (s === null ? undefined : (JSON.parse(s) as T));
const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

export const toExecution = (r: ExecutionRow): ExecutionRecord => ({
  id: r.id, flowId: r.flow_id, flowVersion: r.flow_version, eventId: r.event_id,
  mode: r.mode as ExecutionMode, status: r.status as ExecutionStatus, dueAt: r.due_at,
  replayOf: opt(r.replay_of), createdAt: r.created_at, startedAt: opt(r.started_at),
  finishedAt: opt(r.finished_at), error: parse<ErrorRecord>(r.error), response: parse<SyncResponse>(r.response),
  ...(r.answer ? { answer: parse<ExecutionAnswer>(r.answer) } : {}),
  ...(r.parent_id ? { parent: { executionId: r.parent_id, nodeId: r.parent_step ?? '' } } : {}),
});

/** Recorded answers keep a body of at most this much JSON; a larger one is replaced by its size and first characters. */
export const ANSWER_BODY_CAP = 16 * 1024;

export const capAnswer = (a: ExecutionAnswer): ExecutionAnswer => {
  const text = JSON.stringify(a.body) ?? 'null';
  return text.length > ANSWER_BODY_CAP ? { ...a, body: { truncated: true, bytes: text.length, start: text.slice(0, 2000) } } : a;
};

/** Attempt outputs are kept for debugging only, so they are capped (the step holds the full output). */
const ATTEMPT_OUTPUT_CAP = 64 * 1024;

export const capAttempt = (a: AttemptRecord): AttemptRecord => {
  if (a.output === undefined) return a;
  const size = JSON.stringify(a.output)?.length ?? 0;
  return size > ATTEMPT_OUTPUT_CAP ? { ...a, output: { truncated: true, bytes: size } } : a;
};

export const stepsOf = (r: Pick<ExecutionRow, 'steps'>): StepRecord[] => JSON.parse(r.steps) as StepRecord[];
export const attemptsOf = (r: Pick<ExecutionRow, 'attempts'>): AttemptRecord[] => JSON.parse(r.attempts) as AttemptRecord[];
