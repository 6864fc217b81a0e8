/** Pure: reads the harness's answer string (see bootstrap.ts) into a RunAnswer, trusting and copying nothing unclipped. */
import { clip, TEXT_CHARS, type ChildConfig, type RunAnswer, type SandboxErrorCode } from './protocol.js';

const fail = (code: SandboxErrorCode, message: string, logs?: string): RunAnswer => ({ ok: false, code, message, logs });
const optStr = (v: unknown, n: number): string | undefined => (typeof v === 'string' ? clip(v, n) : undefined);

/** `step(2)`'s string: a JSON header, a newline, the result's JSON (see bootstrap.ts). Nothing in it is trusted. */
export function toAnswer(out: unknown, cfg: Pick<ChildConfig, 'maxOutputBytes' | 'maxLogBytes'>): { answer: RunAnswer; keep: boolean; rerun?: true } {
  const nl = typeof out === 'string' ? out.indexOf('\n') : -1;
  let h: Record<string, unknown> | undefined;
  try {
    const v: unknown = nl < 0 ? undefined : JSON.parse((out as string).slice(0, nl));
    h = typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    h = undefined;
  }
  if (!h) return { answer: fail('sandbox_crash', 'harness returned no outcome'), keep: false };
  const dropped = typeof h.d === 'number' && h.d > 0 ? `[${h.d} console calls dropped: log cap reached]\n` : '';
  const logs = (optStr(h.l, cfg.maxLogBytes + 1) ?? '') + dropped || undefined;
  const keep = h.k === true;
  const message = optStr(h.a, TEXT_CHARS);
  switch (h.s) {
    case 'ok': {
      const json = (out as string).slice(nl + 1);
      if (json.length > cfg.maxOutputBytes) return { answer: fail('sandbox_output', `output is larger than ${cfg.maxOutputBytes} bytes of JSON`, logs), keep };
      return { answer: { ok: true, json: json === '' ? undefined : json, logs }, keep };
    }
    case 'output':
      return { answer: fail('sandbox_output', message ?? 'output rejected', logs), keep };
    case 'error': {
      const code: SandboxErrorCode = message === 'Array buffer allocation failed' ? 'sandbox_memory' : 'user_code_error';
      const details = { name: optStr(h.b, 200), stack: optStr(h.c, TEXT_CHARS) };
      return { answer: { ok: false, code, message: message ?? 'user code failed', details, logs }, keep };
    }
    case 'dirty':
      // The call did not run: an earlier call of its batch left the global object unrestorable.
      return { answer: fail('sandbox_crash', 'the context was not pristine; the call did not run'), keep: false, rerun: true };
    case 'pending':
      return { answer: fail('sandbox_timeout', 'the returned promise never settles (nothing is left to wait for)', logs), keep: false };
    default:
      return { answer: fail('sandbox_crash', 'harness returned an unknown outcome'), keep: false };
  }
}

