/** A select of the stored credentials (names and types only) for `credentialId` params, with "Create new" right here. */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Credential } from '../api/types';
import { NewCredentialForm } from '../pages/credential-form';

export function CredentialPicker({ value, onChange, label }: { value: unknown; onChange(v: string | undefined): void; label: string }) {
  const [items, setItems] = useState<Credential[] | null>(null);
  const [creating, setCreating] = useState(false);
  const load = useCallback(async () => { const r = await api.listCredentials(); setItems(r.ok ? r.value.items : []); }, []);
  useEffect(() => { void load(); }, [load]);
  const current = typeof value === 'string' ? value : '';
  const known = items?.some((c) => c.id === current) ?? true;
  const created = async (c: Credential) => {
    setCreating(false);
    await load();
    onChange(c.id);
  };
  return (
    <div>
      <div className="row">
        <select aria-label={label} value={current} onChange={(e) => onChange(e.target.value || undefined)} style={{ flex: 1 }}>
          <option value="">{items === null ? 'Loading…' : items.length ? '— choose a credential —' : 'No credentials yet'}</option>
          {!known ? <option value={current}>{current} (not found)</option> : null}
          {items?.map((c) => <option key={c.id} value={c.id}>{c.name} ({c.type})</option>)}
        </select>
        <button type="button" className="btn btn-small" aria-expanded={creating} data-testid="credential-create-new"
          onClick={() => setCreating((v) => !v)}>Create new</button>
      </div>
      {creating ? <div className="card pad inline-form"><NewCredentialForm onCreated={(c) => void created(c)} onCancel={() => setCreating(false)} /></div> : null}
    </div>
  );
}
