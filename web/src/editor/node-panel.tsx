/** The selected node in the side panel: what it is, what is wrong with it, its settings, and a way into its details view. */
import { JsonView, StatusBadge, plural } from '../ui';
import { useCatalogue } from './catalogue';
import { inputOf, type EditorNode } from './flow-doc';
import type { FlowEditor } from './use-flow-editor';
import { NodeForm } from './node-form';

function LastRun({ node, ed }: { node: EditorNode; ed: FlowEditor }) {
  const run = ed.lastRun;
  if (!run && ed.running) return <p className="muted small" data-testid="node-run-pending">A test run is going: this node's data shows when it ends.</p>;
  if (!run) return <p className="muted small">Send a test event to see what this node received and produced.</p>;
  const step = run.steps.find((s) => s.nodeId === node.id);
  const attempts = run.attempts.filter((a) => a.nodeId === node.id);
  if (!step) return <p className="muted small">This node did not run in the last test.</p>;
  return (
    <div className="run-detail" data-testid="node-run">
      <div className="row"><StatusBadge status={step.status} />{step.port ? <span className="small muted">port {step.port}</span> : null}<span className="small muted">{plural(step.attempts, 'attempt')}</span></div>
      <h4>Input</h4><JsonView value={node.data.nodeType === 'webhook' ? run.trigger : inputOf(node.id, ed.edges, run.steps)} label="Input" />
      <h4>Output</h4><JsonView value={step.output} label="Output" />
      {step.error ? <><h4>Error</h4><div className="state state-error">{step.error.message} <code className="err-code">{step.error.code}</code></div></> : null}
      {attempts.length ? <><h4>Attempts</h4><ol className="attempts">{attempts.map((a) => (
        <li key={a.attempt}><StatusBadge status={a.status} /> #{a.attempt} · {a.endedAt - a.startedAt} ms{a.errorCode ? ` · ${a.errorMessage ?? ''} (${a.errorCode})` : ''}</li>
      ))}</ol></> : null}
    </div>
  );
}

export function NodePanel({ ed, node, onOpenDetails }: { ed: FlowEditor; node: EditorNode; onOpenDetails(): void }) {
  const info = useCatalogue().get(node.data.nodeType);
  const problems = node.data.problems ?? [];
  return (
    <div className="node-panel" data-testid="node-panel">
      <div className="node-panel-head"><strong>{info?.title ?? node.data.nodeType}</strong><code className="small">{node.id}</code></div>
      {info ? <p className="small muted">{info.description}</p> : null}
      <button type="button" className="btn btn-small" onClick={onOpenDetails} data-testid="open-details">Open details: data and run this node</button>
      {node.data.disabled ? <p className="state state-warn small">Disabled: this node runs nothing and passes its input on. <button type="button" className="btn btn-small" onClick={() => ed.toggleDisabled(node.id)}>Enable</button></p> : null}
      {problems.length ? <ul className="state state-error">{problems.map((p) => <li key={p}>{p}</li>)}</ul> : null}
      {node.data.flags?.length ? <div className="state state-warn small" data-testid="node-flags">This node names a credential that does not exist here. Pick one below or create it in place.</div> : null}
      {node.data.runError ? <div className="state state-error small">Last test run: {node.data.runError}</div> : null}
      {node.data.runNote ? <div className="state state-warn small">{node.data.runNote}</div> : null}
      <NodeForm ed={ed} node={node} />
      <h4>Last test run</h4>
      <LastRun node={node} ed={ed} />
    </div>
  );
}
