/** How a sticky note saves its text: through context, so the note component stays a module-scope node type. */
import { createContext, useContext } from 'react';

export interface NoteEditing { updateNote(id: string, text: string): void }
export const NoteEditingContext = createContext<NoteEditing>({ updateNote: () => undefined });
export const useNoteEditing = (): NoteEditing => useContext(NoteEditingContext);
