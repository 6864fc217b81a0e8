/** Mapping a sandbox error's stack to the line and column of the user's own code. */
import { describe, expect, it } from 'vitest';
import { codePosition } from '../../../server/sandbox/code-position.js';

const frame = (line: number, col: number) =>
  `TypeError: bad\n    at eval (eval at <anonymous> (<isolated-vm>:95:9), <anonymous>:${line}:${col})\n    at step (<isolated-vm>:108:13)`;

describe('codePosition', () => {
  it('maps a function body frame to the user line (the body starts on line 3)', () => {
    expect(codePosition(frame(5, 7), 'function')).toEqual({ line: 3, column: 7 });
    expect(codePosition(frame(3, 1), 'function')).toEqual({ line: 1, column: 1 });
  });

  it('takes the innermost user frame', () => {
    const stack = `Error: x\n    at inner (eval at <anonymous> (<isolated-vm>:95:9), <anonymous>:4:11)\n    at eval (eval at <anonymous> (<isolated-vm>:95:9), <anonymous>:6:3)`;
    expect(codePosition(stack, 'function')).toEqual({ line: 2, column: 11 });
  });

  it('shifts the first line of an expression by its "return (" wrapper', () => {
    expect(codePosition(frame(3, 17), 'expression')).toEqual({ line: 1, column: 9 });
    expect(codePosition(frame(4, 5), 'expression')).toEqual({ line: 2, column: 5 });
  });

  it('gives nothing for stacks without a user frame, or frames inside the wrapper', () => {
    expect(codePosition(undefined, 'function')).toBeUndefined();
    expect(codePosition('SyntaxError: Unexpected token \')\'\n    at new AsyncFunction (<anonymous>)\n    at <isolated-vm>:95:9', 'function')).toBeUndefined();
    expect(codePosition(frame(2, 4), 'function')).toBeUndefined();
    expect(codePosition(frame(3, 3), 'expression')).toBeUndefined();
  });
});
