/** Wire format between the sandbox supervisor and its child process, with guards for every message read off the IPC channel. */

export type SandboxErrorCode =
  | 'sandbox_timeout' | 'sandbox_memory' | 'sandbox_output' | 'sandbox_crash' | 'sandbox_canceled' | 'user_code_error';

const ERROR_CODES: readonly string[] = ['sandbox_timeout', 'sandbox_memory', 'sandbox_output', 'sandbox_crash', 'sandbox_canceled', 'user_code_error'];

/** Exit code of a child started without `--no-node-snapshot` (EX_CONFIG). */
export const EXIT_NO_SNAPSHOT_FLAG = 78;

/** Longest error message or stack kept from the child; error names are cut at NAME_CHARS. */
export const TEXT_CHARS = 4096;
const NAME_CHARS = 200;

/** Limits the child applies; fixed for the child's lifetime, passed as its single argv entry (JSON). */
export interface ChildConfig {
  /** Heap limit for user code, per isolate, in MB. */
  memoryMb: number;
  /** Max length of the JSON result, checked inside the isolate before it is copied out. */
  maxOutputBytes: number;
  /** Max nesting of objects/arrays in the result. */
  maxDepth: number;
  /** Max console output kept per call. */
  maxLogBytes: number;
  /** Contexts (one per cacheKey) kept warm in each lane's isolate. */
  maxContexts: number;
  /** The child exits when its RSS exceeds this, in MB. */
  childRssMb: number;
  /** Isolates, each running one call at a time on its own thread; a request names its lane (0 … lanes − 1). */
  lanes: number;
}

export interface RunRequest {
  t: 'run';
  id: number;
  lane: number;
  cacheKey: string;
  kind: 'function' | 'expression';
  code: string;
  /** JSON text of the input; '' stands for `undefined`. */
  input: string;
  /** JSON text of ctx; '' stands for `undefined`. */
  ctx: string;
  /**
   * JSON `{"t":bool,"n":[ids]}` when `ctx.trigger` (t) and/or `ctx.nodes[id]` are the input object itself: they are
   * sent as null and the harness puts a fresh parse of `input` there, so a large webhook body crosses to the child
   * and into the isolate once instead of three times (trigger, the webhook node's output, the input). Each position
   * gets its own copy, as before.
   */
  alias?: string;
  timeoutMs: number;
  wallMs: number;
}

/** Stop call `id`: dropped if still queued in its lane, its isolate disposed if running. Answered like any call. */
export interface CancelRequest {
  t: 'cancel';
  id: number;
}

/** Compile user code without running it (the save-time check): answered by a `checked` message. */
export interface CheckRequest {
  t: 'check';
  id: number;
  kind: 'function' | 'expression';
  code: string;
}

/** A syntax error where the user's code has it (1-based, in the user's own lines). */
export interface CompileProblem {
  message: string;
  line?: number;
  column?: number;
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
  /** The child is about to die; `id` names the call that caused it when the child knows. */
  | { t: 'fatal'; code: SandboxErrorCode; message: string; id?: number }
  /** Sent before the answer of call `id`, whose isolate would not stop; the child exits after that answer: send it no more work. */
  | { t: 'retiring'; reason: string; id?: number }
  /** The answer to a `check`: `problem` is absent when the code compiles. */
  | { t: 'checked'; id: number; problem?: CompileProblem };

/**
 * Messages sent in the same turn of the event loop travel as one IPC message: one write and one wake-up of the other
 * process instead of one per call (under load those writes were a sixth of the host's main thread). Each message
 * in it is validated on its own, exactly as if it had come alone.
 */
export interface Batch { t: 'batch'; m: unknown[] }
export const MAX_BATCH = 1024;

/** The messages an IPC message holds: itself, or a batch's; `undefined` for a malformed batch. */
export function unbatch(m: unknown): unknown[] | undefined {
  if (!isRec(m) || m.t !== 'batch') return [m];
  return Array.isArray(m.m) && m.m.length <= MAX_BATCH ? m.m : undefined;
}

/** Queues messages and writes them as one batch on the next turn (`setImmediate`); a lone message goes as itself. */
export function createOutbox<M, C>(write: (m: M | Batch, items: Array<{ m: M; cb?: C }>) => void): { push(m: M, cb?: C): void; flush(): void } {
  let items: Array<{ m: M; cb?: C }> = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    while (items.length > 0) {
      const b = items.length > MAX_BATCH ? items.splice(0, MAX_BATCH) : items;
      if (b === items) items = [];
      write(b.length === 1 ? (b[0] as { m: M }).m : { t: 'batch', m: b.map((x) => x.m) }, b);
    }
  };
  return {
    push(m, cb) {
      items.push({ m, cb });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

type Rec = Record<string, unknown>;
export const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const optStr = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';
const isCode = (v: unknown): v is SandboxErrorCode => typeof v === 'string' && ERROR_CODES.includes(v);
const posInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const natural = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
export const clip = (s: string, n: number): string => (s.length > n ? s.slice(0, n) : s);
const optClip = (s: string | undefined, n: number): string | undefined => (s === undefined ? undefined : clip(s, n));

export function isRunRequest(m: unknown): m is RunRequest {
  return (
    isRec(m) && m.t === 'run' && posInt(m.id) && natural(m.lane) && typeof m.cacheKey === 'string' &&
    (m.kind === 'function' || m.kind === 'expression') && typeof m.code === 'string' &&
    typeof m.input === 'string' && typeof m.ctx === 'string' && optStr(m.alias) && posInt(m.timeoutMs) && posInt(m.wallMs)
  );
}

export function isCheckRequest(m: unknown): m is CheckRequest {
  return isRec(m) && m.t === 'check' && posInt(m.id) && (m.kind === 'function' || m.kind === 'expression') && typeof m.code === 'string';
}

export const isCancelRequest = (m: unknown): m is CancelRequest => isRec(m) && m.t === 'cancel' && posInt(m.id);

function parseDetails(v: unknown): ErrorDetails | undefined {
  if (!isRec(v) || !optStr(v.name) || !optStr(v.stack)) return undefined;
  return { name: optClip(v.name, NAME_CHARS), stack: optClip(v.stack, TEXT_CHARS) };
}

/** Validates a message from the child and clips its texts; anything malformed is `undefined` (and treated as a broken child). */
export function parseChildMessage(m: unknown): ChildMessage | undefined {
  if (!isRec(m)) return undefined;
  if (m.t === 'ready' && posInt(m.pid)) return { t: 'ready', pid: m.pid };
  if (m.t === 'retiring' && typeof m.reason === 'string' && (m.id === undefined || posInt(m.id))) {
    return { t: 'retiring', reason: clip(m.reason, TEXT_CHARS), ...(m.id === undefined ? {} : { id: m.id }) };
  }
  if (m.t === 'fatal' && isCode(m.code) && typeof m.message === 'string' && (m.id === undefined || posInt(m.id))) {
    return { t: 'fatal', code: m.code, message: clip(m.message, TEXT_CHARS), ...(m.id === undefined ? {} : { id: m.id }) };
  }
  if (m.t === 'checked' && posInt(m.id)) {
    if (m.problem === undefined) return { t: 'checked', id: m.id };
    const p = m.problem;
    if (!isRec(p) || typeof p.message !== 'string' || !(p.line === undefined || posInt(p.line)) || !(p.column === undefined || posInt(p.column))) return undefined;
    return { t: 'checked', id: m.id, problem: { message: clip(p.message, TEXT_CHARS), ...(p.line ? { line: p.line } : {}), ...(p.column ? { column: p.column } : {}) } };
  }
  if (m.t !== 'result' || !posInt(m.id) || !optStr(m.logs)) return undefined;
  if (m.ok === true && optStr(m.json)) return { t: 'result', id: m.id, ok: true, json: m.json, logs: m.logs };
  if (m.ok === false && isCode(m.code) && typeof m.message === 'string') {
    return { t: 'result', id: m.id, ok: false, code: m.code, message: clip(m.message, TEXT_CHARS), details: parseDetails(m.details), logs: m.logs };
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
    maxLogBytes: num('maxLogBytes'), maxContexts: num('maxContexts'), childRssMb: num('childRssMb'), lanes: num('lanes'),
  };
}
