/** The webhook simulator: a JSON payload (an e-commerce order to start), send, and the resulting run. */
import { useEffect, useState } from 'react';
import { Link } from '../router';
import { StatusBadge } from '../ui';
import type { FlowEditor } from './use-flow-editor';
import { SAMPLE_ORDER } from './sample-order';
import { headersText as formatHeaders, parseHeaders } from './test-headers';
import { hmacPreset, useSigning, type Signing } from './use-signing';
import { ListenPanel } from './listen-panel';
import { rowsFor } from './capture-actions';
import { keepTestEvent, loadTestEvent } from './test-event-store';
import { countsNote, rollUp } from './item-steps';

/** "Sign with this flow's secret" (hmac auth only) and whether the payload changed since. */
function SignRow({ ed, signing, text, headers, preset }: { ed: FlowEditor; signing: Signing; text: string; headers: string; preset: string }) {
  const stale = signing.signedFor !== null && signing.signedFor !== text;
  return (
    <>
      <div className="sign-row">
        <button type="button" className="btn btn-small" data-testid="sign-test-event" title={`Sign the payload with this flow's ${preset} secret`}
          disabled={signing.busy || ed.busy !== null} onClick={() => void signing.sign(text, headers)}>Sign with this flow's secret</button>
        {signing.signedFor === null ? null : stale
          ? <span className="sign-state sign-stale" data-testid="sign-state">Payload changed: Send signs it again</span>
          : <span className="sign-state sig-ok" data-testid="sign-state">✓ Signed ({preset})</span>}
      </div>
      {signing.error ? <div className="state state-error" role="alert">{signing.error}</div> : null}
    </>
  );
}

/** A step by the node's name (its id when it has none, or when the node is gone). */
const stepName = (ed: FlowEditor, nodeId: string): string => ed.nodes.find((n) => n.id === nodeId)?.data.name || nodeId;

/** The payload and headers of this flow's test panel, kept across tab switches and reloads. */
function useTestEvent(flowId: string) {
  const [ev] = useState(() => loadTestEvent(flowId));
  const [text, setText] = useState(() => ev?.payload ?? JSON.stringify(SAMPLE_ORDER, null, 2));
  const [headersText, setHeadersText] = useState(() => ev?.headers ?? '{}');
  useEffect(() => {
    keepTestEvent(flowId, { payload: text, headers: headersText }, false);
    const t = setTimeout(() => keepTestEvent(flowId, { payload: text, headers: headersText }, true), 300);
    return () => clearTimeout(t);
  }, [flowId, text, headersText]);
  // Leaving the panel (another tab, another page) writes what is pending at once.
  useEffect(() => () => { const v = loadTestEvent(flowId); if (v) keepTestEvent(flowId, v, true); }, [flowId]);
  return { text, setText, headersText, setHeadersText };
}

export function TestPanel({ ed }: { ed: FlowEditor }) {
  const { text, setText, headersText, setHeadersText } = useTestEvent(ed.flow?.id ?? '');
  const [bad, setBad] = useState<string | null>(null);
  const signing = useSigning(ed, setHeadersText);
  const preset = hmacPreset(ed);
  const send = async () => {
    let body: unknown;
    try { body = JSON.parse(text); } catch (e) { setBad(`The payload is not valid JSON: ${(e as Error).message}`); return; }
    let headers = parseHeaders(headersText);
    if (typeof headers === 'string') { setBad(headers); return; }
    if (preset && signing.signedFor !== null && signing.signedFor !== text) {
      const again = await signing.sign(text, headersText);
      if (typeof again === 'string') { setBad(again); return; }
      headers = again;
    }
    setBad(null);
    const refused = await ed.runTest(body, headers, { inline: true });
    if (refused) setBad(refused);
  };
  const useSample = (payload: string, headers: Record<string, string>) => { setText(payload); setHeadersText(formatHeaders(headers)); signing.forget(); };
  const run = ed.lastRun;
  return (
    <div className="test-panel">
      <p className="small muted">Runs the saved flow on this payload (unsaved changes are saved first), even while it is inactive.</p>
      <label className="field"><span className="field-label">Payload (JSON body)</span>
        <textarea className="code" rows={14} spellCheck={false} data-testid="test-payload" value={text} onChange={(e) => setText(e.target.value)} /></label>
      <label className="field"><span className="field-label">Headers (JSON object of strings)</span>
        <textarea className="code" rows={rowsFor(headersText)} spellCheck={false} data-testid="test-headers" value={headersText} onChange={(e) => setHeadersText(e.target.value)} /></label>
      {preset ? <SignRow ed={ed} signing={signing} text={text} headers={headersText} preset={preset} /> : null}
      {bad ? <div className="state state-error" role="alert" data-testid="test-refused">{bad}</div> : null}
      <button type="button" className="btn btn-primary" data-testid="send-test-event" onClick={() => void send()} disabled={ed.busy !== null || signing.busy}>Send test event</button>
      {!run && ed.running ? (
        <div className="run-summary" data-testid="test-result">
          <div className="row"><span>Execution</span><StatusBadge status="running" testId="test-status" /><Link to={`/executions/${ed.running}`}>Open</Link></div>
        </div>
      ) : null}
      {run ? (
        <div className="run-summary" data-testid="test-result">
          <div className="row"><span>Execution</span><StatusBadge status={run.status} testId="test-status" /><Link to={`/executions/${run.id}`}>Open</Link></div>
          {run.error ? <div className="state state-error">{run.error.message} <code className="err-code">{run.error.code}</code></div> : null}
          <ul className="steps">{rollUp(run.steps).map((s) => <li key={s.nodeId}><StatusBadge status={s.status} /> {stepName(ed, s.nodeId)}{s.items ? <span className="muted small" data-testid={`test-items-${s.nodeId}`}> {countsNote(s.items)}</span> : null}{s.error ? <span className="field-error"> {s.error.message}</span> : null}</li>)}</ul>
          <p className="small muted">Click a node to see its input, output and attempts.</p>
        </div>
      ) : null}
      {/* Only a webhook flow has a URL that real deliveries could reach. */}
      {ed.flow?.nodes.some((n) => n.type === 'webhook') ?? true ? <ListenPanel ed={ed} onUseSample={useSample} /> : null}
    </div>
  );
}
