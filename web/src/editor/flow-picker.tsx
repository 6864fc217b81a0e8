/** A select of the stored flows for the `call` node's `flowId` (other flows only; a flow cannot call itself). */
import { useEffect, useState } from 'react';
import { api } from '../api/client';

export function FlowPicker({ value, onChange, label }: { value: unknown; onChange(v: string | undefined): void; label: string }) {
  const [items, setItems] = useState<Array<{ id: string; name: string; trigger: string }> | null>(null);
  const self = /\/flows\/([^/?#]+)/.exec(window.location.pathname)?.[1];
  useEffect(() => {
    void api.listFlows().then((r) => setItems(r.ok ? r.value.items.filter((f) => f.id !== self).map((f) => ({
      id: f.id, name: f.name, trigger: f.nodes.some((n) => n.type === 'call-trigger') ? 'called only' : f.nodes.some((n) => n.type === 'schedule') ? 'scheduled' : 'webhook',
    })) : []));
  }, [self]);
  const current = typeof value === 'string' ? value : '';
  const known = items?.some((f) => f.id === current) ?? true;
  return (
    <select aria-label={label} data-testid="flow-picker" value={current} onChange={(e) => onChange(e.target.value || undefined)}>
      <option value="">{items === null ? 'Loading…' : items.length ? '— choose a flow —' : 'No other flows yet'}</option>
      {!known && current ? <option value={current}>{current} (not found)</option> : null}
      {items?.map((f) => <option key={f.id} value={f.id}>{f.name} ({f.trigger})</option>)}
    </select>
  );
}
