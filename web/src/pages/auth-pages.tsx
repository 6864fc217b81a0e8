/** /login and /setup: the owner signs in, or creates the owner account with the one-time setup token. */
import { useState, type FormEvent } from 'react';
import { api, type ApiError } from '../api/client';
import { useRouter } from '../router';
import { ErrorBox } from '../ui';

function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') && next !== '/login' && next !== '/setup' ? next : '/';
}

function AuthForm({ title, intro, submit, onSubmit }: {
  title: string; intro: string; submit: string; onSubmit(email: string, password: string): Promise<ApiError | null>;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const go = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(await onSubmit(email, password));
    setBusy(false);
  };
  return (
    <div className="auth">
      <form className="card auth-card" onSubmit={go}>
        <div className="brand auth-brand"><span className="brand-mark" aria-hidden>H</span>Hookflow</div>
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
        <label className="field"><span>Email</span>
          <input type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} /></label>
        <label className="field"><span>Password</span>
          <input type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} /></label>
        <ErrorBox error={error} />
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
  return <AuthForm title="Create the owner account" intro="Choose the email and a password of at least 12 characters." submit="Create account"
    onSubmit={async (email, password) => {
      const r = await api.setup(email, password, token);
      if (!r.ok) return r;
      await onDone();
      navigate('/', { replace: true });
      return null;
    }} />;
}
