/** For an HMAC-signed webhook: the docs' example body, signed now by the server, as a curl command ready to paste. */
import { useState } from 'react';
import { capturesApi } from '../api/captures';
import type { WebhookDocs } from '../api/types';
import { CopyButton } from '../shell/copy-button';
import { signedCurl } from './signed-curl';

export function SignedCurlBox({ flowId, docs }: { flowId: string; docs: WebhookDocs }) {
  const [curl, setCurl] = useState<{ text: string; at: Date } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { example } = docs;
  if (docs.auth.kind !== 'hmac') return null;
  const sign = async () => {
    const r = await capturesApi.sign(flowId, example.body ?? '', {});
    if (!r.ok) { setError(`${r.message} (${r.code})`); setCurl(null); return; }
    setError(null);
    setCurl({ text: signedCurl({ url: docs.url, method: example.method, contentType: example.contentType, body: example.body, headers: r.value.headers }), at: new Date() });
  };
  return (
    <div className="signed-curl">
      <div className="row">
        <button type="button" className="btn btn-small" data-testid="sign-curl" onClick={() => void sign()}>
          {curl ? 'Sign again' : 'Sign this example now'}</button>
        {curl ? <CopyButton text={curl.text} /> : null}
      </div>
      <p className="small muted">The server signs the example body with the flow's secret (the secret never comes to the browser).
        Presets with a timestamp (Stripe, Slack, Standard Webhooks) accept the result only within their tolerance.</p>
      {error ? <p className="field-error" role="alert">{error}</p> : null}
      {curl ? <><p className="small">Signed at {curl.at.toLocaleTimeString([], { hour12: false })}:</p>
        <pre className="json" data-testid="signed-curl">{curl.text}</pre></> : null}
    </div>
  );
}
