/** A select of the stored credentials (names and types only) for `credentialId` params, with a way to add one. */
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Credential } from '../api/types';

export function CredentialPicker({ value, onChange, label }: { value: unknown; onChange(v: string | undefined): void; label: string }) {
  const [items, setItems] = useState<Credential[] | null>(null);
  useEffect(() => { void api.listCredentials().then((r) => setItems(r.ok ? r.value.items : [])); }, []);
  const current = typeof value === 'string' ? value : '';
  const known = items?.some((c) => c.id === current) ?? true;
  return (
    <div className="row">
      <select aria-label={label} value={current} onChange={(e) => onChange(e.target.value || undefined)} style={{ flex: 1 }}>
        <option value="">{items === null ? 'Loading…' : items.length ? '— choose a credential —' : 'No credentials yet'}</option>
        {!known ? <option value={current}>{current} (not found)</option> : null}
        {items?.map((c) => <option key={c.id} value={c.id}>{c.name} ({c.type})</option>)}
      </select>
      <a className="small" href="/credentials" target="_blank" rel="noopener">Create new</a>
    </div>
  );
}
