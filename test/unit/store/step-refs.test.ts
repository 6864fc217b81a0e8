// W-27: outputs that are, hold or spread the trigger body are stored as references and read back as the same values.
import { describe, expect, it } from 'vitest';
import { packOutputs, unpackOutputs, sameJson } from '../../../server/store/step-refs.js';
import type { TriggerEnvelope } from '../../../nodes/contract.js';

const body = { id: 'ord_1', items: Array.from({ length: 50 }, (_, i) => ({ sku: `S-${i}`, qty: i, note: 'x'.repeat(20) })) };
const env: TriggerEnvelope = { method: 'POST', headers: { 'content-type': 'application/json' }, query: {}, body, receivedAt: '2026-01-01T00:00:00.000Z', eventId: 'evt_1' };
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
/** What the store does: pack, serialise, parse, unpack. */
const roundTrip = <T extends { output?: unknown }>(records: T[], e = env) => {
  const stored = JSON.stringify(packOutputs(records, e));
  return { stored, back: unpackOutputs(JSON.parse(stored) as T[], copy(e)) };
};

describe('step output references (W-27)', () => {
  const steps = [
    { nodeId: 'hook', output: env },                                           // the webhook node: the envelope itself
    { nodeId: 'check', output: env },                                          // validate: its input unchanged
    { nodeId: 'calc', output: { ...copy(body), total: 3 } },                   // a sandbox copy spread with a key added
    { nodeId: 'same', output: copy(body) },                                    // a sandbox copy of the body
    { nodeId: 'stock', output: { ...env, inventory: [{ sku: 'S-1', before: 2, after: 1 }] } }, // inventory: {...input, inventory}
    { nodeId: 'err', output: { error: { code: 'x', message: 'y', attempts: 1 }, input: env } }, // the error port
    { nodeId: 'other', output: { unrelated: true } },
    { nodeId: 'none' },
  ];

  it('W-27: stores none of these outputs\' copies of the body, and reads every one back equal', () => {
    const { stored, back } = roundTrip(steps);
    const bodyText = JSON.stringify(body);
    expect(stored.split(body.items[7].sku).length - 1).toBe(0); // not a single copy of the body's items
    expect(stored.length).toBeLessThan(bodyText.length / 2);
    expect(back).toEqual(copy(steps));
    for (const s of back) expect(Object.keys(s)).not.toContain('refs');
  });

  it('small bodies are not worth a reference: the records are stored as they are', () => {
    const small = { ...env, body: { id: 1 } };
    const records = [{ output: small }, { output: { ...small.body, total: 1 } }];
    expect(packOutputs(records, small)).toBe(records);
  });

  it('a body that is a large string (text/*) is referred to by value', () => {
    const text = { ...env, body: 'line\n'.repeat(1000) };
    const { stored, back } = roundTrip([{ output: text.body }, { output: { echoed: text.body } }], text);
    expect(stored.length).toBeLessThan(500);
    expect(back).toEqual([{ output: text.body }, { output: { echoed: text.body } }]);
  });

  it('an output that differs from the body in one value keeps its own copy of that value only', () => {
    const changed = { ...copy(body), id: 'ord_2' };
    const { stored, back } = roundTrip([{ output: changed }]);
    expect(stored).toContain('ord_2');
    expect(back[0].output).toEqual(changed);
  });

  it('records already in stored form (a finish re-writing a row) and rows from before are kept as they are', () => {
    const packed = packOutputs([{ output: env }], env);
    expect(packOutputs(JSON.parse(JSON.stringify(packed)), env)).toEqual(JSON.parse(JSON.stringify(packed)));
    const old = [{ output: copy(env) }];
    expect(unpackOutputs(copy(old), env)).toEqual(old);
  });

  it('without the event the referenced places read as null', () => {
    const stored = JSON.parse(JSON.stringify(packOutputs([{ output: { input: env } }], env)));
    expect(unpackOutputs(stored, undefined)).toEqual([{ output: { input: null } }]);
  });

  it('sameJson compares values and key order', () => {
    expect(sameJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameJson([1, 2], { 0: 1, 1: 2 })).toBe(false);
  });
});
