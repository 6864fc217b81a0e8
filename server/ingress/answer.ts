/** Writing answers on bare node:http, and waiting for a synchronous flow's answer with a timeout. */
import type { ServerResponse } from 'node:http';
import type { SyncResponse } from '../../nodes/contract.js';
import type { EventBus } from '../runner/events.js';
import type { ErrorRecord } from '../store/types.js';

/**
 * Headers every answer on /hooks carries, whatever the flow set (W-25): a browser that lands on a hook answer treats
 * it as a sandboxed document from an opaque origin (no script, no same-origin access to the editor), never sniffs
 * its type, and leaks no URL in the Referer. They are written last, so a `respond` node cannot weaken them.
 */
export const INERT_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': 'sandbox',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Response headers a hook answer never carries, whoever asks: cookies, and any policy that would replace ours. */
const DROPPED = new Set(['set-cookie', 'set-cookie2', 'content-security-policy', 'content-security-policy-report-only', 'x-content-type-options', 'content-length', 'transfer-encoding']);

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const out: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8' };
  let isText = false;
  for (const [k, v] of Object.entries(headers ?? {})) {
    const name = k.toLowerCase();
    if (DROPPED.has(name)) continue;
    if (name === 'content-type') isText = typeof body === 'string';
    out[name] = v;
  }
  const payload = isText ? (body as string) : JSON.stringify(body ?? null);
  Object.assign(out, INERT_HEADERS);
  out['content-length'] = Buffer.byteLength(payload);
  res.writeHead(status, out);
  res.end(payload);
}

/**
 * The answer a synchronous caller gets when its execution failed or was canceled (A-13, DESIGN §7): a generic code and
 * message and the execution id. The error record (node, message, details: stack traces, the SSRF guard's resolved
 * address, SMTP replies) stays in the execution record, readable through the authenticated API only.
 */
export function failedAnswer(error: ErrorRecord, executionId: string): { error: { code: string; message: string; executionId: string }; executionId: string } {
  const canceled = error.code === 'canceled';
  return {
    error: {
      code: canceled ? 'execution_canceled' : 'execution_failed',
      message: canceled ? 'the execution was canceled' : 'the execution failed; see its execution record',
      executionId,
    },
    executionId,
  };
}

export type SyncAnswer =
  | { kind: 'response'; response: SyncResponse }
  | { kind: 'failed'; error: ErrorRecord }
  | { kind: 'timeout' };

/** Subscribe before the execution starts; resolves on the first respond, on finish, or at the timeout. */
export function waitForAnswer(events: EventBus, executionId: string, timeoutMs: number): Promise<SyncAnswer> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => settle({ kind: 'timeout' }), timeoutMs);
    const unsubscribe = events.subscribe(executionId, (e) => {
      if (e.type === 'execution.responded') settle({ kind: 'response', response: e.response });
      else if (e.type === 'execution.finished') {
        if (e.status === 'succeeded') settle({ kind: 'response', response: e.response ?? { status: 200, headers: {}, body: null } });
        // Turned away by `validate`: the caller gets the 400 with the validation errors it produced.
        else if (e.status === 'rejected' && e.response) settle({ kind: 'response', response: e.response });
        else settle({ kind: 'failed', error: e.error ?? { code: e.status, message: `execution ${e.status}` } });
      }
    });
    function settle(a: SyncAnswer): void {
      clearTimeout(timer);
      unsubscribe();
      resolve(a);
    }
  });
}
