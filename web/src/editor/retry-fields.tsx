/** A node's retry policy and its one timeout, named apart from the parameters (a type with its own Timeout parameter shows none here). */
import type { RetryPolicyDoc } from '../api/types';
import { useCatalogue } from './catalogue';
import type { EditorNode } from './flow-doc';
import type { FlowEditor } from './use-flow-editor';
import { NumberInput } from './draft-fields';


export function RetryFields({ node, ed }: { node: EditorNode; ed: FlowEditor }) {
  const info = useCatalogue().get(node.data.nodeType);
  const r = node.data.retry ?? {};
  const set = (k: keyof RetryPolicyDoc, v: number | string | undefined) => {
    const next: Record<string, unknown> = { ...r };
    if (v === undefined || v === '') delete next[k]; else next[k] = v;
    ed.updateNode(node.id, { retry: next });
  };
  // transform and http have a Timeout parameter of their own: one Timeout per node, in the parameters.
  const ownTimeout = info?.params.properties?.timeoutMs !== undefined;
  return (
    <details className="group" data-field="retry">
      <summary>{ownTimeout ? 'Retries' : 'Retries and timeout'}</summary>
      <label className="field" data-field="retry.maxAttempts"><span className="field-label">Attempts in all (1 = no retry)</span>
        <NumberInput field="retry.maxAttempts" label="Attempts in all (1 = no retry)" min={1} value={r.maxAttempts} placeholder={String(info?.retry.maxAttempts ?? 1)} onChange={(v) => set('maxAttempts', v)} /></label>
      <label className="field"><span className="field-label">Wait between attempts</span>
        <select value={r.backoff ?? ''} onChange={(e) => set('backoff', e.target.value || undefined)}>
          <option value="">default ({info?.retry.backoff === 'fixed' ? 'the same each time' : 'doubling'})</option>
          <option value="fixed">the same each time</option><option value="exponential">doubling each time</option>
        </select></label>
      <label className="field" data-field="retry.initialDelayMs"><span className="field-label">First wait before retrying (ms)</span>
        <NumberInput field="retry.initialDelayMs" label="First wait before retrying (ms)" min={0} value={r.initialDelayMs} placeholder={String(info?.retry.initialDelayMs ?? '')} onChange={(v) => set('initialDelayMs', v)} /></label>
      <label className="field" data-field="retry.maxDelayMs"><span className="field-label">Longest wait before retrying (ms)</span>
        <NumberInput field="retry.maxDelayMs" label="Longest wait before retrying (ms)" min={0} value={r.maxDelayMs} placeholder={String(info?.retry.maxDelayMs ?? '')} onChange={(v) => set('maxDelayMs', v)} /></label>
      {ownTimeout ? null : (
        <label className="field" data-field="timeoutMs"><span className="field-label">Timeout (ms)</span>
          <NumberInput field="timeoutMs" label="Timeout (ms)" min={1} value={node.data.timeoutMs} placeholder={String(info?.timeoutMs ?? '')} onChange={(v) => ed.updateNode(node.id, { timeoutMs: v })} /></label>
      )}
    </details>
  );
}
