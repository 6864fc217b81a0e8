import { describe, expect, it } from 'vitest';
import { waitNode } from '../../../nodes/wait.js';
import { createResumeTokens } from '../../../server/ingress/resume-token.js';
import { fakeCtx } from './fake-ctx.js';

const T = Date.parse('2025-01-01T00:00:00.000Z');
const params = { timeoutMs: 5000 };

describe('wait node', () => {
  it('parks until its timeout when nothing has arrived', async () => {
    const r = await waitNode.execute(fakeCtx({ signalled: async () => undefined }), { a: 1 }, params);
    expect(r).toEqual({ waitUntilMs: T + 5000 });
  });

  it('emits the delivered request on out, before and after parking', async () => {
    const req = { method: 'POST', body: { paid: true } };
    expect(await waitNode.execute(fakeCtx({ signalled: async () => req }), { a: 1 }, params)).toEqual({ port: 'out', value: req });
    const resumed = fakeCtx({ signalled: async () => req, execution: { id: 'e', flowId: 'f', flowVersion: 1, nodeId: 'n', attempt: 1, resumedFromWaitAt: T + 5000 } });
    expect(await waitNode.execute(resumed, {}, params)).toEqual({ port: 'out', value: req });
  });

  it('keeps its first deadline when woken early without a signal, and emits its input on timeout once past it', async () => {
    const early = fakeCtx({ signalled: async () => undefined, execution: { id: 'e', flowId: 'f', flowVersion: 1, nodeId: 'n', attempt: 1, resumedFromWaitAt: T + 100 } });
    expect(await waitNode.execute(early, {}, params)).toEqual({ waitUntilMs: T + 100 });
    const late = fakeCtx({ signalled: async () => undefined, execution: { id: 'e', flowId: 'f', flowVersion: 1, nodeId: 'n', attempt: 1, resumedFromWaitAt: T } });
    expect(await waitNode.execute(late, { a: 1 }, params)).toEqual({ port: 'timeout', value: { a: 1 } });
  });

  it('fails permanently on a host without signals, and never waits in a dry run', async () => {
    await expect(waitNode.execute(fakeCtx(), {}, params)).rejects.toMatchObject({ code: 'capability_missing', retryable: false });
    expect(await waitNode.execute(fakeCtx({ dryRun: true }), { a: 1 }, params)).toEqual({ port: 'out', value: { a: 1 } });
  });
});

describe('resume tokens', () => {
  const tokens = createResumeTokens(Buffer.alloc(32, 7));
  it('round-trips the execution and node, and refuses any change', () => {
    const tok = tokens.token('exe_0abc-_XY', 'approve');
    expect(tokens.verify(tok)).toEqual({ executionId: 'exe_0abc-_XY', nodeId: 'approve' });
    expect(tokens.verify(tok.replace('approve', 'approvf'))).toBeUndefined();
    expect(tokens.verify(tok.replace('exe_0abc', 'exe_0abd'))).toBeUndefined();
    expect(tokens.verify(`${tok.slice(0, -1)}${tok.endsWith('A') ? 'B' : 'A'}`)).toBeUndefined();
    expect(tokens.verify('garbage')).toBeUndefined();
    expect(createResumeTokens(Buffer.alloc(32, 8)).verify(tok)).toBeUndefined();
  });
});
