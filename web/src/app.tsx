/** Routes and layout: auth gate, the shell's navigation, and one page per route of DESIGN §11. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from './api/client';
import type { Me } from './api/types';
import { RouterProvider, matchPath, useRouter, type LeaveGuard } from './router';
import { LoginPage, SetupPage } from './pages/auth-pages';
import { Shell } from './shell/shell';
import { FlowListPage } from './pages/flow-list';
import { EditorPage } from './editor/editor-page';
import { ExecutionListPage } from './executions/execution-list';
import { ExecutionDetailPage } from './executions/execution-detail';
import { InventoryPage } from './pages/inventory';
import { CredentialsPage } from './pages/credentials';
import { SettingsPage } from './pages/settings';
import { Loading } from './ui';
import { forgetTestEvents } from './editor/test-event-store';

export function App() {
  const guard = useRef<(() => boolean) | null>(null);
  return <RouterProvider guard={guard}><Routes guard={guard} /></RouterProvider>;
}

const PUBLIC = ['/login', '/setup'];

function Routes({ guard }: { guard: LeaveGuard }) {
  const { path, navigate } = useRouter();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const refresh = useCallback(async () => {
    const r = await api.me();
    setMe(r.ok ? r.value : null);
  }, []);
  useEffect(() => { void refresh(); }, [refresh]);
  useEffect(() => {
    if (me === null && !PUBLIC.includes(path)) navigate(`/login?next=${encodeURIComponent(path)}`, { replace: true });
  }, [me, path, navigate]);

  if (path === '/setup') return <SetupPage onDone={refresh} />;
  if (path === '/login') return <LoginPage onDone={refresh} />;
  if (me === undefined) return <Loading what="Hookflow" />;
  if (me === null) return null;
  const logout = async () => { await api.logout(); forgetTestEvents(); setMe(null); };
  return <Shell me={me} onLogout={logout}><Page path={path} guard={guard} /></Shell>;
}

function Page({ path, guard }: { path: string; guard: LeaveGuard }) {
  const flow = matchPath('/flows/:id', path);
  if (flow) return <EditorPage key={flow.id} flowId={flow.id} guard={guard} />;
  const exec = matchPath('/executions/:id', path);
  if (exec) return <ExecutionDetailPage key={exec.id} executionId={exec.id} />;
  switch (path) {
    case '/': return <FlowListPage />;
    case '/executions': return <ExecutionListPage />;
    case '/inventory': return <InventoryPage />;
    case '/credentials': return <CredentialsPage />;
    case '/settings': return <SettingsPage />;
    default: return <div className="page"><h1>Not found</h1><p className="muted">No page at {path}.</p></div>;
  }
}
