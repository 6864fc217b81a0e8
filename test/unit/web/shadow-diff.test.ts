/** The shadow diff as rows: kinds, status and port changes, and old → new values found at the server's diff paths. */
import { describe, expect, it } from 'vitest';
import type { StepRecord } from '../../../web/src/api/types.js';
import { asText, diffRows, diffSummary, valueAtDiffPath, type ShadowAnswer } from '../../../web/src/executions/shadow-diff.js';
import { diffRuns } from '../../../server/runner/shadow.js';

const step = (nodeId: string, output: unknown, status: StepRecord['status'] = 'succeeded', port = 'out'): StepRecord => ({ nodeId, status, port, output, attempts: 1 });

function answerFor(recorded: StepRecord[], shadow: StepRecord[], stubbed: string[] = []): ShadowAnswer {
  return { executionId: 'exe_s', mode: 'shadow', replayOf: 'exe_r', flowVersion: 3, recordedVersion: 2, status: 'succeeded', nodes: diffRuns(recorded, shadow, new Set(stubbed)) };
}

describe('diffRows', () => {
  it('classifies nodes and lists changed paths with both values as text, changed first', () => {
    const recorded = [step('hook', { body: 1 }), step('calc', { total: 10, items: [{ sku: 'A' }] }), step('gone', 1), step('mail', { messageId: 'm' })];
    const shadow = [step('hook', { body: 1 }), step('calc', { total: 12, items: [{ sku: 'B' }], extra: '<b>x</b>' }), step('new', 2), step('mail', { messageId: 'm' })];
    const rows = diffRows(answerFor(recorded, shadow, ['mail']), recorded, shadow);
    expect(rows.map((r) => [r.nodeId, r.kind])).toEqual([['calc', 'changed'], ['gone', 'only-old'], ['new', 'only-new'], ['hook', 'same'], ['mail', 'same']]);
    expect(rows[0].changes).toEqual([
      { path: '$.total', before: '10', after: '12' },
      { path: '$.items[0].sku', before: '"A"', after: '"B"' },
      { path: '$.extra', before: '(absent)', after: '"<b>x</b>"' },
    ]);
    expect(rows.find((r) => r.nodeId === 'mail')?.stubbed).toBe(true);
    expect(rows.find((r) => r.nodeId === 'gone')?.status).toBe('succeeded → (absent)');
  });

  it('shows a status and port change', () => {
    const recorded = [step('check', { a: 1 }, 'succeeded', 'valid')];
    const shadow = [step('check', { errors: [] }, 'succeeded', 'invalid')];
    const [r] = diffRows(answerFor(recorded, shadow), recorded, shadow);
    expect(r).toMatchObject({ kind: 'changed', status: 'succeeded', port: 'valid → invalid' });
  });

  it('marks a diff the server capped at 50 paths', () => {
    const big = (n: number) => Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, n]));
    const recorded = [step('calc', big(1))];
    const shadow = [step('calc', big(2))];
    const [r] = diffRows(answerFor(recorded, shadow), recorded, shadow);
    expect(r.changes).toHaveLength(50);
    expect(r.capped).toBe(true);
  });

  it('summarises the kinds', () => {
    const recorded = [step('a', 1), step('b', 1)];
    const shadow = [step('a', 2), step('b', 1), step('c', 1)];
    expect(diffSummary(diffRows(answerFor(recorded, shadow), recorded, shadow))).toBe('1 changed · 1 only in the shadow run · 1 same');
    expect(diffSummary([])).toBe('No nodes ran.');
  });
});

describe('valueAtDiffPath', () => {
  it('follows keys, indices and keys holding dots', () => {
    const v = { a: { 'b.c': [0, { d: 'x' }] } };
    expect(valueAtDiffPath(v, '$.a.b.c[1].d')).toBe('x');
    expect(valueAtDiffPath(v, '$')).toBe(v);
    expect(valueAtDiffPath(v, '$.a.zz')).toBeUndefined();
    expect(valueAtDiffPath(7, '$.a')).toBeUndefined();
  });
  it('never reaches prototypes', () => {
    expect(valueAtDiffPath({}, '$.constructor')).toBeUndefined();
    expect(valueAtDiffPath({}, '$.__proto__')).toBeUndefined();
  });
});

describe('asText', () => {
  it('writes JSON, clips long values and names absence', () => {
    expect(asText('a')).toBe('"a"');
    expect(asText(undefined)).toBe('(absent)');
    expect(asText(null)).toBe('null');
    expect(asText('x'.repeat(400))).toHaveLength(301);
  });
});
