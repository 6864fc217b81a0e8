/** PURE: syntax errors in user JavaScript, found by walking the lezer parse tree. Parses only: never evaluates the code. */
import { javascriptLanguage } from '@codemirror/lang-javascript';

/** How the sandbox compiles the code: a function body (`transform`) or one expression (`condition`). */
export type CodeKind = 'function' | 'expression';

export interface SyntaxProblem {
  from: number;
  to: number;
  message: string;
}

/** At most this many markers: after the first error the parser's recovery produces noise. */
const MAX_PROBLEMS = 5;
/** An expression is parsed the way the sandbox wraps it, `(<code>\n)`: an object literal stays an expression. */
const EXPRESSION_OPEN = '(';

/** The token at `pos` (up to whitespace, at most 20 characters), for the message. */
function tokenAt(code: string, pos: number): string {
  const m = /^\S{1,20}/.exec(code.slice(pos));
  return m ? m[0] : '';
}

/** The range a marker covers: the offending token, or the last character when the code ends too early. */
function problemAt(code: string, pos: number): SyntaxProblem {
  const rest = code.slice(pos);
  const skipped = rest.length - rest.trimStart().length;
  const at = pos + skipped;
  const token = tokenAt(code, at);
  if (token === '') {
    const from = Math.max(0, code.trimEnd().length - 1);
    return { from, to: Math.min(code.length, from + 1), message: 'Syntax error: the code ends too early (something is not closed?)' };
  }
  return { from: at, to: at + token.length, message: `Syntax error near ${JSON.stringify(token)}` };
}

/** The syntax errors of `code` as the sandbox would compile it; `[]` when it parses, and for an empty field (nothing typed yet). */
export function syntaxProblems(code: string, kind: CodeKind = 'function'): SyntaxProblem[] {
  if (code.trim() === '') return [];
  const shift = kind === 'expression' ? EXPRESSION_OPEN.length : 0;
  const source = kind === 'expression' ? `${EXPRESSION_OPEN}${code}\n)` : code;
  const tree = javascriptLanguage.parser.parse(source);
  const positions: number[] = [];
  tree.iterate({
    enter(n) {
      if (!n.type.isError || positions.length >= MAX_PROBLEMS) return;
      const pos = Math.min(code.length, Math.max(0, n.from - shift));
      if (!positions.includes(pos)) positions.push(pos);
    },
  });
  return positions.map((p) => problemAt(code, p));
}

/** The document offset of a 1-based line and column, clamped into the code. */
export function offsetOf(code: string, line: number, column: number): number {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = code.indexOf('\n', start);
    if (nl < 0) return code.length;
    start = nl + 1;
  }
  const end = code.indexOf('\n', start);
  const lineEnd = end < 0 ? code.length : end;
  return Math.min(lineEnd, start + Math.max(0, column - 1));
}
