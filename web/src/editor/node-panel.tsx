/** The selected node's settings: name, params form from its schema, retry policy, timeout, and its last run. */
import { useMemo } from 'react';
import type { RetryPolicyDoc } from '../api/types';
import { JsonView, StatusBadge } from '../ui';
import { useCatalogue } from './catalogue';
import { inputOf, type EditorNode } from './flow-doc';
import { SchemaForm } from './schema-form';
import type { FlowEditor } from './use-flow-editor';
import { inferSchema } from './infer-schema';
import { SAMPLE_ORDER } from './sample-order';
import { FieldEnvContext, fieldEnvOf } from './field-env';

const num = (s: string): number | undefined => (s === '' ? undefined : Number(s));

function RetryFields({ node, ed }: { node: EditorNode; ed: FlowEditor }) {
  const info = useCatalogue().get(node.data.nodeType);
  const r = node.data.retry ?? {};
  const set = (k: keyof RetryPolicyDoc, v: number | string | undefined) => {
    const next: Record<string, unknown> = { ...r };
    if (v === undefined || v === '') delete next[k]; else next[k] = v;
    ed.updateNode(node.id, { retry: next });
  };
  return (
    <details className="group">
      <summary>Retry and timeout</summary>
      <label className="field"><span className="field-label">Max attempts</span>
        <input type="number" min={1} value={r.maxAttempts ?? ''} placeholder={String(info?.retry.maxAttempts ?? 1)} onChange={(e) => set('maxAttempts', num(e.target.value))} /></label>
      <label className="field"><span className="field-label">Backoff</span>
        <select value={r.backoff ?? ''} onChange={(e) => set('backoff', e.target.value || undefined)}>
          <option value="">default ({info?.retry.backoff ?? 'exponential'})</option><option value="fixed">fixed</option><option value="exponential">exponential</option>
        </select></label>
      <label className="field"><span className="field-label">Initial delay (ms)</span>
        <input type="number" min={0} value={r.initialDelayMs ?? ''} placeholder={String(info?.retry.initialDelayMs ?? '')} onChange={(e) => set('initialDelayMs', num(e.target.value))} /></label>
      <label className="field"><span className="field-label">Max delay (ms)</span>
        <input type="number" min={0} value={r.maxDelayMs ?? ''} placeholder={String(info?.retry.maxDelayMs ?? '')} onChange={(e) => set('maxDelayMs', num(e.target.value))} /></label>
      <label className="field"><span className="field-label">Timeout (ms)</span>
        <input type="number" min={1} value={node.data.timeoutMs ?? ''} placeholder={String(info?.timeoutMs ?? '')} onChange={(e) => ed.updateNode(node.id, { timeoutMs: num(e.target.value) })} /></label>
    </details>
  );
}

function LastRun({ node, ed }: { node: EditorNode; ed: FlowEditor }) {
  const run = ed.lastRun;
  if (!run) return <p className="muted small">Send a test event to see what this node received and produced.</p>;
  const step = run.steps.find((s) => s.nodeId === node.id);
  const attempts = run.attempts.filter((a) => a.nodeId === node.id);
  if (!step) return <p className="muted small">This node did not run in the last test.</p>;
  return (
    <div className="run-detail" data-testid="node-run">
      <div className="row"><StatusBadge status={step.status} />{step.port ? <span className="small muted">port {step.port}</span> : null}<span className="small muted">{step.attempts} attempt(s)</span></div>
      <h4>Input</h4><JsonView value={node.data.nodeType === 'webhook' ? run.trigger : inputOf(node.id, ed.edges, run.steps)} label="Input" />
      <h4>Output</h4><JsonView value={step.output} label="Output" />
      {step.error ? <><h4>Error</h4><div className="state state-error">{step.error.code}: {step.error.message}</div></> : null}
      {attempts.length ? <><h4>Attempts</h4><ol className="attempts">{attempts.map((a) => (
        <li key={a.attempt}><StatusBadge status={a.status} /> #{a.attempt} · {a.endedAt - a.startedAt} ms{a.errorCode ? ` · ${a.errorCode}: ${a.errorMessage ?? ''}` : ''}</li>
      ))}</ol></> : null}
    </div>
  );
}

/** Fill a validate node's schema from the last test payload's body (or the sample order before any test). */
function InferButton({ node, ed }: { node: EditorNode; ed: FlowEditor }) {
  const sample = ed.lastRun ? ed.lastRun.trigger.body : SAMPLE_ORDER;
  return (
    <button type="button" className="btn btn-small" data-testid="infer-schema"
      onClick={() => ed.updateNode(node.id, { params: { ...node.data.params, schema: inferSchema(sample) } })}>
      Infer schema from {ed.lastRun ? 'the last test payload' : 'the sample order'}
    </button>
  );
}

export function NodePanel({ ed, node }: { ed: FlowEditor; node: EditorNode }) {
  const info = useCatalogue().get(node.data.nodeType);
  const problems = node.data.problems ?? [];
  const fieldEnv = useMemo(() => fieldEnvOf(node.id, ed.edges, ed.lastRun), [node.id, ed.edges, ed.lastRun]);
  return (
    <div className="node-panel" data-testid="node-panel">
      <div className="node-panel-head"><strong>{info?.title ?? node.data.nodeType}</strong><code className="small">{node.id}</code></div>
      {info ? <p className="small muted">{info.description}</p> : null}
      {problems.length ? <ul className="state state-error">{problems.map((p) => <li key={p}>{p}</li>)}</ul> : null}
      <label className="field"><span className="field-label">Name</span>
        <input value={node.data.name ?? ''} placeholder={node.id} onChange={(e) => ed.updateNode(node.id, { name: e.target.value || undefined })} /></label>
      <h4>Parameters</h4>
      {node.data.nodeType === 'validate' ? <InferButton node={node} ed={ed} /> : null}
      <FieldEnvContext.Provider value={fieldEnv}>
      {info ? <SchemaForm key={node.id} schema={info.params} value={node.data.params} problems={problems}
        onChange={(v) => ed.updateNode(node.id, { params: typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...v } : {} })} /> : null}
      </FieldEnvContext.Provider>
      <RetryFields node={node} ed={ed} />
      <h4>Last test run</h4>
      <LastRun node={node} ed={ed} />
    </div>
  );
}
