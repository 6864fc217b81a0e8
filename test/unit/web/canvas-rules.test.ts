// Pure canvas rules and placement: refusals while drawing, where a new card goes, auto-layout by real sizes.
import { describe, expect, it } from 'vitest';
import { addProblem, connectionProblem, reaches } from '../../../web/src/editor/canvas-rules.js';
import { cardHeight, layoutPositions, placeRightOf, CARD_WIDTH } from '../../../web/src/editor/placement.js';

const nodes = [
  { id: 'hook', nodeType: 'webhook', label: 'Order in' },
  { id: 'a', nodeType: 'transform', label: 'A' },
  { id: 'b', nodeType: 'respond', label: 'B' },
];
const edges = [{ source: 'hook', target: 'a' }, { source: 'a', target: 'b' }];
const isTrigger = (t: string) => t === 'webhook';

describe('connection rules', () => {
  it.each([
    ['a', 'a', /A cannot connect to itself/],
    ['a', 'hook', /Order in starts the flow/],
    ['b', 'a', /would make a loop: A already leads to B/],
    ['hook', 'a', /already connected/],
  ])('refuses %s → %s', (from, to, message) => {
    expect(connectionProblem(from, to, 'out', nodes, edges, isTrigger)).toMatch(message);
  });

  it('allows a new edge that closes no loop, and a second port between the same nodes', () => {
    expect(connectionProblem('hook', 'b', 'out', nodes, edges, isTrigger)).toBeUndefined();
    expect(connectionProblem('hook', 'a', 'error', nodes, edges, isTrigger)).toBeUndefined();
    expect(reaches('hook', 'b', edges)).toBe(true);
    expect(reaches('b', 'hook', edges)).toBe(false);
  });

  it('refuses a second trigger only', () => {
    expect(addProblem('webhook', nodes, isTrigger)).toMatch(/one trigger, and this one starts with Order in/);
    expect(addProblem('delay', nodes, isTrigger)).toBeUndefined();
    expect(addProblem('webhook', nodes.slice(1), isTrigger)).toBeUndefined();
  });
});

describe('placement', () => {
  const size = { width: CARD_WIDTH, height: cardHeight(2) };
  const overlap = (a: { x: number; y: number }, b: { x: number; y: number; width: number; height: number }) =>
    a.x < b.x + b.width && b.x < a.x + size.width && a.y < b.y + b.height && b.y < a.y + size.height;

  it('puts a card right of the anchor, moved down past the cards there', () => {
    const anchor = { x: 0, y: 0, ...size };
    const busy = [anchor, { x: 280, y: 0, ...size }, { x: 280, y: 130, ...size }];
    const p = placeRightOf(anchor, busy, size);
    expect(p.x).toBeGreaterThan(anchor.width);
    for (const b of busy) expect(overlap(p, b)).toBe(false);
  });

  it('lays out by real sizes: no two cards of a layer overlap, layers left to right', () => {
    const ns = ['hook', 'a', 'b', 'c'].map((id) => ({ id, position: { x: 0, y: 0 }, measured: { width: 200, height: id === 'a' ? 400 : 90 } }));
    const at = layoutPositions(ns, [{ source: 'hook', target: 'a' }, { source: 'hook', target: 'b' }, { source: 'a', target: 'c' }],
      (n) => ({ width: n.measured?.width ?? 200, height: n.measured?.height ?? 90 }));
    const [a, b] = [at.get('a'), at.get('b')];
    expect(a?.x).toBe(b?.x);
    expect(Math.abs((a?.y ?? 0) - (b?.y ?? 0))).toBeGreaterThanOrEqual(90);
    expect((b?.y ?? 0) >= (a?.y ?? 0) + 400 || (a?.y ?? 0) >= (b?.y ?? 0) + 90).toBe(true);
    expect(at.get('c')?.x).toBeGreaterThan(a?.x ?? Infinity);
  });
});
