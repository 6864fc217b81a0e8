/** Small shared view pieces: loading, error and empty states, JSON as text, time formatting. */
import type { ReactNode } from 'react';
import type { ApiError } from './api/client';
import { formatMs, sentence } from './format';

export { formatMs, formatWhen, plural, sentence } from './format';

export const Loading = ({ what }: { what?: string }) => <div className="state state-loading" role="status">Loading{what ? ` ${what}` : ''}…</div>;

/** An error in words; the machine code follows, smaller, for searching logs and docs. */
export const ErrorBox = ({ error }: { error: ApiError | string | null | undefined }) =>
  error ? (
    <div className="state state-error" role="alert">
      {typeof error === 'string' ? error : <>{sentence(error.message)} <code className="err-code" title="Error code">{error.code}</code></>}
    </div>
  ) : null;


export const Empty = ({ title, children }: { title: string; children?: ReactNode }) => (
  <div className="state state-empty"><strong>{title}</strong>{children ? <div className="muted">{children}</div> : null}</div>
);

/** Payload data as text (never as HTML). */
export const JsonView = ({ value, label }: { value: unknown; label?: string }) => (
  <pre className="json" aria-label={label} tabIndex={0}>{value === undefined ? '—' : JSON.stringify(value, null, 2)}</pre>
);

export const formatTime = (t: string | number | undefined): string => (t === undefined ? '—' : new Date(t).toLocaleString());

/** How long a run took, from its start (or creation) to its end; `—` while it is unfinished. */
export const formatDuration = (x: { createdAt: number; startedAt?: number | null; finishedAt?: number | null }): string =>
  (x.finishedAt ? formatMs(x.finishedAt - (x.startedAt ?? x.createdAt)) : '—');

export const StatusBadge = ({ status, testId }: { status: string | undefined; testId?: string }) => (
  <span className={`badge badge-${status ?? 'none'}`} data-testid={testId}>{status ?? 'idle'}</span>
);

export const PageHeader = ({ title, subtitle, children }: { title: string; subtitle?: string; children?: ReactNode }) => (
  <div className="page-header"><div><h1>{title}</h1>{subtitle ? <div className="small muted mono">{subtitle}</div> : null}</div><div className="page-actions">{children}</div></div>
);
