/** The flow document (DESIGN §3): types shared by the store, the API, the runner and the editor. */
import type { RetryPolicy } from '../../nodes/contract.js';

export interface FlowNodeDoc {
  id: string;
  type: string;
  /** Display title; the id is shown when absent. */
  name?: string;
  position?: { x: number; y: number };
  params: Record<string, unknown>;
  /** Overrides the node type's retry defaults field by field. */
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  /** A disabled node runs nothing: it passes its input on unchanged on its first port. @default false */
  disabled?: boolean;
  /** Sample input kept with the node for "run this node" in the editor; the runner never reads it. */
  pinnedInput?: unknown;
}

/** A sticky note on the canvas: a comment saved with the flow; the runner never reads it. */
export interface FlowNoteDoc {
  id: string;
  text: string;
  position: { x: number; y: number };
  /** @default { width: 240, height: 140 } */
  size?: { width: number; height: number };
}

export interface FlowEdgeDoc {
  from: string;
  /** @default 'out' */
  fromPort?: string;
  to: string;
}

/** Flow-wide settings. */
export interface FlowSettings {
  /** The error flow: when an execution of this flow fails, this flow runs with the failure (docs/flow-nodes.md). */
  onError?: string;
}

/** What a client sends to create or update a flow. */
export interface FlowInput {
  name: string;
  active?: boolean;
  nodes: FlowNodeDoc[];
  edges: FlowEdgeDoc[];
  notes?: FlowNoteDoc[];
  settings?: FlowSettings;
}

/** A stored flow at one version. */
export interface Flow {
  id: string;
  name: string;
  active: boolean;
  version: number;
  nodes: FlowNodeDoc[];
  edges: FlowEdgeDoc[];
  notes?: FlowNoteDoc[];
  settings?: FlowSettings;
  createdAt: string;
  updatedAt: string;
}
