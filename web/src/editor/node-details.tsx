/** The node details view: input | parameters | output side by side, and "run this node" on that input in the sandbox. */
import { useEffect, useId, useRef, useState } from 'react';
import { StatusBadge, formatMs, sentence } from '../ui';
import { useCatalogue } from './catalogue';
import type { EditorNode } from './flow-doc';
import type { FlowEditor } from './use-flow-editor';
import { NodeForm } from './node-form';
import { DataView } from './data-view';
import { InputColumn, runInputOf, type InputSource } from './input-column';
import { useNodeRun, type NodeRunState } from './use-node-run';

/** What a side-effecting node would really do, for the explicit opt-in. */
const EFFECT: Record<string, string> = { email: 'send the email', http: 'call the URL', inventory: 'change the stock' };

function OutputColumn({ ed, node, run }: { ed: FlowEditor; node: EditorNode; run: NodeRunState }) {
  const step = ed.lastRun?.steps.find((s) => s.nodeId === node.id);
  const r = run.result;
  return (
    <section className="ndv-col" aria-labelledby="ndv-output">
      <div className="ndv-col-head"><h3 id="ndv-output">Output</h3>
        <span className="small muted">{r ? 'from "Run this node"' : step ? 'from the last test run' : ''}</span></div>
      {run.error ? <div className="state state-error" role="alert">{sentence(run.error.message)} <code className="err-code">{run.error.code}</code></div> : null}
      {r ? (
        <div data-testid="ndv-result">
          <div className="row"><StatusBadge status={r.status} testId="ndv-status" />{r.port ? <span className="small muted">port {r.port}</span> : null}
            <span className="small muted">{formatMs(r.durationMs)}</span></div>
          {r.dryRun ? <p className="state state-warn small" data-testid="ndv-dry-run">Dry run: nothing was sent or changed. Tick the box above to do it for real.</p> : null}
          {r.waitUntil ? <p className="small muted">Would wait until {new Date(r.waitUntil).toLocaleString()}, then pass its input on.</p> : null}
          {r.error ? <div className="state state-error">{sentence(r.error.message)} <code className="err-code">{r.error.code}</code></div> : null}
          {r.status !== 'failed' ? <DataView value={r.output} label="Output" testId="ndv-output-data" /> : null}
        </div>
      ) : step ? (
        <div>
          <div className="row"><StatusBadge status={step.status} />{step.port ? <span className="small muted">port {step.port}</span> : null}</div>
          {step.error ? <div className="state state-error">{sentence(step.error.message)} <code className="err-code">{step.error.code}</code></div> : null}
          <DataView value={step.output} label="Output" testId="ndv-output-data" />
        </div>
      ) : <p className="muted small">Run this node to see what it produces.</p>}
    </section>
  );
}

export function NodeDetails({ ed, node, onClose }: { ed: FlowEditor; node: EditorNode; onClose(): void }) {
  const info = useCatalogue().get(node.data.nodeType);
  const titleId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const [source, setSource] = useState<InputSource>(node.data.pinnedInput !== undefined ? 'pinned' : 'run');
  const [real, setReal] = useState(false);
  const run = useNodeRun(ed, node);
  const input = source === 'pinned' ? node.data.pinnedInput : runInputOf(ed, node);
  const effect = info?.effect === 'side-effect' ? EFFECT[node.data.nodeType] ?? 'perform its side effect' : undefined;
  useEffect(() => { dialog.current?.focus(); }, []);
  // Escape closes from anywhere (focus may sit on the page after a button was disabled), but not inside an editor.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if (e.target instanceof Element && e.target.closest('.cm-editor, .template-input, .sample-editor')) return;
      onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const go = () => {
    if (real && effect && !window.confirm(`This will really ${effect}. Continue?`)) return;
    void run.run(input, real);
  };
  return (
    <div className="ndv-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div className="ndv" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="node-details" ref={dialog} tabIndex={-1}>
        <header className="ndv-head">
          <h2 id={titleId}>{node.data.name || node.id} <span className="muted small">{info?.title ?? node.data.nodeType}</span></h2>
          <div className="row">
            {effect ? (
              <label className="chip ndv-real"><input type="checkbox" checked={real} onChange={(e) => setReal(e.target.checked)} data-testid="ndv-real" />
                Really {effect} (otherwise a dry run)</label>
            ) : null}
            <button type="button" className="btn btn-primary" onClick={() => { if (!run.busy) go(); }} aria-busy={run.busy} data-testid="run-node">{run.busy ? 'Running…' : 'Run this node'}</button>
            <button type="button" className="btn" onClick={onClose} data-testid="close-details">Close</button>
          </div>
        </header>
        <div className="ndv-cols">
          <InputColumn ed={ed} node={node} source={source} setSource={setSource} input={input} />
          <section className="ndv-col ndv-params" aria-labelledby="ndv-params" data-testid="ndv-params">
            <div className="ndv-col-head"><h3 id="ndv-params">Parameters</h3></div>
            <NodeForm ed={ed} node={node} sample={input} inDetails />
          </section>
          <OutputColumn ed={ed} node={node} run={run} />
        </div>
      </div>
    </div>
  );
}
