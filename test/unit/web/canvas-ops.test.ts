/** The canvas's pure operations: undo/redo history, auto-layout, copy and paste. */
import { describe, expect, it } from 'vitest';
import { autoLayout, copySelection, emptyHistory, pasteClip, record, redo, undo, HISTORY_LIMIT } from '../../../web/src/editor/canvas-ops.js';
import { toCanvas, toDoc } from '../../../web/src/editor/flow-doc.js';

const doc = {
  nodes: [
    { id: 'hook', type: 'webhook', position: { x: 500, y: 0 }, params: {} },
    { id: 'check', type: 'validate', position: { x: 0, y: 0 }, params: {} },
    { id: 'calc', type: 'transform', position: { x: 0, y: 300 }, params: { code: 'return 1' } },
    { id: 'bad', type: 'respond', position: { x: 9, y: 9 }, params: {} },
  ],
  edges: [{ from: 'hook', to: 'check' }, { from: 'check', fromPort: 'valid', to: 'calc' }, { from: 'check', fromPort: 'invalid', to: 'bad' }, { from: 'hook', to: 'calc' }],
};

describe('canvas ops', () => {
  it('undoes and redoes in order, and a new edit drops the redo branch', () => {
    const a = { ...toCanvas(doc), notes: [] };
    const b = { nodes: a.nodes.slice(1), edges: [], notes: [] };
    const c = { nodes: a.nodes.slice(2), edges: [], notes: [] };
    let h = record(record(emptyHistory(), a), b); // a → b → c (current)
    const u1 = undo(h, c);
    expect(u1?.state).toBe(b);
    const u2 = undo(u1?.history ?? h, b);
    expect(u2?.state).toBe(a);
    expect(undo(u2?.history ?? h, a)).toBeUndefined();
    const r1 = redo(u2?.history ?? h, a);
    expect(r1?.state).toBe(b);
    h = record(r1?.history ?? h, b);
    expect(h.future).toEqual([]);
    expect(redo(h, c)).toBeUndefined();
  });

  it('keeps a bounded history', () => {
    const s = { ...toCanvas(doc), notes: [] };
    let h = emptyHistory();
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) h = record(h, s);
    expect(h.past).toHaveLength(HISTORY_LIMIT);
  });

  it('lays nodes out in layers by longest path', () => {
    const c = toCanvas(doc);
    const laid = autoLayout(c.nodes, c.edges);
    const x = Object.fromEntries(laid.map((n) => [n.id, n.position.x]));
    expect(x.hook).toBeLessThan(x.check);
    expect(x.check).toBeLessThan(x.calc);
    expect(x.calc).toBe(x.bad);
    const ys = laid.filter((n) => n.position.x === x.calc).map((n) => n.position.y);
    expect(new Set(ys).size).toBe(2);
    expect(toDoc(laid, c.edges).edges).toEqual(doc.edges);
  });

  it('copies the selection with its inner edges and pastes it under fresh ids', () => {
    const c = toCanvas(doc);
    const sel = c.nodes.map((n) => ({ ...n, selected: n.id === 'check' || n.id === 'calc' }));
    const clip = copySelection(sel, c.edges);
    expect(clip.nodes.map((n) => n.id)).toEqual(['check', 'calc']);
    expect(clip.edges.map((e) => e.id)).toEqual(['check:valid->calc']);
    const pasted = pasteClip(clip, sel);
    expect(pasted.nodes.map((n) => n.id)).toEqual(['validate_1', 'transform_1']);
    expect(pasted.nodes[1].position).toEqual({ x: 40, y: 340 });
    expect(pasted.edges).toMatchObject([{ source: 'validate_1', sourceHandle: 'valid', target: 'transform_1', id: 'validate_1:valid->transform_1' }]);
    expect(pasted.nodes[1].data.params).toEqual({ code: 'return 1' });
  });
});
