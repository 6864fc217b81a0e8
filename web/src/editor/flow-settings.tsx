/** Flow-wide settings, shown in the side panel while no node is selected: the error flow (`settings.onError`). */
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { FlowEditor } from './use-flow-editor';

export function FlowSettings({ ed }: { ed: FlowEditor }) {
  const [flows, setFlows] = useState<Array<{ id: string; name: string }>>([]);
  const selfId = ed.flow?.id;
  useEffect(() => {
    void api.listFlows().then((r) => { if (r.ok) setFlows(r.value.items.filter((f) => f.id !== selfId).map((f) => ({ id: f.id, name: f.name }))); });
  }, [selfId]);
  const known = flows.some((f) => f.id === ed.onError);
  return (
    <section className="pad flow-settings" aria-label="Flow settings">
      <h4>Flow settings</h4>
      <label className="field">
        <span className="field-label">When an execution fails, run</span>
        <span className="small muted">The error flow gets the failed execution, node, error and attempts (docs/flow-nodes.md).</span>
        <select data-testid="on-error-flow" value={ed.onError} onChange={(e) => ed.setOnError(e.target.value)}>
          <option value="">nothing</option>
          {!known && ed.onError ? <option value={ed.onError}>{ed.onError}</option> : null}
          {flows.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
        </select>
      </label>
    </section>
  );
}
