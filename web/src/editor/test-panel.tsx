/** The webhook simulator: a JSON payload (an e-commerce order to start), send, and the resulting run. */
import { useState } from 'react';
import { Link } from '../router';
import { StatusBadge } from '../ui';
import type { FlowEditor } from './use-flow-editor';
import { SAMPLE_ORDER } from './sample-order';


/** A JSON object of string values, or a message saying what is wrong. */
function parseHeaders(text: string): Record<string, string> | string {
  let v: unknown;
  try { v = JSON.parse(text.trim() || '{}'); } catch { return 'The headers are not valid JSON.'; }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'The headers must be a JSON object.';
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') return `Header "${k}" must be a string.`;
    out[k] = val;
  }
  return out;
}

export function TestPanel({ ed }: { ed: FlowEditor }) {
  const [text, setText] = useState(() => JSON.stringify(SAMPLE_ORDER, null, 2));
  const [headersText, setHeadersText] = useState('{}');
  const [bad, setBad] = useState<string | null>(null);
  const send = () => {
    let body: unknown;
    try { body = JSON.parse(text); } catch (e) { setBad(`The payload is not valid JSON: ${(e as Error).message}`); return; }
    const headers = parseHeaders(headersText);
    if (typeof headers === 'string') { setBad(headers); return; }
    setBad(null);
    void ed.runTest(body, headers);
  };
  const run = ed.lastRun;
  return (
    <div className="test-panel">
      <p className="small muted">Runs the saved flow on this payload (unsaved changes are saved first), even while it is inactive.</p>
      <label className="field"><span className="field-label">Payload (JSON body)</span>
        <textarea className="code" rows={14} spellCheck={false} data-testid="test-payload" value={text} onChange={(e) => setText(e.target.value)} /></label>
      <label className="field"><span className="field-label">Headers (JSON object of strings)</span>
        <textarea className="code" rows={2} spellCheck={false} data-testid="test-headers" value={headersText} onChange={(e) => setHeadersText(e.target.value)} /></label>
      {bad ? <div className="state state-error" role="alert">{bad}</div> : null}
      <button type="button" className="btn btn-primary" data-testid="send-test-event" onClick={send} disabled={ed.busy !== null}>Send test event</button>
      {run ? (
        <div className="run-summary" data-testid="test-result">
          <div className="row"><span>Execution</span><StatusBadge status={run.status} testId="test-status" /><Link to={`/executions/${run.id}`}>Open</Link></div>
          {run.error ? <div className="state state-error">{run.error.code}: {run.error.message}</div> : null}
          <ul className="steps">{run.steps.map((s) => <li key={s.nodeId}><StatusBadge status={s.status} /> <code>{s.nodeId}</code>{s.error ? <span className="field-error"> {s.error.message}</span> : null}</li>)}</ul>
          <p className="small muted">Click a node to see its input, output and attempts.</p>
        </div>
      ) : null}
    </div>
  );
}
