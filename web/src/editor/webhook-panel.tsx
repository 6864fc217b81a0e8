/** The Webhook tab: the saved flow's generated docs (GET /api/flows/:id/docs): URL, methods, auth, answers, a curl sample. */
import { useEffect, useState } from 'react';
import { api, type ApiError } from '../api/client';
import type { WebhookDocs } from '../api/types';
import { CopyButton } from '../shell/copy-button';
import { ErrorBox, JsonView, Loading } from '../ui';
import type { FlowEditor } from './use-flow-editor';
import { SignedCurlBox } from './signed-curl-box';

export function WebhookPanel({ ed }: { ed: FlowEditor }) {
  const [docs, setDocs] = useState<WebhookDocs | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const flowId = ed.flow?.id;
  const version = ed.flow?.version;
  const url = ed.flow?.webhook.url;
  useEffect(() => {
    if (!flowId) return;
    void api.flowDocs(flowId).then((r) => { if (r.ok) { setDocs(r.value); setError(null); } else setError(r); });
  }, [flowId, version, url]);
  if (error) return <div className="pad"><ErrorBox error={error} /></div>;
  if (!docs) return <Loading what="webhook docs" />;
  return (
    <div className="webhook-panel pad" data-testid="webhook-docs">
      {ed.dirty ? <p className="small dirty">These docs describe the saved version; save to update them.</p> : null}
      <h4>URL</h4>
      <div className="row"><code className="truncate" style={{ flex: 1 }}>{docs.url}</code><CopyButton text={docs.url} /></div>
      <h4>Request</h4>
      <p className="small">{docs.methods.join(', ')} · {docs.contentTypes.join(', ') || 'any content type'} · {docs.response.mode === 'sync' ? `synchronous answer (within ${docs.response.timeoutMs ?? 30000} ms)` : 'answered 202 at once'}</p>
      {docs.idempotencyHeader ? <p className="small">Deliveries are de-duplicated on <code>{docs.idempotencyHeader}</code>.</p> : null}
      <h4>Authentication</h4>
      <p className="small">{docs.auth.kind}{docs.auth.preset ? ` (${docs.auth.preset})` : ''}{docs.auth.headers.length ? ` · headers: ${docs.auth.headers.join(', ')}` : ''}</p>
      <p className="small muted">{docs.auth.howToSign}</p>
      <h4>Example</h4>
      <div className="row"><span className="small muted" style={{ flex: 1 }}>curl</span><CopyButton text={docs.example.curl} /></div>
      <pre className="json" data-testid="webhook-curl">{docs.example.curl}</pre>
      {flowId ? <SignedCurlBox flowId={flowId} docs={docs} /> : null}
      <h4>Answers</h4>
      <table className="table small"><tbody>{docs.answers.map((a) => <tr key={`${a.status}-${a.when}`}><td><code>{a.status}</code></td><td>{a.when}</td></tr>)}</tbody></table>
      {docs.payloadSchema ? <><h4>Payload schema</h4><JsonView value={docs.payloadSchema} label="Payload schema" /></> : null}
    </div>
  );
}
