/** A node's editable settings: its name, its parameters (form from the schema, with `{{` completion) and its retries. */
import { useMemo } from 'react';
import { useCatalogue } from './catalogue';
import type { EditorNode } from './flow-doc';
import { SchemaForm } from './schema-form';
import type { FlowEditor } from './use-flow-editor';
import { inferSchema } from './infer-schema';
import { SAMPLE_ORDER } from './sample-order';
import { FieldEnvContext, fieldEnvOf } from './field-env';
import { SchedulePreview } from './schedule-preview';
import { RetryFields } from './retry-fields';
import { NodeDraftsContext, nodeDraftsOf } from './field-drafts';

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

/** The value at a problem's field path (`params.auth.credentialId`) in a params object. */
function valueAt(params: Record<string, unknown>, field: string): unknown {
  let v: unknown = { params };
  for (const k of field.split('.')) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

/** New params; a credential flag goes away once its field is changed (a credential picked or created in place). */
function changeParams(ed: FlowEditor, node: EditorNode, params: Record<string, unknown>) {
  const changed = (flag: string) => { const field = flag.slice(0, flag.indexOf(':')); return valueAt(params, field) !== valueAt(node.data.params, field); };
  const kept = node.data.flags?.filter((f) => !changed(f));
  if (node.data.flags?.length !== kept?.length) {
    const cleared = new Set(node.data.flags?.filter(changed).map((f) => f.slice(0, f.indexOf(':'))));
    ed.setProblems((ps) => ps.filter((p) => !(p.nodeId === node.id && cleared.has(p.field ?? ''))));
  }
  ed.updateNode(node.id, { params, flags: kept?.length ? kept : undefined });
}

export function NodeForm({ ed, node, sample, inDetails }: { ed: FlowEditor; node: EditorNode; sample?: unknown; inDetails?: boolean }) {
  const info = useCatalogue().get(node.data.nodeType);
  const problems = [...(node.data.problems ?? []), ...(node.data.flags ?? [])];
  const fieldEnv = useMemo(() => fieldEnvOf(node.id, ed.edges, ed.lastRun, sample), [node.id, ed.edges, ed.lastRun, sample]);
  const drafts = useMemo(() => nodeDraftsOf(ed.drafts, node.id), [ed.drafts, node.id]);
  return (
    <NodeDraftsContext.Provider value={drafts}>
    <div className="node-form">
      <label className="field" data-field="name"><span className="field-label">Name</span>
        <input value={node.data.name ?? ''} placeholder={node.id} onChange={(e) => ed.updateNode(node.id, { name: e.target.value || undefined })} /></label>
      {inDetails ? null : <h4>Parameters</h4>}
      {node.data.nodeType === 'validate' ? <InferButton node={node} ed={ed} /> : null}
      <FieldEnvContext.Provider value={fieldEnv}>
        {info ? <SchemaForm key={node.id} schema={info.params} value={node.data.params} problems={problems}
          onChange={(v) => changeParams(ed, node, typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...v } : {})} /> : null}
      </FieldEnvContext.Provider>
      {node.data.nodeType === 'schedule' ? <SchedulePreview params={node.data.params} /> : null}
      <RetryFields node={node} ed={ed} />
    </div>
    </NodeDraftsContext.Provider>
  );
}
