/** The signed-in layout: top bar with navigation, the user's email and log-out. */
import type { ReactNode } from 'react';
import type { Me } from '../api/types';
import { Link, useRouter } from '../router';

const NAV = [
  { to: '/', label: 'Flows', match: (p: string) => p === '/' || p.startsWith('/flows') },
  { to: '/executions', label: 'Executions', match: (p: string) => p.startsWith('/executions') },
  { to: '/inventory', label: 'Inventory', match: (p: string) => p === '/inventory' },
  { to: '/credentials', label: 'Credentials', match: (p: string) => p === '/credentials' },
  { to: '/settings', label: 'Settings', match: (p: string) => p === '/settings' },
];

export function Shell({ me, onLogout, children }: { me: Me; onLogout(): void; children: ReactNode }) {
  const { path } = useRouter();
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand"><span className="brand-mark" aria-hidden>H</span>Hookflow</Link>
        <nav aria-label="Main">
          {NAV.map((n) => (
            <span key={n.to} className={n.match(path) ? 'nav-item active' : 'nav-item'}><Link to={n.to}>{n.label}</Link></span>
          ))}
        </nav>
        <div className="user">
          <span className="muted" data-testid="user-email">{me.email}</span>
          <button type="button" className="btn btn-ghost" onClick={onLogout}>Log out</button>
        </div>
      </header>
      <main className="main">{children}</main>
    </div>
  );
}
