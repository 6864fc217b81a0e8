/** `/credentials`: create by type with that type's fields, list (names of fields only, never values), delete. */
import { useCallback, useEffect, useState } from 'react';
import { api, type ApiError } from '../api/client';
import type { Credential } from '../api/types';
import { Empty, ErrorBox, Loading, PageHeader, formatTime } from '../ui';
import { NewCredentialForm } from './credential-form';

export function CredentialsPage() {
  const [items, setItems] = useState<Credential[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const load = useCallback(async () => { const r = await api.listCredentials(); if (r.ok) setItems(r.value.items); else setError(r); }, []);
  useEffect(() => { void load(); }, [load]);
  const remove = async (id: string) => { setConfirm(null); const r = await api.deleteCredential(id); if (r.ok) await load(); else setError(r); };
  return (
    <div className="page">
      <PageHeader title="Credentials" />
      <div className="card pad"><NewCredentialForm onCreated={() => void load()} /></div>
      <ErrorBox error={error} />
      {items === null ? <Loading what="credentials" /> : items.length === 0 ? <Empty title="No credentials">Secrets for webhook signatures, SMTP and outgoing auth live here.</Empty> : (
        <table className="table card"><thead><tr><th>Name</th><th>Type</th><th>Fields set</th><th>Updated</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>{items.map((c) => (
            <tr key={c.id}><td>{c.name}<div className="small muted"><code>{c.id}</code></div></td><td>{c.type}</td><td>{c.fields.join(', ')}</td><td className="muted">{formatTime(c.updatedAt)}</td>
              <td className="actions">{confirm === c.id ? <><button type="button" className="btn btn-small btn-danger" onClick={() => void remove(c.id)}>Confirm delete</button>
                <button type="button" className="btn btn-small" onClick={() => setConfirm(null)}>Cancel</button></>
                : <button type="button" className="btn btn-small" onClick={() => setConfirm(c.id)}>Delete</button>}</td></tr>))}</tbody></table>)}
    </div>
  );
}
