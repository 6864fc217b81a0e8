/** Pure helpers of shadow replays: stub side effects with what the recorded run did, and diff two runs node by node. */
import type { CompiledNode } from '../flows/compile-flow.js';
import type { StepRecord } from '../store/types.js';
import type { StepOutcome } from './step.js';
import { baseId } from './items.js';

/**
 * A side-effecting node never runs in a shadow replay: it "emits" what it emitted in the recorded run (so the
 * nodes after it see realistic data), fails as it failed there, or emits null on its first port if it never ran.
 */
export function stubOutcome(node: CompiledNode, recorded: StepRecord | undefined): StepOutcome {
  if (recorded?.status === 'succeeded') {
    return { kind: 'emitted', port: recorded.port ?? 'out', value: recorded.output, result: { port: recorded.port ?? 'out', value: recorded.output } };
  }
  if (recorded?.status === 'failed' && recorded.error) {
    return { kind: 'failed', error: { code: recorded.error.code, message: recorded.error.message, retryable: false } };
  }
  const port = node.type.ports[0] ?? 'out';
  return { kind: 'emitted', port, value: null, result: { port, value: null } };
}

export interface NodeDiff {
  nodeId: string;
  recorded?: { status: string; port?: string };
  shadow?: { status: string; port?: string };
  /** True when status, port and output are the same. */
  same: boolean;
  /** Paths (`$.a.b[0]`) where the outputs differ, at most 50. */
  changes: string[];
  stubbed: boolean;
}

export function diffRuns(recorded: readonly StepRecord[], shadow: readonly StepRecord[], stubbed: ReadonlySet<string>): NodeDiff[] {
  const rec = new Map(recorded.map((s) => [s.nodeId, s]));
  const sh = new Map(shadow.map((s) => [s.nodeId, s]));
  const ids = [...new Set([...rec.keys(), ...sh.keys()])];
  return ids.map((nodeId) => {
    const a = rec.get(nodeId);
    const b = sh.get(nodeId);
    const changes: string[] = [];
    diffValues(a?.output, b?.output, '$', changes);
    const same = a?.status === b?.status && a?.port === b?.port && changes.length === 0;
    return {
      nodeId, same, changes, stubbed: stubbed.has(baseId(nodeId)), // an item's step (`send@2`) is its node's
      recorded: a && { status: a.status, port: a.port }, shadow: b && { status: b.status, port: b.port },
    };
  });
}

const MAX_CHANGES = 50;

/** Appends the paths where `a` and `b` differ (JSON values). */
export function diffValues(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length >= MAX_CHANGES || Object.is(a, b)) return;
  const bothObjects = a !== null && b !== null && typeof a === 'object' && typeof b === 'object';
  if (!bothObjects || Array.isArray(a) !== Array.isArray(b)) {
    out.push(path);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) diffValues(a[i], b[i], `${path}[${i}]`, out);
    return;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
    diffValues(Object.hasOwn(ao, k) ? ao[k] : undefined, Object.hasOwn(bo, k) ? bo[k] : undefined, `${path}.${k}`, out);
  }
}
