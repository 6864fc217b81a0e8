/** PURE: sticky notes, the flow document's `notes` ⇄ xyflow nodes of type `note` (kept apart from the flow's nodes). */
import type { Node } from '@xyflow/react';
import type { FlowNoteDoc } from '../../../server/flows/flow-doc.js';

export interface NoteData extends Record<string, unknown> { text: string }
export type NoteNode = Node<NoteData, 'note'>;

export const NOTE_SIZE = { width: 240, height: 140 };

export const toNoteNodes = (notes: readonly FlowNoteDoc[] | undefined): NoteNode[] =>
  (notes ?? []).map((n) => ({
    id: n.id, type: 'note', position: n.position, data: { text: n.text }, zIndex: -1,
    style: { width: n.size?.width ?? NOTE_SIZE.width, height: n.size?.height ?? NOTE_SIZE.height },
  }));

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : fallback);

export function toNoteDocs(notes: readonly NoteNode[]): FlowNoteDoc[] {
  return notes.map((n) => ({
    id: n.id, text: n.data.text,
    position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    size: { width: num(n.measured?.width ?? n.width ?? n.style?.width, NOTE_SIZE.width), height: num(n.measured?.height ?? n.height ?? n.style?.height, NOTE_SIZE.height) },
  }));
}

/** `sticky_<n>` with the smallest n not taken. */
export function newNoteId(taken: readonly { id: string }[]): string {
  const ids = new Set(taken.map((n) => n.id));
  for (let i = 1; ; i++) if (!ids.has(`sticky_${i}`)) return `sticky_${i}`;
}
