/** PURE: card sizes, where a new node goes without overlapping anything, and auto-layout by the real card sizes. */

export interface Box { x: number; y: number; width: number; height: number }
export interface Placed { id: string; position: { x: number; y: number }; measured?: { width?: number; height?: number } }

export const CARD_WIDTH = 200;
/** Head, title and the one-line info row, then one row per port (error included). */
export const cardHeight = (ports: number): number => 70 + 20 * ports;
export const GAP = { x: 80, y: 40 };

/** The size a card has on screen: what xyflow measured, else what its ports make it. */
export function sizeOf(n: Placed, ports = 2): { width: number; height: number } {
  return { width: n.measured?.width ?? CARD_WIDTH, height: n.measured?.height ?? cardHeight(ports) };
}

const overlaps = (a: Box, b: Box, margin = 16): boolean =>
  a.x < b.x + b.width + margin && b.x < a.x + a.width + margin && a.y < b.y + b.height + margin && b.y < a.y + a.height + margin;

/**
 * Where a new card of `size` goes: right of `anchor` (or at a start point on an empty canvas), moved down
 * past any card it would cover.
 */
export function placeRightOf(anchor: Box | undefined, others: readonly Box[], size: { width: number; height: number }): { x: number; y: number } {
  const spot: Box = anchor ? { x: anchor.x + anchor.width + GAP.x, y: anchor.y, ...size } : { x: 40, y: 80, ...size };
  for (let i = 0; i < 500 && others.some((o) => overlaps(spot, o)); i++) spot.y += GAP.y / 2;
  return { x: spot.x, y: spot.y };
}

/** Left-to-right layers by longest path from the sources; each layer stacked by real heights and centred on the tallest. */
export function layoutPositions(
  nodes: readonly Placed[], edges: readonly { source: string; target: string }[], sizeOfNode: (n: Placed) => { width: number; height: number },
): Map<string, { x: number; y: number }> {
  const depth = new Map(nodes.map((n) => [n.id, 0]));
  for (let round = 0; round < nodes.length; round++) {
    let changed = false;
    for (const e of edges) {
      const d = (depth.get(e.source) ?? 0) + 1;
      if (depth.has(e.target) && d > (depth.get(e.target) ?? 0)) { depth.set(e.target, d); changed = true; }
    }
    if (!changed) break;
  }
  const layers: Placed[][] = [];
  for (const n of nodes) (layers[depth.get(n.id) ?? 0] ??= []).push(n);
  const heights = layers.map((l) => (l ?? []).reduce((h, n) => h + sizeOfNode(n).height, 0) + GAP.y * Math.max(0, (l?.length ?? 0) - 1));
  const tallest = Math.max(0, ...heights);
  const out = new Map<string, { x: number; y: number }>();
  let x = 40;
  layers.forEach((layer, i) => {
    if (!layer) return;
    let y = 40 + (tallest - heights[i]) / 2;
    for (const n of layer) {
      out.set(n.id, { x, y: Math.round(y) });
      y += sizeOfNode(n).height + GAP.y;
    }
    x += Math.max(...layer.map((n) => sizeOfNode(n).width)) + GAP.x;
  });
  return out;
}
