/** Syntax errors of user code found from the lezer parse tree (no evaluation), and line/column → offset. */
import { describe, expect, it } from 'vitest';
import { offsetOf, syntaxProblems } from '../../../web/src/editor/code-syntax.js';

describe('syntaxProblems', () => {
  it('finds nothing in valid function bodies (top-level return and await included)', () => {
    for (const code of ['return { ...input, total: 1 }', 'const a = await Promise.resolve(input);\nreturn a', 'return `a${input.b}` ?? ctx?.x', '']) {
      expect(syntaxProblems(code), code).toEqual([]);
    }
  });

  it('marks the token where parsing failed', () => {
    expect(syntaxProblems('return x +;')).toEqual([{ from: 10, to: 11, message: 'Syntax error near ";"' }]);
    const code = 'const a = 1\nconst b = ]\nreturn a';
    const [p] = syntaxProblems(code);
    expect(code.slice(p.from, p.to)).toBe(']');
  });

  it('says when the code ends too early, marking its last character', () => {
    const [p] = syntaxProblems('return {\n  a: 1,\n  ');
    expect(p.message).toMatch(/ends too early/);
    expect(p).toMatchObject({ from: 15, to: 16 });
  });

  it('parses an expression the way the sandbox wraps it', () => {
    expect(syntaxProblems('{ a: 1 }', 'expression')).toEqual([]);
    expect(syntaxProblems('input.total > 10 && ctx.ok', 'expression')).toEqual([]);
    const [p] = syntaxProblems('input.total >', 'expression');
    expect(p.message).toMatch(/ends too early/);
    expect(syntaxProblems('a b', 'expression')[0]).toMatchObject({ from: 2, to: 3, message: 'Syntax error near "b"' });
  });

  it('reports at most five problems, once per position', () => {
    const found = syntaxProblems(Array.from({ length: 20 }, () => 'const = ;').join('\n'));
    expect(found.length).toBeLessThanOrEqual(5);
    expect(new Set(found.map((p) => p.from)).size).toBe(found.length);
  });
});

describe('offsetOf', () => {
  it('maps 1-based line and column into the text, clamped to the line', () => {
    const code = 'ab\ncdef\ng';
    expect(offsetOf(code, 1, 1)).toBe(0);
    expect(offsetOf(code, 2, 3)).toBe(5);
    expect(offsetOf(code, 2, 99)).toBe(7);
    expect(offsetOf(code, 9, 1)).toBe(code.length);
  });
});
