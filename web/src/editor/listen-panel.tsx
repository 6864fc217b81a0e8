/** "Listen for a real event": for a few minutes the flow's URL captures real deliveries (even while inactive); run the flow on one, keep it as a sample, or infer the validate schema. */
import { useState } from 'react';
import type { CaptureDetail } from '../api/captures';
import { CopyButton } from '../shell/copy-button';
import { ErrorBox } from '../ui';
import { samplePayload, schemaFor, validateTarget, formatLeft } from './capture-actions';
import { CaptureList, type CaptureActions } from './capture-list';
import { useListen, LISTEN_MINUTES } from './use-listen';
import type { FlowEditor } from './use-flow-editor';
import './listen-panel.css';

function useCaptureActions(ed: FlowEditor, onUseSample: (payload: string, headers: Record<string, string>) => void, say: (m: string) => void): CaptureActions {
  const target = validateTarget(ed.nodes);
  return {
    run: (c: CaptureDetail) => {
      say('');
      void ed.runTest(c.trigger.body, c.trigger.headers, { method: c.trigger.method, query: c.trigger.query });
    },
    useSample: (c: CaptureDetail) => {
      onUseSample(samplePayload(c), c.trigger.headers);
      say('The payload and headers above now hold this delivery.');
    },
    inferSchema: (c: CaptureDetail) => {
      if (!target) return;
      const schema = schemaFor(c, target);
      if (schema === undefined) { say(`The path "${String(target.data.params.path)}" of ${target.id} finds nothing in this delivery.`); return; }
      ed.updateNode(target.id, { params: { ...target.data.params, schema } });
      say(`The schema of ${target.id} now fits this delivery. Save to keep it.`);
    },
    inferDisabled: target ? undefined : 'This flow has no validate node.',
    runDisabled: ed.busy !== null,
  };
}

export function ListenPanel({ ed, onUseSample }: { ed: FlowEditor; onUseSample(payload: string, headers: Record<string, string>): void }) {
  const flowId = ed.flow?.id;
  const listen = useListen(flowId);
  const [note, setNote] = useState('');
  const actions = useCaptureActions(ed, onUseSample, setNote);
  const listening = listen.leftMs > 0;
  const url = listen.state?.url ?? ed.flow?.webhook.url ?? '';
  return (
    <section className="listen-panel" aria-labelledby="listen-title">
      <h3 id="listen-title">Listen for a real event</h3>
      <p className="small muted">For {LISTEN_MINUTES} minutes, deliveries to this flow's URL are captured with their headers and signature check, even while the flow is inactive.</p>
      {listening ? (
        <>
          <div className="listen-live">
            <span className="listen-dot" aria-hidden="true" />
            <span>Listening · <strong data-testid="listen-countdown">{formatLeft(listen.leftMs)}</strong> left</span>
            <button type="button" className="btn btn-small" data-testid="listen-stop" title="Stop listening" disabled={listen.busy} onClick={() => { setNote(''); void listen.stop(); }}>Stop</button>
          </div>
          <p className="small">Give the sender this URL:</p>
          <div className="row listen-url"><code className="truncate" data-testid="listen-url" title={url}>{url}</code><CopyButton text={url} /></div>
          <p className="small muted">{ed.flow?.active
            ? 'The flow is active: deliveries also run it as usual.'
            : 'The flow is inactive: deliveries are answered 202 (401 when the check fails, as live traffic would be) and nothing runs.'}</p>
        </>
      ) : (
        <button type="button" className="btn" data-testid="listen-start" title={`Listen for real deliveries for ${LISTEN_MINUTES} minutes`}
          disabled={listen.busy || !flowId} onClick={() => { setNote(''); void listen.start(); }}>Listen for a real event</button>
      )}
      <ErrorBox error={listen.error} />
      {note ? <p className="small listen-note" role="status">{note}</p> : null}
      {flowId ? <CaptureList flowId={flowId} captures={listen.captures} listening={listening} actions={actions} /> : null}
    </section>
  );
}
