/** Captured deliveries: one row each (time, method, signature ✓/✗, size); a click opens headers and body as text with the actions. */
import { useEffect, useState } from 'react';
import type { ApiError } from '../api/client';
import { capturesApi, type CaptureDetail, type CaptureView } from '../api/captures';
import { ErrorBox, Loading } from '../ui';
import { clockTime, formatBytes } from './capture-actions';

export interface CaptureActions {
  run(c: CaptureDetail): void;
  useSample(c: CaptureDetail): void;
  inferSchema(c: CaptureDetail): void;
  /** No validate node: the infer action is disabled with this reason. */
  inferDisabled?: string;
  runDisabled?: boolean;
}

/** The signature check: `✓ verified` / `✗ <reason>` in a row, with what was checked in the detail. */
function Signature({ s, full = false }: { s: CaptureView['signature']; full?: boolean }) {
  if (s.kind === 'none') return <span className="sig sig-none" title="The webhook checks no signature">no check</span>;
  const what = s.kind === 'hmac' ? `${s.preset ?? 'custom'} signature` : `${s.kind} auth`;
  if (s.ok) return <span className="sig sig-ok" title={`${what} verified`}>✓ {full ? `${what} verified` : 'verified'}</span>;
  return <span className="sig sig-bad" title={`${what} failed`}>✗ {full ? `${what} failed: ` : ''}{s.reason ?? 'failed'}</span>;
}

const headerLines = (h: Record<string, string>): string => Object.entries(h).map(([k, v]) => `${k}: ${v}`).join('\n');

function Detail({ flowId, capture, actions }: { flowId: string; capture: CaptureView; actions: CaptureActions }) {
  const [detail, setDetail] = useState<CaptureDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    void capturesApi.get(flowId, capture.id).then((r) => { if (r.ok) setDetail(r.value); else setError(r); });
  }, [flowId, capture.id]);
  if (error) return <ErrorBox error={error} />;
  if (!detail) return <Loading what="capture" />;
  const query = new URLSearchParams(Object.entries(detail.query).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))).toString();
  return (
    <div className="capture-detail" data-testid="capture-detail">
      <p className="small"><Signature s={detail.signature} full />{detail.live ? <span className="muted"> · the flow was active: it also ran if every check passed</span> : null}</p>
      {query ? <><h4>Query</h4><pre className="json">?{query}</pre></> : null}
      <h4>Headers</h4>
      <pre className="json" aria-label="Captured headers" data-testid="capture-headers">{headerLines(detail.headers)}</pre>
      <h4>Body{detail.bodyEncoding === 'base64' ? ' (not UTF-8: base64)' : ''}</h4>
      <pre className="json" aria-label="Captured body" data-testid="capture-body">{detail.body === '' ? '(empty)' : detail.body}</pre>
      <div className="capture-actions">
        <button type="button" className="btn btn-small" data-testid="capture-run" disabled={actions.runDisabled}
          title="Run the flow on this captured delivery" onClick={() => actions.run(detail)}>Run flow on this</button>
        <button type="button" className="btn btn-small" data-testid="capture-use-sample"
          title="Use this delivery's body and headers as the test payload" onClick={() => actions.useSample(detail)}>Use as sample</button>
        <button type="button" className="btn btn-small" data-testid="capture-infer-schema" disabled={actions.inferDisabled !== undefined}
          title={actions.inferDisabled ?? "Infer the validate node's schema from this delivery"} onClick={() => actions.inferSchema(detail)}>Infer validate schema</button>
      </div>
    </div>
  );
}

export function CaptureList({ flowId, captures, listening, actions }: {
  flowId: string; captures: CaptureView[] | null; listening: boolean; actions: CaptureActions;
}) {
  const [open, setOpen] = useState<string | null>(null);
  if (captures === null) return <Loading what="captures" />;
  if (captures.length === 0) {
    return <p className="small muted capture-empty" data-testid="captures-empty">{listening
      ? 'Waiting for deliveries… Send one from the provider (its "send test webhook" button, say).'
      : 'No deliveries captured yet.'}</p>;
  }
  return (
    <ul className="captures" aria-label="Captured deliveries" aria-live="polite">
      {captures.map((c) => (
        <li key={c.id} className={open === c.id ? 'capture open' : 'capture'}>
          <button type="button" className="capture-row" data-testid={`capture-row-${c.id}`} aria-expanded={open === c.id}
            onClick={() => setOpen(open === c.id ? null : c.id)}>
            <span className="capture-time">{clockTime(c.receivedAt)}</span>
            <code>{c.method}</code>
            <Signature s={c.signature} />
            <span className="muted capture-size">{formatBytes(c.size)}</span>
          </button>
          {open === c.id ? <Detail flowId={flowId} capture={c} actions={actions} /> : null}
        </li>
      ))}
    </ul>
  );
}
