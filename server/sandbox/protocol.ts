/** Wire format between the sandbox supervisor and its child process, with guards for every message read off the IPC channel. */

export type SandboxErrorCode = 'sandbox_timeout' | 'sandbox_memory' | 'sandbox_output' | 'sandbox_crash' | 'user_code_error';

const ERROR_CODES: readonly string[] = ['sandbox_timeout', 'sandbox_memory', 'sandbox_output', 'sandbox_crash', 'user_code_error'];

/** Exit code of a child started without `--no-node-snapshot` (EX_CONFIG). */
export const EXIT_NO_SNAPSHOT_FLAG = 78;

/** Limits the child applies; fixed for the child's lifetime, passed as its single argv entry (JSON). */
export interface ChildConfig {
  /** Heap limit for user code, in MB. */
  memoryMb: number;
  /** Max length of the JSON result, checked inside the isolate before it is copied out. */
  maxOutputBytes: number;
  /** Max nesting of objects/arrays in the result. */
  maxDepth: number;
  /** Max console output kept per call. */
  maxLogBytes: number;
  /** Contexts (one per cacheKey, ~165 KB heap each) kept warm in the isolate. */
  maxContexts: number;
  /** The child exits when its RSS exceeds this, in MB. */
  childRssMb: number;
}

export interface RunRequest {
  t: 'run';
  id: number;
  cacheKey: string;
  kind: 'function' | 'expression';
  code: string;
  /** JSON text of the input; '' stands for `undefined`. */
  input: string;
  /** JSON text of ctx; '' stands for `undefined`. */
  ctx: string;
  timeoutMs: number;
  wallMs: number;
}

export interface ErrorDetails {
  name?: string;
  stack?: string;
}

export type RunAnswer =
  | { ok: true; json?: string; logs?: string }
  | { ok: false; code: SandboxErrorCode; message: string; details?: ErrorDetails; logs?: string };

export type ChildMessage =
  | { t: 'ready'; pid: number }
  | ({ t: 'result'; id: number } & RunAnswer)
  | { t: 'fatal'; code: SandboxErrorCode; message: string }
  /** Sent before the last answer of a child that will exit after it: send it no more work. */
  | { t: 'retiring'; reason: string };

type Rec = Record<string, unknown>;
export const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const optStr = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';
const isCode = (v: unknown): v is SandboxErrorCode => typeof v === 'string' && ERROR_CODES.includes(v);
const posInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

export function isRunRequest(m: unknown): m is RunRequest {
  return (
    isRec(m) && m.t === 'run' && posInt(m.id) && typeof m.cacheKey === 'string' &&
    (m.kind === 'function' || m.kind === 'expression') && typeof m.code === 'string' &&
    typeof m.input === 'string' && typeof m.ctx === 'string' && posInt(m.timeoutMs) && posInt(m.wallMs)
  );
}

function parseDetails(v: unknown): ErrorDetails | undefined {
  if (!isRec(v) || !optStr(v.name) || !optStr(v.stack)) return undefined;
  return { name: v.name, stack: v.stack };
}

/** Validates a message from the child; anything malformed is `undefined` (and treated as a broken child). */
export function parseChildMessage(m: unknown): ChildMessage | undefined {
  if (!isRec(m)) return undefined;
  if (m.t === 'ready' && posInt(m.pid)) return { t: 'ready', pid: m.pid };
  if (m.t === 'retiring' && typeof m.reason === 'string') return { t: 'retiring', reason: m.reason };
  if (m.t === 'fatal' && isCode(m.code) && typeof m.message === 'string') return { t: 'fatal', code: m.code, message: m.message };
  if (m.t !== 'result' || !posInt(m.id) || !optStr(m.logs)) return undefined;
  if (m.ok === true && optStr(m.json)) return { t: 'result', id: m.id, ok: true, json: m.json, logs: m.logs };
  if (m.ok === false && isCode(m.code) && typeof m.message === 'string') {
    return { t: 'result', id: m.id, ok: false, code: m.code, message: m.message, details: parseDetails(m.details), logs: m.logs };
  }
  return undefined;
}

export function parseChildConfig(arg: string | undefined): ChildConfig {
  const v: unknown = JSON.parse(arg ?? '');
  if (!isRec(v)) throw new Error('sandbox child: config must be a JSON object');
  const num = (k: keyof ChildConfig): number => {
    const n = v[k];
    if (!posInt(n)) throw new Error(`sandbox child: config.${k} must be a positive integer`);
    return n;
  };
  return {
    memoryMb: num('memoryMb'), maxOutputBytes: num('maxOutputBytes'), maxDepth: num('maxDepth'),
    maxLogBytes: num('maxLogBytes'), maxContexts: num('maxContexts'), childRssMb: num('childRssMb'),
  };
}
