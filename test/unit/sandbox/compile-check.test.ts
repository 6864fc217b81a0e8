/** The pure half of the save-time compile check: the harness's wrapper and positions in the user's own lines. */
import { describe, expect, it } from 'vitest';
import { checkBody, checkMessage, checkScript, userPosition } from '../../../server/sandbox/compile-check.js';
import { parseChildMessage } from '../../../server/sandbox/protocol.js';

describe('compile check (pure parts)', () => {
  it('wraps an expression as the harness does, without its trailing semicolons', () => {
    expect(checkBody({ kind: 'expression', code: 'input.a > 1; ;\n' })).toBe('return (input.a > 1\n);');
    expect(checkBody({ kind: 'function', code: 'return 1;' })).toBe('return 1;');
    expect(checkScript('x')).toBe('(async function anonymous(input,ctx\n) {\nx\n})');
  });

  it('maps the script position to the user\'s line and column', () => {
    expect(userPosition("Unexpected token ';' [user-code:4:21]", 'function')).toEqual({ line: 2, column: 21 });
    expect(userPosition("Unexpected number [user-code:3:19]", 'expression')).toEqual({ line: 1, column: 11 });
    expect(userPosition("Unexpected token ')' [user-code:4:1]", 'expression')).toEqual({ line: 2, column: 1 });
    expect(userPosition('no position here', 'function')).toEqual({});
    expect(checkMessage(Object.assign(new SyntaxError("Unexpected token ';' [user-code:4:21]")))).toBe("SyntaxError: Unexpected token ';'");
  });

  it('reads a checked answer from the child and refuses a malformed one', () => {
    expect(parseChildMessage({ t: 'checked', id: 3 })).toEqual({ t: 'checked', id: 3 });
    expect(parseChildMessage({ t: 'checked', id: 3, problem: { message: 'SyntaxError: x', line: 2, column: 5 } })).toEqual({ t: 'checked', id: 3, problem: { message: 'SyntaxError: x', line: 2, column: 5 } });
    expect(parseChildMessage({ t: 'checked', id: 3, problem: { message: 'x', line: -1 } })).toBeUndefined();
    expect(parseChildMessage({ t: 'checked', id: 0 })).toBeUndefined();
  });
});
