/** The toolbar's publishing: the live/draft state at a glance, Publish with a confirmation of what changed, and the version list with Restore. */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import type { Flow, FlowVersionInfo } from '../api/types';
import { problemsOf } from './flow-doc';
import type { FlowEditor } from './use-flow-editor';
import { diffVersions, isEmptyDiff, publishState, type VersionDiff } from './version-diff';

type Dialog =
  | { kind: 'publish'; version: number; live: number | null; diff: VersionDiff; error?: string }
  | { kind: 'versions'; items: FlowVersionInfo[]; error?: string };

const when = (iso: string): string => new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short', hour12: false });

/** "Live v3 · draft v5, not published": what the webhook runs and what is saved, at a glance. */
export function PublishState({ flow }: { flow: Flow }) {
  const draft = flow.publishedVersion !== flow.version;
  return <span className={`publish-state${draft ? ' is-draft' : ''}`} data-testid="publish-state">{publishState(flow.publishedVersion, flow.version)}</span>;
}

export function PublishControls({ ed, flow }: { ed: FlowEditor; flow: Flow }) {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const upToDate = flow.publishedVersion === flow.version && !ed.dirty;

  /** Saves first (a publish is of what is on screen), then shows what changed against the live version. */
  const openPublish = useCallback(async () => {
    const saved = ed.dirty ? await ed.save() : flow;
    if (!saved) return;
    const live = saved.publishedVersion;
    const before = live === null ? { nodes: [], edges: [] } : await api.getFlowVersion(saved.id, live);
    if ('ok' in before && !before.ok) { ed.setError(before); return; }
    const from = 'ok' in before ? before.value : before;
    setDialog({ kind: 'publish', version: saved.version, live, diff: diffVersions(from, saved) });
  }, [ed, flow]);

  const confirmPublish = useCallback(async (version: number) => {
    const r = await api.publishFlow(flow.id, version);
    if (r.ok) { ed.setFlow(r.value); setDialog(null); ed.setError(null); return; }
    const found = problemsOf(r.details);
    if (found.length) ed.setProblems(found);
    setDialog((d) => (d?.kind === 'publish' ? { ...d, error: r.message } : d));
  }, [ed, flow.id]);

  const openVersions = useCallback(async () => {
    const r = await api.listVersions(flow.id);
    if (r.ok) setDialog({ kind: 'versions', items: r.value.items }); else ed.setError(r);
  }, [ed, flow.id]);

  const restore = useCallback(async (version: number) => {
    if (ed.dirty && !window.confirm('This flow has unsaved changes. Restoring replaces them. Continue?')) return;
    const r = await api.restoreVersion(flow.id, version);
    if (!r.ok) { setDialog((d) => (d?.kind === 'versions' ? { ...d, error: r.message } : d)); return; }
    ed.load(r.value);
    setDialog(null);
  }, [ed, flow.id]);

  return (
    <>
      <button type="button" className="btn btn-small" data-testid="versions-button" onClick={() => void openVersions()}>Versions</button>
      <button type="button" className="btn btn-publish" data-testid="publish-flow" disabled={upToDate}
        title={upToDate ? `v${flow.version} is live` : 'Make the saved flow the one its webhook runs'} onClick={() => void openPublish()}>Publish</button>
      {dialog?.kind === 'publish' ? (
        <Modal title={`Publish v${dialog.version}?`} testId="publish-dialog" onClose={() => setDialog(null)}>
          <p>{dialog.live === null ? 'This flow was never published: its webhook will start running this version.' : `The webhook runs v${dialog.live} now. Changes in v${dialog.version}:`}</p>
          <ChangeList diff={dialog.diff} nodeName={(id) => ed.nodes.find((n) => n.id === id)?.data.name || id} />
          {dialog.error ? <div className="state state-error" role="alert">{dialog.error}</div> : null}
          <div className="modal-actions">
            <button type="button" className="btn" onClick={() => setDialog(null)}>Cancel</button>
            <button type="button" className="btn btn-primary" data-testid="confirm-publish" onClick={() => void confirmPublish(dialog.version)}>Publish v{dialog.version}</button>
          </div>
        </Modal>
      ) : null}
      {dialog?.kind === 'versions' ? (
        <Modal title="Versions" testId="versions-dialog" onClose={() => setDialog(null)}>
          {dialog.error ? <div className="state state-error" role="alert">{dialog.error}</div> : null}
          <ol className="version-list">
            {dialog.items.map((v) => (
              <li key={v.version} data-testid={`version-row-${v.version}`}>
                <strong>v{v.version}</strong>
                {v.published ? <span className="badge badge-succeeded">live</span> : null}
                {v.version === flow.version && !v.published ? <span className="badge badge-waiting">draft</span> : null}
                <span className="muted small">{when(v.savedAt)}{v.savedBy ? ` · ${v.savedBy}` : ''}</span>
                {v.version !== flow.version ? (
                  <button type="button" className="btn btn-small" data-testid={`restore-version-${v.version}`} onClick={() => void restore(v.version)}
                    title="Save this version as a new draft">Restore</button>
                ) : null}
              </li>
            ))}
          </ol>
        </Modal>
      ) : null}
    </>
  );
}

function ChangeList({ diff, nodeName }: { diff: VersionDiff; nodeName(id: string): string }) {
  if (isEmptyDiff(diff)) return <p className="muted" data-testid="publish-changes">No node changed (positions and notes only).</p>;
  const rows: Array<[string, string[]]> = [['Added', diff.added], ['Removed', diff.removed], ['Changed', diff.changed], ['Rewired', diff.rewired]];
  return (
    <ul className="change-list" data-testid="publish-changes">
      {rows.filter(([, ids]) => ids.length > 0).map(([label, ids]) => (
        <li key={label}><strong>{label}:</strong> {ids.map((id) => nodeName(id)).join(', ')}</li>
      ))}
    </ul>
  );
}

/** A small modal: focus moves in, Escape or the backdrop closes it. */
function Modal({ title, testId, onClose, children }: { title: string; testId: string; onClose(): void; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.focus();
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') onClose(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" onClick={(e) => { if (e.target === e.currentTarget) onClose(); }}>
      <div className="modal" role="dialog" aria-modal="true" aria-label={title} data-testid={testId} ref={box} tabIndex={-1}>
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}
