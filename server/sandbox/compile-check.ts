/**
 * Pure parts of the save-time compile check (the isolate work is in isolate-host.ts, the one module that touches
 * isolated-vm): the code as the harness wraps it (bootstrap.ts), and a syntax error's position in the user's lines.
 */
import type { CheckRequest } from './protocol.js';

/** The file name compiled wrappers carry, so a syntax error's `[user-code:L:C]` can be found in its message. */
export const CHECK_FILE = 'user-code';
/** `(async function anonymous(input,ctx\n) {\n<body>\n})`: the body starts on line 3, as in `new AsyncFunction`. */
const BODY_FIRST_LINE = 3;
const EXPRESSION_PREFIX = 'return ('.length;
const POSITION = / \[user-code:(\d+):(\d+)\]$/;

/** The function body the harness compiles: an expression loses trailing `;` and blanks and becomes `return ( … \n);`. */
export function checkBody(req: Pick<CheckRequest, 'kind' | 'code'>): string {
  if (req.kind === 'function') return req.code;
  let end = req.code.length;
  while (end > 0 && (req.code[end - 1] === ';' || req.code[end - 1] <= ' ')) end--;
  return `return (${req.code.slice(0, end)}\n);`;
}

/** The same body as a script, so that compiling it reports where a syntax error is. */
export const checkScript = (body: string): string => `(async function anonymous(input,ctx\n) {\n${body}\n})`;

/** `SyntaxError: Unexpected token ';' [user-code:4:21]` → the message without the position. */
export const checkMessage = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).replace(POSITION, '');

/** The position in a compiled script's error message, mapped to the user's own lines and columns (1-based). */
export function userPosition(message: string, kind: CheckRequest['kind']): { line?: number; column?: number } {
  const m = POSITION.exec(message);
  if (!m) return {};
  const line = Number(m[1]) - BODY_FIRST_LINE + 1;
  let column = Number(m[2]);
  if (kind === 'expression' && line === 1) column -= EXPRESSION_PREFIX;
  if (line < 1) return {};
  return column >= 1 ? { line, column } : { line };
}
