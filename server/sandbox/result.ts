/** Turns a child's answer into the run() result or a permanent NodeError, re-checking the output caps on the host side. */
import { permanent, type NodeError } from '../../nodes/contract.js';
import { codePosition } from './code-position.js';
import { clip, TEXT_CHARS, type RunAnswer } from './protocol.js';

/** Error messages from user code are bounded so a hostile `throw` cannot flood logs or the store. */
const MAX_MESSAGE_CHARS = 2048;

const clipText = (s: string | undefined, n: number): string | undefined => (s === undefined ? undefined : clip(s, n));

export const clipMessage = (s: string): string => (s.length > MAX_MESSAGE_CHARS ? `${s.slice(0, MAX_MESSAGE_CHARS)}…` : s);

export const sandboxError = (code: string, message: string, details?: unknown): NodeError =>
  permanent(code, clipMessage(message), details);

/** True when objects/arrays in `json` nest deeper than `maxDepth` (linear scan; strings skipped). */
export function jsonDepthExceeds(json: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export interface OutputLimits {
  maxOutputBytes: number;
  maxDepth: number;
}

/**
 * The isolate already enforced the caps; checking again here means a subverted harness still cannot hand the host more.
 * An error thrown by user code gets `line`/`column` in its details when its stack names a line of that code.
 */
export function resultOf(answer: RunAnswer, limits: OutputLimits, kind: 'function' | 'expression' = 'function'): unknown {
  if (!answer.ok) {
    // Texts are clipped again here: whatever the child sends, an error record stays small (S-32).
    const details = answer.details && { name: clipText(answer.details.name, 200), stack: clipText(answer.details.stack, TEXT_CHARS) };
    const at = answer.code === 'user_code_error' ? codePosition(details?.stack, kind) : undefined;
    throw sandboxError(answer.code, answer.message, at ? { ...details, ...at } : details);
  }
  const json = answer.json;
  if (json === undefined) return undefined;
  if (Buffer.byteLength(json, 'utf8') > limits.maxOutputBytes) {
    throw sandboxError('sandbox_output', `output is larger than ${limits.maxOutputBytes} bytes of JSON`);
  }
  if (jsonDepthExceeds(json, limits.maxDepth)) {
    throw sandboxError('sandbox_output', `output is nested deeper than ${limits.maxDepth} levels`);
  }
  // JSON.parse defines "__proto__" as an own data key; it never sets a prototype.
  const value: unknown = JSON.parse(json);
  return value;
}

/** Console text from the child, cut at the per-call cap (the harness already cut it; the host does not rely on that). */
export const clipLogs = (logs: string, maxLogBytes: number): string => (logs.length > maxLogBytes + 200 ? `${logs.slice(0, maxLogBytes)}…` : logs);
