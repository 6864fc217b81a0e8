/** `/credentials`: create by type with that type's fields, list (names of fields only, never values), delete. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, type ApiError } from '../api/client';
import type { Credential } from '../api/types';
import { Empty, ErrorBox, Loading, PageHeader, formatTime } from '../ui';

interface FieldDef { key: string; label: string; kind: 'text' | 'secret' | 'number' | 'bool' | 'multiline' }
const TYPES: Record<string, FieldDef[]> = {
  hmac: [{ key: 'secret', label: 'Secret (one per line, up to 10)', kind: 'multiline' }],
  'standard-webhooks': [{ key: 'secret', label: 'Secret (whsec_…)', kind: 'secret' }],
  basic: [{ key: 'username', label: 'Username', kind: 'text' }, { key: 'password', label: 'Password', kind: 'secret' }],
  header: [{ key: 'name', label: 'Header name', kind: 'text' }, { key: 'value', label: 'Header value', kind: 'secret' }],
  smtp: [{ key: 'host', label: 'Host', kind: 'text' }, { key: 'port', label: 'Port', kind: 'number' }, { key: 'secure', label: 'TLS (secure)', kind: 'bool' },
    { key: 'user', label: 'User', kind: 'text' }, { key: 'pass', label: 'Password', kind: 'secret' }],
};

function dataOf(type: string, values: Record<string, string | boolean>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of TYPES[type] ?? []) {
    const v = values[f.key];
    if (f.kind === 'bool') out[f.key] = v === true;
    else if (typeof v === 'string' && v !== '') out[f.key] = f.kind === 'number' ? Number(v) : v;
  }
  return out;
}

export function CredentialsPage() {
  const [items, setItems] = useState<Credential[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [type, setType] = useState('hmac');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [confirm, setConfirm] = useState<string | null>(null);
  const load = useCallback(async () => { const r = await api.listCredentials(); if (r.ok) setItems(r.value.items); else setError(r); }, []);
  useEffect(() => { void load(); }, [load]);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    const r = await api.createCredential(name, type, dataOf(type, values));
    if (r.ok) { setError(null); setName(''); setValues({}); await load(); } else setError(r);
  };
  const remove = async (id: string) => { setConfirm(null); const r = await api.deleteCredential(id); if (r.ok) await load(); else setError(r); };
  return (
    <div className="page">
      <PageHeader title="Credentials" />
      <form className="card pad form-grid" onSubmit={create}>
        <h2>New credential</h2>
        <label className="field"><span className="field-label">Type</span>
          <select value={type} onChange={(e) => { setType(e.target.value); setValues({}); }}>{Object.keys(TYPES).map((t) => <option key={t} value={t}>{t}</option>)}</select></label>
        <label className="field"><span className="field-label">Name</span><input required value={name} onChange={(e) => setName(e.target.value)} /></label>
        <CredentialFields type={type} values={values} setValues={setValues} />
        <button type="submit" className="btn btn-primary">Save credential</button>
        <p className="small muted">Secret values are encrypted on the server and never shown again.</p>
      </form>
      <ErrorBox error={error} />
      {items === null ? <Loading what="credentials" /> : items.length === 0 ? <Empty title="No credentials">Secrets for webhook signatures, SMTP and outgoing auth live here.</Empty> : (
        <table className="table card"><thead><tr><th>Name</th><th>Type</th><th>Fields set</th><th>Updated</th><th aria-label="Actions" /></tr></thead>
          <tbody>{items.map((c) => (
            <tr key={c.id}><td>{c.name}<div className="small muted"><code>{c.id}</code></div></td><td>{c.type}</td><td>{c.fields.join(', ')}</td><td className="muted">{formatTime(c.updatedAt)}</td>
              <td className="actions">{confirm === c.id ? <><button type="button" className="btn btn-small btn-danger" onClick={() => void remove(c.id)}>Confirm delete</button>
                <button type="button" className="btn btn-small" onClick={() => setConfirm(null)}>Cancel</button></>
                : <button type="button" className="btn btn-small" onClick={() => setConfirm(c.id)}>Delete</button>}</td></tr>))}</tbody></table>)}
    </div>
  );
}

function CredentialFields({ type, values, setValues }: { type: string; values: Record<string, string | boolean>; setValues(v: Record<string, string | boolean>): void }) {
  return (
    <>{TYPES[type].map((f) => (
      <label key={f.key} className="field"><span className="field-label">{f.label}</span>
        {f.kind === 'bool' ? <input type="checkbox" checked={values[f.key] === true} onChange={(e) => setValues({ ...values, [f.key]: e.target.checked })} />
          : f.kind === 'multiline' ? <textarea rows={3} autoComplete="off" value={String(values[f.key] ?? '')} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />
            : <input type={f.kind === 'secret' ? 'password' : f.kind === 'number' ? 'number' : 'text'} autoComplete="off" value={String(values[f.key] ?? '')} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />}
      </label>))}</>
  );
}
