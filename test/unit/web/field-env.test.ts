/** A node's field environment: template paths from the last test run for the nodes upstream, and the run-time error position. */
import { describe, expect, it } from 'vitest';
import type { ExecutionDetail } from '../../../web/src/api/types.js';
import { fieldEnvOf, runErrorOf } from '../../../web/src/editor/field-env.js';

const edges = [{ id: 'e1', source: 'hook', target: 'calc' }, { id: 'e2', source: 'calc', target: 'mail' }];
const run: ExecutionDetail = {
  id: 'exe_1', flowId: 'flw_1', flowVersion: 1, eventId: 'evt_1', mode: 'test', status: 'failed', dueAt: 0, createdAt: 0, attempts: [],
  trigger: { method: 'POST', headers: { 'x-id': '7' }, query: {}, body: { order: { id: 42 } }, receivedAt: '2026-01-01T00:00:00Z', eventId: 'evt_1' },
  steps: [
    { nodeId: 'hook', status: 'succeeded', port: 'out', output: { body: { order: { id: 42 } } }, attempts: 1 },
    { nodeId: 'calc', status: 'failed', attempts: 1,
      error: { code: 'user_code_error', message: "Cannot read properties of undefined (reading 'x')", details: { name: 'TypeError', stack: '…', line: 2, column: 14 } } },
  ],
};

describe('fieldEnvOf', () => {
  it('offers the roots and upstream node ids before any run', () => {
    const env = fieldEnvOf('mail', edges, null);
    expect(env.fromRun).toBe(false);
    expect(env.suggestions.map((s) => s.path)).toEqual(expect.arrayContaining(['input', 'trigger.body', 'nodes.calc', 'nodes.hook']));
  });

  it('after a run, offers paths of the trigger and of what upstream nodes produced', () => {
    const env = fieldEnvOf('calc', edges, run);
    const paths = env.suggestions.map((s) => s.path);
    expect(paths).toEqual(expect.arrayContaining(['trigger.body.order.id', 'trigger.headers.x-id', 'input.body.order.id', 'nodes.hook.body.order']));
    expect(paths.some((p) => p.startsWith('nodes.mail'))).toBe(false);
  });
});

describe('runErrorOf', () => {
  it('reads the line and column the server put in the step error', () => {
    expect(runErrorOf('calc', run)).toEqual({ executionId: 'exe_1', line: 2, column: 14, message: "TypeError: Cannot read properties of undefined (reading 'x')" });
  });
  it('gives nothing for nodes without a positioned error', () => {
    expect(runErrorOf('hook', run)).toBeUndefined();
    expect(runErrorOf('calc', null)).toBeUndefined();
  });
});
