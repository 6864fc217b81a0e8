/** "Run this node": sends the node as it is now (saved or not) and its input to the server, which runs it in the sandbox. */
import { useCallback, useState } from 'react';
import { api, type ApiError } from '../api/client';
import type { NodeRunResult } from '../api/types';
import type { EditorNode } from './flow-doc';
import type { FlowEditor } from './use-flow-editor';

export interface NodeRunState {
  result: NodeRunResult | null;
  error: ApiError | null;
  busy: boolean;
  run(input: unknown, sideEffects: boolean): Promise<void>;
}

export function useNodeRun(ed: FlowEditor, node: EditorNode): NodeRunState {
  const [result, setResult] = useState<NodeRunResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (input: unknown, sideEffects: boolean) => {
    if (!ed.flow) return;
    setBusy(true);
    const last = ed.lastRun;
    const nodes = Object.fromEntries((last?.steps ?? []).filter((s) => s.status === 'succeeded').map((s) => [s.nodeId, s.output]));
    const r = await api.runNode(ed.flow.id, node.id, {
      input, sideEffects, nodes, ...(last ? { trigger: last.trigger } : {}),
      node: { type: node.data.nodeType, params: node.data.params, ...(node.data.timeoutMs ? { timeoutMs: node.data.timeoutMs } : {}) },
    });
    setBusy(false);
    if (r.ok) { setResult(r.value); setError(null); } else { setError(r); setResult(null); }
  }, [ed.flow, ed.lastRun, node]);
  return { result, error, busy, run };
}
