/** Small shared view pieces: loading, error and empty states, JSON as text, time formatting. */
import type { ReactNode } from 'react';
import type { ApiError } from './api/client';

export const Loading = ({ what }: { what?: string }) => <div className="state state-loading" role="status">Loading{what ? ` ${what}` : ''}…</div>;

export const ErrorBox = ({ error }: { error: ApiError | string | null | undefined }) =>
  error ? <div className="state state-error" role="alert">{typeof error === 'string' ? error : `${error.message} (${error.code})`}</div> : null;

export const Empty = ({ title, children }: { title: string; children?: ReactNode }) => (
  <div className="state state-empty"><strong>{title}</strong>{children ? <div className="muted">{children}</div> : null}</div>
);

/** Payload data as text (never as HTML). */
export const JsonView = ({ value, label }: { value: unknown; label?: string }) => (
  <pre className="json" aria-label={label}>{value === undefined ? '—' : JSON.stringify(value, null, 2)}</pre>
);

export const formatTime = (t: string | number | undefined): string => (t === undefined ? '—' : new Date(t).toLocaleString());

/** How long a run took, from its start (or creation) to its end; `—` while it is unfinished. */
export const formatDuration = (x: { createdAt: number; startedAt?: number | null; finishedAt?: number | null }): string =>
  (x.finishedAt ? `${x.finishedAt - (x.startedAt ?? x.createdAt)} ms` : '—');

export const StatusBadge = ({ status, testId }: { status: string | undefined; testId?: string }) => (
  <span className={`badge badge-${status ?? 'none'}`} data-testid={testId}>{status ?? 'idle'}</span>
);

export const PageHeader = ({ title, children }: { title: string; children?: ReactNode }) => (
  <div className="page-header"><h1>{title}</h1><div className="page-actions">{children}</div></div>
);
