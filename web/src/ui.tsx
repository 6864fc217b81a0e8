/** Small shared view pieces: loading, error and empty states, JSON as text, time formatting. */
import { useMemo, useState, type ReactNode } from 'react';
import { jsonPreview } from './json-preview';
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

/** The first characters of a JSON view; "Show more" multiplies them. */
export const JSON_PREVIEW_CHARS = 20_000;

/** Save a value as a pretty JSON file (built on the click, never while rendering). */
function downloadJson(value: unknown, name: string): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2) ?? ''], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url; a.download = `${name.replace(/[^\w.-]+/g, '-').toLowerCase() || 'data'}.json`;
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Payload data as text (never as HTML). A large value shows its start only (built without writing the whole text,
 * so a 5 MB output opens at once), with a way to see more of it or download all of it.
 */
export function JsonView({ value, label }: { value: unknown; label?: string }) {
  const [max, setMax] = useState(JSON_PREVIEW_CHARS);
  const p = useMemo(() => (value === undefined ? null : jsonPreview(value, max)), [value, max]);
  if (!p) return <pre className="json" aria-label={label} tabIndex={0}>—</pre>;
  return (<>
    <pre className="json" aria-label={label} tabIndex={0}>{p.text}{p.cut ? '…' : ''}</pre>
    {p.cut ? (
      <div className="json-cut small muted" data-testid="json-cut">
        <span>Showing the first {max.toLocaleString('en')} characters.</span>
        <button type="button" className="btn btn-small" onClick={() => setMax((m) => m * 10)}>Show more</button>
        <button type="button" className="btn btn-small" data-testid="json-download" onClick={() => downloadJson(value, label ?? 'data')}>Download all (JSON)</button>
      </div>
    ) : null}
  </>);
}

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
