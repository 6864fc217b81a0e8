/** `/settings`: API tokens: create (shown once), list, delete. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, type ApiError } from '../api/client';
import type { ApiTokenInfo } from '../api/types';
import { CopyButton } from '../shell/copy-button';
import { Empty, ErrorBox, Loading, PageHeader, formatTime } from '../ui';

export function SettingsPage() {
  const [items, setItems] = useState<ApiTokenInfo[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'owner' | 'read'>('owner');
  const [fresh, setFresh] = useState<ApiTokenInfo | null>(null);
  const load = useCallback(async () => { const r = await api.listTokens(); if (r.ok) setItems(r.value.items); else setError(r); }, []);
  useEffect(() => { void load(); }, [load]);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    const r = await api.createToken(name, scope);
    if (r.ok) { setFresh(r.value); setName(''); setError(null); await load(); } else setError(r);
  };
  const remove = async (id: string) => { const r = await api.deleteToken(id); if (r.ok) await load(); else setError(r); };
  return (
    <div className="page">
      <PageHeader title="Settings" />
      <h2>API tokens</h2>
      <p className="muted">Use a token as <code>Authorization: Bearer hf_…</code> to call the API from scripts.</p>
      <form className="toolbar card" onSubmit={create}>
        <label className="field inline"><span>Token name</span><input required value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. deploy script" /></label>
        <label className="field inline"><span>Access</span>
          <select value={scope} onChange={(e) => setScope(e.target.value === 'read' ? 'read' : 'owner')} data-testid="token-scope">
            <option value="owner">Full (owner)</option><option value="read">Read-only (GET, no webhook URLs)</option>
          </select></label>
        <button type="submit" className="btn btn-primary">Create token</button>
      </form>
      {fresh?.token ? <div className="state state-ok" role="status">Copy the token <code>{fresh.token}</code> now: it is not shown again. <CopyButton text={fresh.token} /></div> : null}
      <ErrorBox error={error} />
      {items === null ? <Loading what="tokens" /> : items.length === 0 ? <Empty title="No API tokens" /> : (
        <table className="table card"><thead><tr><th>Name</th><th>Access</th><th>Created</th><th>Last used</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>{items.map((t) => <tr key={t.id} data-testid={`token-row-${t.id}`}><td>{t.name}</td><td>{t.scope === 'read' ? 'read-only' : 'full'}</td>
            <td className="muted">{formatTime(t.createdAt)}</td><td className="muted">{t.lastUsedAt ? formatTime(t.lastUsedAt) : 'never'}</td>
            <td className="actions"><button type="button" className="btn btn-small btn-danger" onClick={() => void remove(t.id)}>Delete</button></td></tr>)}</tbody></table>)}
    </div>
  );
}
