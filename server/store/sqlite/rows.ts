/** Row ⇄ record mapping for executions, steps and attempts (JSON columns parsed here only). */
import type { AttemptRecord, ErrorRecord, ExecutionRecord, StepRecord, ExecutionStatus, ExecutionMode } from '../types.js';
import type { StepStatus } from '../../runner/planner.js';
import type { SyncResponse } from '../../../nodes/contract.js';

export interface ExecutionRow {
  id: string; flow_id: string; flow_version: number; event_id: string; mode: string; status: string;
  due_at: number; replay_of: string | null; created_at: number; started_at: number | null;
  finished_at: number | null; error: string | null; response: string | null; fence: number;
}
export interface StepRow {
  node_id: string; status: string; port: string | null; output: string | null; error: string | null;
  attempts: number; due_at: number | null; started_at: number | null; finished_at: number | null;
}
export interface AttemptRow {
  node_id: string; attempt: number; status: string; started_at: number; ended_at: number;
  error_code: string | null; error_message: string | null; output: string | null;
}

const parse = <T>(s: string | null): T | undefined => (s === null ? undefined : (JSON.parse(s) as T));
const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

export const toExecution = (r: ExecutionRow): ExecutionRecord => ({
  id: r.id, flowId: r.flow_id, flowVersion: r.flow_version, eventId: r.event_id,
  mode: r.mode as ExecutionMode, status: r.status as ExecutionStatus, dueAt: r.due_at,
  replayOf: opt(r.replay_of), createdAt: r.created_at, startedAt: opt(r.started_at),
  finishedAt: opt(r.finished_at), error: parse<ErrorRecord>(r.error), response: parse<SyncResponse>(r.response),
});

export const toStep = (r: StepRow): StepRecord => ({
  nodeId: r.node_id, status: r.status as StepStatus, port: opt(r.port), output: parse(r.output),
  error: parse<ErrorRecord>(r.error), attempts: r.attempts, dueAt: opt(r.due_at),
  startedAt: opt(r.started_at), finishedAt: opt(r.finished_at),
});

export const toAttempt = (r: AttemptRow): AttemptRecord => ({
  nodeId: r.node_id, attempt: r.attempt, status: r.status as AttemptRecord['status'],
  startedAt: r.started_at, endedAt: r.ended_at, errorCode: opt(r.error_code),
  errorMessage: opt(r.error_message), output: parse(r.output),
});

export const stepParams = (executionId: string, s: StepRecord) => ({
  execution_id: executionId, node_id: s.nodeId, status: s.status, port: s.port ?? null,
  output: s.output === undefined ? null : JSON.stringify(s.output),
  error: s.error === undefined ? null : JSON.stringify(s.error), attempts: s.attempts,
  due_at: s.dueAt ?? null, started_at: s.startedAt ?? null, finished_at: s.finishedAt ?? null,
});

/** Attempt outputs are kept for debugging only, so they are capped (the step row holds the full output). */
const ATTEMPT_OUTPUT_CAP = 64 * 1024;

export const attemptParams = (executionId: string, a: AttemptRecord) => {
  const out = a.output === undefined ? null : JSON.stringify(a.output);
  return {
    execution_id: executionId, node_id: a.nodeId, attempt: a.attempt, status: a.status,
    started_at: a.startedAt, ended_at: a.endedAt, error_code: a.errorCode ?? null,
    error_message: a.errorMessage ?? null,
    output: out !== null && out.length > ATTEMPT_OUTPUT_CAP ? JSON.stringify({ truncated: true, bytes: out.length }) : out,
  };
};
