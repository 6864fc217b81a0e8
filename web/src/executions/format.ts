/** PURE: an execution in a few words for the list: how it was triggered and what the caller was answered. */
import type { ExecutionListItem } from '../api/types.js';

/** "POST · key d-42", "POST · {"id":"ord_1",…", or the mode for runs no HTTP caller started. */
export function triggerSummary(x: Pick<ExecutionListItem, 'mode' | 'trigger'>): string {
  const t = x.trigger ?? {};
  const method = t.method ?? '';
  const what = t.idempotencyKey ? `key ${t.idempotencyKey}` : t.bodyPreview ? clip(t.bodyPreview, 48) : 'no body';
  const origin = x.mode === 'test' ? 'test · ' : x.mode === 'replay' ? 'replay · ' : x.mode === 'shadow' ? 'shadow · ' : '';
  return `${origin}${method}${method ? ' · ' : ''}${what}`;
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}…` : s);

/** The HTTP status the caller got: 202 for async deliveries, the recorded answer for sync ones; none for tests and replays. */
export function answeredStatus(x: Pick<ExecutionListItem, 'mode' | 'answer' | 'status'>): number | undefined {
  if (x.mode === 'async') return 202;
  if (x.mode === 'sync') return x.answer?.status;
  return undefined;
}
