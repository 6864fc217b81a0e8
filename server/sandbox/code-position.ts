/** Pure: the line and column in the user's own code where a sandbox error was thrown, read from its stack. */

export interface CodePosition {
  /** 1-based line in the user's code. */
  line: number;
  /** 1-based column in the user's code. */
  column: number;
}

/**
 * The harness compiles user code with `new AsyncFunction('input', 'ctx', body)`, whose source V8 numbers as
 * `async function anonymous(input,ctx\n) {\n<body>\n}`: the body starts on line 3. An expression's body is
 * `return (<code>\n);`, so its first line is also shifted right by `return (`.
 */
const BODY_FIRST_LINE = 3;
const EXPRESSION_PREFIX = 'return ('.length;

/** A frame of the user's function: `eval at <anonymous> (<isolated-vm>:L:C), <anonymous>:LINE:COL)`. */
const USER_FRAME = /\(eval at <anonymous> \(<isolated-vm>:\d+:\d+\), <anonymous>:(\d+):(\d+)\)/;

/** The innermost frame of user code in `stack`, mapped to the user's lines; `undefined` when there is none. */
export function codePosition(stack: string | undefined, kind: 'function' | 'expression'): CodePosition | undefined {
  if (stack === undefined) return undefined;
  const m = USER_FRAME.exec(stack);
  if (!m) return undefined;
  const line = Number(m[1]) - BODY_FIRST_LINE + 1;
  let column = Number(m[2]);
  if (line < 1 || column < 1) return undefined;
  if (kind === 'expression' && line === 1) column -= EXPRESSION_PREFIX;
  return column < 1 ? undefined : { line, column };
}
