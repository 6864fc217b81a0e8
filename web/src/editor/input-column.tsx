/** The node details view's input: the last test run's input or a pinned sample kept with the node (editable as JSON). */
import { useEffect, useState } from 'react';
import { inputOf, type EditorNode } from './flow-doc';
import type { FlowEditor } from './use-flow-editor';
import { DataView } from './data-view';

export type InputSource = 'run' | 'pinned';

/** What the node received in the last test run (the request itself for the trigger), if it got that far. */
export function runInputOf(ed: FlowEditor, node: EditorNode): unknown {
  const run = ed.lastRun;
  if (!run) return undefined;
  if (node.data.nodeType === 'webhook') return run.trigger;
  const reached = run.steps.some((s) => s.nodeId === node.id) || ed.edges.some((e) => e.target === node.id && run.steps.some((s) => s.nodeId === e.source && s.status === 'succeeded'));
  return reached ? inputOf(node.id, ed.edges, run.steps) : undefined;
}

/** Why a sample's text is not JSON, or null. */
const sampleError = (t: string): string | null => { try { JSON.parse(t); return null; } catch (e) { return `Not valid JSON: ${(e as Error).message}`; } };

/**
 * Edits the pinned sample; "Keep this sample" or Cancel ends it. While its text is not JSON, the editor will not
 * save the flow (Ctrl/Cmd+S still reaches it here): the sample is named as the field to fix.
 */
function SampleEditor({ ed, nodeId, initial, onSave, onCancel }: { ed: FlowEditor; nodeId: string; initial: unknown; onSave(v: unknown): void; onCancel(): void }) {
  const [text, setText] = useState(() => (initial === undefined ? '{\n  "body": {}\n}' : JSON.stringify(initial, null, 2)));
  const [bad, setBad] = useState<string | null>(null);
  const { report } = ed.drafts;
  useEffect(() => () => report(nodeId, 'pinnedInput', 'Sample input', '', null), [report, nodeId]);
  const save = () => { try { onSave(JSON.parse(text)); } catch (e) { setBad(`Not valid JSON: ${(e as Error).message}`); } };
  /** A refused flow save points here: its reason shows under the box (the editor's own banner is behind this view). */
  const refused = ed.drafts.isRefused(nodeId, 'pinnedInput');
  const shown = bad ?? (refused ? sampleError(text) : null);
  const change = (t: string) => { setText(t); report(nodeId, 'pinnedInput', 'Sample input', t, sampleError(t)); };
  return (
    <div className="sample-editor">
      <textarea className="code" rows={14} aria-label="Sample input (JSON)" data-testid="sample-input" value={text} spellCheck={false} onChange={(e) => change(e.target.value)} />
      {shown ? <span className="field-error" role="alert" data-testid="sample-error">{refused ? `Not saved: ${shown}` : shown}</span> : null}
      <div className="row"><button type="button" className="btn btn-small btn-primary" onClick={save} data-testid="save-sample">Keep this sample</button>
        <button type="button" className="btn btn-small" onClick={onCancel}>Cancel</button></div>
    </div>
  );
}

export function InputColumn({ ed, node, source, setSource, input }: { ed: FlowEditor; node: EditorNode; source: InputSource; setSource(s: InputSource): void; input: unknown }) {
  const [editing, setEditing] = useState(false);
  const fromRun = runInputOf(ed, node);
  const pinned = node.data.pinnedInput;
  const keep = (v: unknown) => { ed.updateNode(node.id, { pinnedInput: v }); setSource('pinned'); setEditing(false); };
  return (
    <section className="ndv-col" aria-labelledby="ndv-input">
      <div className="ndv-col-head">
        <h3 id="ndv-input">Input</h3>
        <select aria-label="Input from" value={source} onChange={(e) => setSource(e.target.value as InputSource)}>
          <option value="run">the last test run</option>
          <option value="pinned">the pinned sample{pinned === undefined ? ' (none yet)' : ''}</option>
        </select>
      </div>
      <div className="row ndv-actions">
        {source === 'run' && fromRun !== undefined ? <button type="button" className="btn btn-small" onClick={() => keep(fromRun)} data-testid="pin-input">Pin this input</button> : null}
        <button type="button" className="btn btn-small" onClick={() => setEditing(true)} data-testid="edit-sample">{pinned === undefined ? 'Write a sample' : 'Edit the sample'}</button>
        {pinned !== undefined ? <button type="button" className="btn btn-small" onClick={() => { ed.updateNode(node.id, { pinnedInput: undefined }); setSource('run'); }}>Remove the sample</button> : null}
      </div>
      {editing ? <SampleEditor ed={ed} nodeId={node.id} initial={pinned ?? fromRun} onSave={keep} onCancel={() => setEditing(false)} />
        : input === undefined ? (
          <p className="muted small">{source === 'pinned' ? 'No sample pinned yet: write one, or pin the input of a test run.' : 'No test run reached this node yet: send a test event, or write a sample.'}</p>
        ) : <DataView value={input} root="input" label="Input" testId="ndv-input" />}
      {input !== undefined && !editing ? <p className="small muted">Drag a field into a parameter to use it as <code>{'{{ input.… }}'}</code>.</p> : null}
    </section>
  );
}
