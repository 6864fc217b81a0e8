/** Writing answers on bare node:http, and waiting for a synchronous flow's answer with a timeout. */
import type { ServerResponse } from 'node:http';
import type { SyncResponse } from '../../nodes/contract.js';
import type { EventBus } from '../runner/events.js';
import type { ErrorRecord } from '../store/types.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const isText = typeof body === 'string' && headers !== undefined && Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  const payload = isText ? (body as string) : JSON.stringify(body ?? null);
  const out: Record<string, string | number> = { 'content-type': 'application/json; charset=utf-8', ...headers };
  out['content-length'] = Buffer.byteLength(payload);
  res.writeHead(status, out);
  res.end(payload);
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
