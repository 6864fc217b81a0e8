/** Small shared view pieces: loading, error and empty states, JSON as text, time formatting. */
import type { ReactNode } from 'react';
import type { ApiError } from './api/client';

export const Loading = ({ what }: { what?: string }) => <div className="state state-loading" role="status">Loading{what ? ` ${what}` : ''}…</div>;

/** An error in words; the machine code follows, smaller, for searching logs and docs. */
export const ErrorBox = ({ error }: { error: ApiError | string | null | undefined }) =>
  error ? (
    <div className="state state-error" role="alert">
      {typeof error === 'string' ? error : <>{sentence(error.message)} <code className="err-code" title="Error code">{error.code}</code></>}
    </div>
  ) : null;

/** A server message as a sentence: capital first letter, a full stop. */
export const sentence = (m: string): string => {
  const t = m.trim();
  if (t === '') return t;
  const s = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
};

/** "1 attempt", "3 attempts". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export const Empty = ({ title, children }: { title: string; children?: ReactNode }) => (
  <div className="state state-empty"><strong>{title}</strong>{children ? <div className="muted">{children}</div> : null}</div>
);

/** Payload data as text (never as HTML). */
export const JsonView = ({ value, label }: { value: unknown; label?: string }) => (
  <pre className="json" aria-label={label} tabIndex={0}>{value === undefined ? '—' : JSON.stringify(value, null, 2)}</pre>
);

export const formatTime = (t: string | number | undefined): string => (t === undefined ? '—' : new Date(t).toLocaleString());

/** A span of time for people: "850 ms", "13.3 s", "2 min 5 s", "1 h 4 min". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** How long a run took, from its start (or creation) to its end; `—` while it is unfinished. */
export const formatDuration = (x: { createdAt: number; startedAt?: number | null; finishedAt?: number | null }): string =>
  (x.finishedAt ? formatMs(x.finishedAt - (x.startedAt ?? x.createdAt)) : '—');

/** "just now", "5 min ago", "3 h ago", else the date and time. */
export function formatWhen(t: number, now = Date.now()): string {
  const ago = now - t;
  if (ago < 45_000 && ago > -60_000) return 'just now';
  if (ago < 3_600_000 && ago > 0) return `${Math.round(ago / 60_000)} min ago`;
  if (ago < 86_400_000 && ago > 0) return `${Math.round(ago / 3_600_000)} h ago`;
  return new Date(t).toLocaleString();
}

export const StatusBadge = ({ status, testId }: { status: string | undefined; testId?: string }) => (
  <span className={`badge badge-${status ?? 'none'}`} data-testid={testId}>{status ?? 'idle'}</span>
);

export const PageHeader = ({ title, subtitle, children }: { title: string; subtitle?: string; children?: ReactNode }) => (
  <div className="page-header"><div><h1>{title}</h1>{subtitle ? <div className="small muted mono">{subtitle}</div> : null}</div><div className="page-actions">{children}</div></div>
);
