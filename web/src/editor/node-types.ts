/** Module-scope map of canvas node components (xyflow warns, error002, when this object changes identity). */
import type { NodeTypes } from '@xyflow/react';
import { FlowNode } from './flow-node';
import { NoteCard } from './note-node';

export const nodeTypes: NodeTypes = { hookflow: FlowNode, note: NoteCard };
