/** A sticky note on the canvas: a comment saved with the flow; double-click (or Enter) to edit, resizable when selected. */
import { memo, useState } from 'react';
import { NodeResizer, type NodeProps } from '@xyflow/react';
import type { NoteNode } from './note-doc';
import { useNoteEditing } from './note-context';

function StickyNote({ id, data, selected }: NodeProps<NoteNode>) {
  const { updateNote } = useNoteEditing();
  const [editing, setEditing] = useState(data.text === '');
  const [draft, setDraft] = useState(data.text);
  const done = () => { setEditing(false); if (draft !== data.text) updateNote(id, draft); };
  return (
    <div className={`sticky${selected ? ' selected' : ''}`} data-testid={`note-${id}`} onDoubleClick={() => setEditing(true)}
      onKeyDown={(e) => { if (e.key === 'Enter' && !editing) { e.stopPropagation(); setEditing(true); } }}>
      <NodeResizer isVisible={selected === true} minWidth={120} minHeight={60} />
      {editing ? (
        <textarea className="sticky-text nodrag nowheel" autoFocus aria-label="Note text" value={draft} placeholder="Write a note…"
          onChange={(e) => setDraft(e.target.value)} onBlur={done}
          onKeyDown={(e) => { e.stopPropagation(); if (e.key === 'Escape') done(); }} />
      ) : (
        <div className="sticky-text" title="Double-click to edit">{data.text || <span className="muted">Empty note: double-click to write</span>}</div>
      )}
    </div>
  );
}

export const NoteCard = memo(StickyNote);
