/** Undo/redo, copy/paste and auto-layout on top of the canvas state (pure parts in canvas-ops.ts). */
import { useCallback, useRef, useState, type RefObject } from 'react';
import { autoLayout, copySelection, emptyHistory, pasteClip, record, redo, undo, type Snapshot } from './canvas-ops';
import type { EditorEdge, EditorNode } from './flow-doc';
import type { NoteNode } from './note-doc';

interface Deps {
  latest: RefObject<Snapshot>;
  setNodes(ns: EditorNode[]): void;
  setEdges(es: EditorEdge[]): void;
  setNotes(ns: NoteNode[]): void;
  setDirty(d: boolean): void;
}

/** Edits of the same node's fields within this window count as one undo step. */
const COALESCE_MS = 1000;

export function useCanvasHistory({ latest, setNodes, setEdges, setNotes, setDirty }: Deps) {
  const [history, setHistory] = useState(emptyHistory);
  const lastEdit = useRef<{ key: string; at: number } | null>(null);
  const clip = useRef<Snapshot | null>(null);
  const restore = useCallback((s: Snapshot) => { setNodes(s.nodes); setEdges(s.edges); setNotes(s.notes); setDirty(true); }, [setNodes, setEdges, setNotes, setDirty]);

  /** Call before an edit: remembers the state to return to. `key` coalesces rapid edits of one thing. */
  const checkpoint = useCallback((key?: string) => {
    const now = Date.now();
    const same = key !== undefined && lastEdit.current?.key === key && now - lastEdit.current.at < COALESCE_MS;
    lastEdit.current = key === undefined ? null : { key, at: now };
    if (!same) setHistory((h) => record(h, latest.current));
  }, [latest]);
  const step = useCallback((dir: 'undo' | 'redo') => {
    const r = (dir === 'undo' ? undo : redo)(history, latest.current);
    if (!r) return;
    lastEdit.current = null;
    setHistory(r.history);
    // Restored unselected, so a Delete pressed next removes only what the user selects afterwards.
    const s = r.state;
    restore({ nodes: s.nodes.map((n) => ({ ...n, selected: false })), edges: s.edges.map((e) => ({ ...e, selected: false })), notes: s.notes.map((n) => ({ ...n, selected: false })) });
  }, [history, latest, restore]);
  const copy = useCallback(() => {
    const c = copySelection(latest.current.nodes, latest.current.edges);
    if (c.nodes.length) clip.current = c;
  }, [latest]);
  const paste = useCallback(() => {
    if (!clip.current) return;
    checkpoint();
    const p = pasteClip(clip.current, latest.current.nodes);
    restore({ ...latest.current, nodes: [...latest.current.nodes.map((n) => ({ ...n, selected: false })), ...p.nodes], edges: [...latest.current.edges, ...p.edges] });
  }, [checkpoint, latest, restore]);
  /** `portsOf` gives each card's port count, for the size of cards not measured yet. */
  const layout = useCallback((portsOf?: (n: EditorNode) => number) => {
    checkpoint();
    restore({ ...latest.current, nodes: autoLayout(latest.current.nodes, latest.current.edges, portsOf) });
  }, [checkpoint, latest, restore]);
  return {
    checkpoint, undo: () => step('undo'), redo: () => step('redo'), copy, paste, layout,
    canUndo: history.past.length > 0, canRedo: history.future.length > 0,
  };
}
