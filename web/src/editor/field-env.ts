/** What a node's form fields know besides their value: template paths for completion and the last test run's error position. */
import { createContext, useContext } from 'react';
import type { ExecutionDetail } from '../api/types.js';
import { inputOf, type EditorEdge } from './flow-doc.js';
import { scopeSuggestions, upstreamOf, type PathSuggestion } from './template-paths.js';

/** A failure of this node's user code in the last test run, where the sandbox saw it. */
export interface RunError {
  /** The test execution it came from (a new run gives a new marker). */
  executionId: string;
  line: number;
  column: number;
  message: string;
}

export interface FieldEnv {
  /** `{{ path }}` completions for templated fields. */
  suggestions: readonly PathSuggestion[];
  /** True when the suggestions include data from a test run. */
  fromRun: boolean;
  runError?: RunError;
}

export const NO_FIELD_ENV: FieldEnv = { suggestions: [], fromRun: false };
export const FieldEnvContext = createContext<FieldEnv>(NO_FIELD_ENV);
export const useFieldEnv = (): FieldEnv => useContext(FieldEnvContext);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const posInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/** The line/column the server put in a user-code error's details (server/sandbox/code-position.ts). */
export function runErrorOf(nodeId: string, run: ExecutionDetail | null): RunError | undefined {
  const err = run?.steps.find((s) => s.nodeId === nodeId)?.error;
  if (!run || !err || !isRecord(err.details)) return undefined;
  const { line, column, name } = err.details;
  if (!posInt(line) || !posInt(column)) return undefined;
  const message = typeof name === 'string' && name !== '' ? `${name}: ${err.message}` : err.message;
  return { executionId: run.id, line, column, message };
}

/**
 * The field environment of one node: its upstream nodes and, after a test run, the data the run saw. A `sample`
 * input (the node details view's pinned or chosen input) replaces the run's input for `input.…` paths.
 */
export function fieldEnvOf(nodeId: string, edges: readonly EditorEdge[], run: ExecutionDetail | null, sample?: unknown): FieldEnv {
  const upstream = upstreamOf(nodeId, edges);
  if (!run) return { suggestions: scopeSuggestions({ upstream, outputs: {}, input: sample }), fromRun: sample !== undefined };
  const outputs: Record<string, unknown> = {};
  for (const s of run.steps) if (s.status === 'succeeded' && upstream.includes(s.nodeId)) outputs[s.nodeId] = s.output;
  const ran = run.steps.some((s) => s.nodeId === nodeId) || upstream.some((id) => Object.hasOwn(outputs, id));
  const input = sample !== undefined ? sample : ran ? inputOf(nodeId, edges, run.steps) : undefined;
  return {
    suggestions: scopeSuggestions({ trigger: run.trigger, input, upstream, outputs }),
    fromRun: true,
    runError: runErrorOf(nodeId, run),
  };
}
