/** The "new credential" form: a type, a name and that type's fields; used on /credentials and inline in the node panel. */
import { useState, type FormEvent } from 'react';
import { api, type ApiError } from '../api/client';
import type { Credential } from '../api/types';
import { ErrorBox } from '../ui';

interface FieldDef { key: string; label: string; kind: 'text' | 'secret' | 'number' | 'bool' | 'multiline' }
export const CREDENTIAL_TYPES: Record<string, FieldDef[]> = {
  hmac: [{ key: 'secret', label: 'Secret (one per line, up to 10)', kind: 'multiline' }],
  'standard-webhooks': [{ key: 'secret', label: 'Secret (whsec_…)', kind: 'secret' }],
  basic: [{ key: 'username', label: 'Username', kind: 'text' }, { key: 'password', label: 'Password', kind: 'secret' }],
  header: [{ key: 'name', label: 'Header name', kind: 'text' }, { key: 'value', label: 'Header value', kind: 'secret' }],
  smtp: [{ key: 'host', label: 'Host', kind: 'text' }, { key: 'port', label: 'Port', kind: 'number' }, { key: 'secure', label: 'TLS (secure)', kind: 'bool' },
    { key: 'user', label: 'User', kind: 'text' }, { key: 'pass', label: 'Password', kind: 'secret' }],
};

function dataOf(type: string, values: Record<string, string | boolean>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of CREDENTIAL_TYPES[type] ?? []) {
    const v = values[f.key];
    if (f.kind === 'bool') out[f.key] = v === true;
    else if (typeof v === 'string' && v !== '') out[f.key] = f.kind === 'number' ? Number(v) : v;
  }
  return out;
}

interface FormProps {
  /** Offer only these types (default: all). */
  types?: readonly string[];
  onCreated(c: Credential): void;
  onCancel?(): void;
}

export function NewCredentialForm({ types, onCreated, onCancel }: FormProps) {
  const offered = types?.filter((t) => t in CREDENTIAL_TYPES) ?? Object.keys(CREDENTIAL_TYPES);
  const [type, setType] = useState(offered[0] ?? 'hmac');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation();
    const r = await api.createCredential(name, type, dataOf(type, values));
    if (!r.ok) { setError(r); return; }
    setError(null); setName(''); setValues({});
    onCreated(r.value);
  };
  return (
    <form className="form-grid" onSubmit={(e) => void create(e)} data-testid="new-credential-form">
      <h2>New credential</h2>
      <label className="field"><span className="field-label">Type</span>
        <select value={type} onChange={(e) => { setType(e.target.value); setValues({}); }}>{offered.map((t) => <option key={t} value={t}>{t}</option>)}</select></label>
      <label className="field"><span className="field-label">Name</span><input required value={name} onChange={(e) => setName(e.target.value)} /></label>
      <CredentialFields type={type} values={values} setValues={setValues} />
      <ErrorBox error={error} />
      <div className="row">
        <button type="submit" className="btn btn-primary">Save credential</button>
        {onCancel ? <button type="button" className="btn" onClick={onCancel}>Cancel</button> : null}
      </div>
      <p className="small muted">Secret values are encrypted on the server and never shown again.</p>
    </form>
  );
}

function CredentialFields({ type, values, setValues }: { type: string; values: Record<string, string | boolean>; setValues(v: Record<string, string | boolean>): void }) {
  return (
    <>{CREDENTIAL_TYPES[type].map((f) => (
      <label key={f.key} className="field"><span className="field-label">{f.label}</span>
        {f.kind === 'bool' ? <input type="checkbox" checked={values[f.key] === true} onChange={(e) => setValues({ ...values, [f.key]: e.target.checked })} />
          : f.kind === 'multiline' ? <textarea rows={3} autoComplete="off" value={String(values[f.key] ?? '')} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />
            : <input type={f.kind === 'secret' ? 'password' : f.kind === 'number' ? 'number' : 'text'} autoComplete="off" value={String(values[f.key] ?? '')} onChange={(e) => setValues({ ...values, [f.key]: e.target.value })} />}
      </label>))}</>
  );
}
