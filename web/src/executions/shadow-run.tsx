/** The execution page's shadow run: replay this event on the flow's latest saved version with side effects stubbed, and show the diff per node. */
import { useEffect, useState } from 'react';
import { api, request, type ApiError } from '../api/client';
import type { ExecutionDetail } from '../api/types';
import { Link } from '../router';
import { ErrorBox, StatusBadge } from '../ui';
import { ABSENT, diffRows, diffSummary, stepsOf, type NodeDiffRow, type ShadowAnswer } from './shadow-diff';
import './shadow-run.css';

type Outcome = { answer: ShadowAnswer; rows: NodeDiffRow[] };

const KIND_LABEL: Record<NodeDiffRow['kind'], string> = {
  same: 'same', changed: 'changed', 'only-old': 'only in the recorded run', 'only-new': 'only in the shadow run',
};

/** The flow's latest saved version: the only "draft" the server can run (unsaved editor changes live in the browser). */
function useLatestVersion(flowId: string) {
  const [version, setVersion] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    void api.getFlow(flowId).then((r) => { if (r.ok) setVersion(r.value.version); else setError(r); });
  }, [flowId]);
  return { version, error };
}

export function ShadowRun({ x }: { x: ExecutionDetail }) {
  const latest = useLatestVersion(x.flowId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const run = async () => {
    if (latest.version === null) return;
    setBusy(true); setError(null);
    const r = await request<ShadowAnswer>('POST', `/executions/${encodeURIComponent(x.id)}/replay`, { mode: 'shadow', flowVersion: latest.version });
    if (!r.ok) { setBusy(false); setError(r); return; }
    const shadow = await api.getExecution(r.value.executionId);
    setBusy(false);
    if (!shadow.ok) setError(shadow);
    setOutcome({ answer: r.value, rows: diffRows(r.value, x.steps, stepsOf(shadow.ok ? shadow.value : null)) });
  };

  const v = latest.version;
  return (
    <section className="card shadow-run" aria-labelledby="shadow-run-title">
      <div className="shadow-run-head">
        <h2 id="shadow-run-title">Shadow run</h2>
        <button type="button" className="btn" data-testid="shadow-run" disabled={v === null || busy} onClick={() => void run()}>
          {busy ? 'Running…' : v === null ? 'Shadow-run' : `Shadow-run against the latest saved version (v${v})`}
        </button>
      </div>
      <p className="small muted">
        Runs this execution's request again on the flow as last saved{v !== null ? ` (v${v}; this run used v${x.flowVersion})` : ''} and
        compares every node's output. Side-effecting nodes (such as email, HTTP and inventory) are not executed: they reuse what this run recorded.
        Unsaved changes in the editor are not included: save the flow first.
      </p>
      {latest.error ? <ErrorBox error={latest.error.status === 404 ? 'The flow of this execution was deleted: there is nothing to shadow-run against.' : latest.error} /> : null}
      <ErrorBox error={error} />
      {outcome ? <ShadowDiff outcome={outcome} /> : null}
    </section>
  );
}

function ShadowDiff({ outcome: { answer, rows } }: { outcome: Outcome }) {
  const final = ['succeeded', 'failed', 'canceled', 'rejected'].includes(answer.status);
  return (
    <div className="shadow-diff" data-testid="shadow-diff">
      <div className="row">
        <span>v{answer.recordedVersion} → v{answer.flowVersion}</span>
        <StatusBadge status={answer.status} />
        <Link to={`/executions/${answer.executionId}`}>Open the shadow run</Link>
        <span className="muted small" data-testid="shadow-summary">{diffSummary(rows)}</span>
      </div>
      {final ? null : <p className="state state-error">The shadow run had not finished when the diff was taken ({answer.status}); nodes after that point are missing.</p>}
      {rows.map((r) => <NodeRow key={r.nodeId} r={r} />)}
    </div>
  );
}

function NodeRow({ r }: { r: NodeDiffRow }) {
  return (
    <div className={`diff-node diff-${r.kind}`} data-testid={`shadow-diff-node-${r.nodeId}`}>
      <div className="diff-node-head">
        <code>{r.nodeId}</code>
        <span className={`diff-kind diff-kind-${r.kind}`}>{KIND_LABEL[r.kind]}</span>
        <span className="muted small">{r.status}{r.port ? ` · port ${r.port}` : ''}</span>
        {r.stubbed ? <span className="diff-stub" title="Side-effecting node: in a shadow run it reuses the recorded result">not executed (shadow)</span> : null}
      </div>
      {r.changes.length ? (
        <table className="diff-table">
          <thead><tr><th scope="col">path</th><th scope="col">recorded</th><th scope="col">shadow</th></tr></thead>
          <tbody>{r.changes.map((c) => (
            <tr key={c.path}><td><code>{c.path}</code></td><td className={c.before === ABSENT ? 'diff-absent' : 'diff-old'}><code>{c.before}</code></td><td className={c.after === ABSENT ? 'diff-absent' : 'diff-new'}><code>{c.after}</code></td></tr>
          ))}</tbody>
        </table>
      ) : null}
      {r.capped ? <p className="small muted">Only the first 50 differences are listed.</p> : null}
    </div>
  );
}
