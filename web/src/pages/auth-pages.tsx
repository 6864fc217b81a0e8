/** /login and /setup: the owner signs in, or creates the owner account with the one-time setup token. */
import { useId, useState, type FormEvent } from 'react';
import { api, type ApiError } from '../api/client';
import { useRouter } from '../router';
import { ErrorBox, sentence } from '../ui';

function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') && next !== '/login' && next !== '/setup' ? next : '/';
}

/** The field a server error names (`details: [{ field }]`), if it is one of this form's fields. */
function fieldOf(e: ApiError | null): 'email' | 'password' | undefined {
  const d = Array.isArray(e?.details) ? (e.details[0] as { field?: unknown } | undefined) : undefined;
  return d?.field === 'email' || d?.field === 'password' ? d.field : undefined;
}

function AuthForm({ title, intro, submit, onSubmit, isNew }: {
  title: string; intro: string; submit: string; onSubmit(email: string, password: string): Promise<ApiError | null>;
  /** Creating the account: the browser offers to generate and save a new password. */
  isNew?: boolean;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = useId();
  const go = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(await onSubmit(email, password));
    setBusy(false);
  };
  const at = fieldOf(error);
  const fieldError = (f: 'email' | 'password') => (at === f && error ? <span className="field-error" id={`${ids}-${f}-error`} role="alert">{sentence(error.message)}</span> : null);
  return (
    <div className="auth">
      <form className="card auth-card" onSubmit={go}>
        <div className="brand auth-brand"><span className="brand-mark" aria-hidden>H</span>Hookflow</div>
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
        <label className="field"><span>Email</span>
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)}
            aria-invalid={at === 'email'} aria-describedby={at === 'email' ? `${ids}-email-error` : undefined} /></label>
        {fieldError('email')}
        <label className="field"><span>Password</span>
          <input type="password" autoComplete={isNew ? 'new-password' : 'current-password'} required value={password}
            onChange={(e) => setPassword(e.target.value)} aria-invalid={at === 'password'}
            aria-describedby={at === 'password' ? `${ids}-password-error` : isNew ? `${ids}-password-hint` : undefined} /></label>
        {isNew && at !== 'password' ? <span className="small muted" id={`${ids}-password-hint`}>At least 12 characters.</span> : null}
        {fieldError('password')}
        {at ? null : <ErrorBox error={error} />}
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Please wait…' : submit}</button>
      </form>
    </div>
  );
}

export function LoginPage({ onDone }: { onDone(): Promise<void> }) {
  const { search, navigate } = useRouter();
  return <AuthForm title="Sign in" intro="Sign in to build and debug your webhook flows." submit="Sign in"
    onSubmit={async (email, password) => {
      const r = await api.login(email, password);
      if (!r.ok) return r;
      await onDone();
      navigate(safeNext(search), { replace: true });
      return null;
    }} />;
}

export function SetupPage({ onDone }: { onDone(): Promise<void> }) {
  const { search, navigate } = useRouter();
  const token = new URLSearchParams(search).get('token') ?? '';
  if (!token) {
    return <div className="auth"><div className="card auth-card"><h1>Set up Hookflow</h1>
      <p className="muted">Open the one-time setup link printed in the server log (<code>/setup?token=…</code>).</p></div></div>;
  }
  return <AuthForm isNew title="Create the owner account" intro="Choose the email and a password of at least 12 characters." submit="Create account"
    onSubmit={async (email, password) => {
      const r = await api.setup(email, password, token);
      if (!r.ok) return r;
      await onDone();
      navigate('/', { replace: true });
      return null;
    }} />;
}
