/** Builds a NodeContext for node unit tests: inert fakes plus the real linear-time regex engine. */
import type { NodeContext, Sandbox, SandboxRequest, TriggerEnvelope } from '../../../nodes/contract.js';
import { createSafeRegex } from '../../../nodes/safe-regex.js';

export const aTrigger = (over: Partial<TriggerEnvelope> = {}): TriggerEnvelope => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  query: {},
  body: {},
  receivedAt: '2025-01-01T00:00:00.000Z',
  eventId: 'evt_1',
  ...over,
});

/** A sandbox that refuses to run: tests that need one pass their own. */
export const noSandbox: Sandbox = {
  run(req: SandboxRequest): Promise<unknown> {
    return Promise.reject(new Error(`no sandbox in this test (asked to run ${req.kind})`));
  },
};

export function fakeCtx(over: Partial<NodeContext> = {}): NodeContext {
  return {
    execution: { id: 'exe_1', flowId: 'flw_1', flowVersion: 3, nodeId: 'n1', attempt: 1 },
    trigger: aTrigger(),
    nodes: {},
    idempotencyKey: 'exe_1:n1',
    signal: new AbortController().signal,
    dryRun: false,
    clock: { now: () => Date.parse('2025-01-01T00:00:00.000Z') },
    log: { debug() {}, info() {}, warn() {}, error() {} },
    sandbox: noSandbox,
    regex: createSafeRegex(),
    ...over,
  };
}
