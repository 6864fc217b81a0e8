/** Errors thrown by user code in the real sandbox carry the line and column of that code. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type SupervisedSandbox } from '../../../server/sandbox/supervisor.js';
import { expectFailure, recordingLogger, req } from './sandbox-helpers.js';

let sb: SupervisedSandbox;

beforeAll(async () => {
  sb = createSandbox({ log: recordingLogger(), timeoutMs: 500 });
  await sb.ready();
});
afterAll(() => sb.close());

describe('sandbox: where user code failed', () => {
  it('reports the line and column of a throw in a transform body', async () => {
    const err = await expectFailure(sb.run(req('const x = 1;\n\n  throw new TypeError("bad " + x)')), 'user_code_error');
    expect(err.details).toMatchObject({ name: 'TypeError', line: 3, column: 9 });
  });

  it('reports the line of a failing property read inside a nested function', async () => {
    const err = await expectFailure(sb.run(req('const f = (o) => o.a.b;\nreturn f({});')), 'user_code_error');
    expect(err.details).toMatchObject({ line: 1, column: 22 });
  });

  it('reports the column of a failing expression on its first line', async () => {
    const err = await expectFailure(sb.run({ cacheKey: 'pos-expr', kind: 'expression', code: 'input.a.b > 1', input: {}, ctx: null }), 'user_code_error');
    expect(err.details).toMatchObject({ line: 1, column: 9 });
  });

  it('adds no position to a syntax error (the editor marks those itself)', async () => {
    const err = await expectFailure(sb.run(req('return {')), 'user_code_error');
    expect(err.details).not.toHaveProperty('line');
  });
});
