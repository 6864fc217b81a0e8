/** `/executions/:id`: the trigger, every step with its attempts, and replay / resume / cancel. */
import { useCallback, useEffect, useState } from 'react';
import { api, type ApiError } from '../api/client';
import type { AttemptRecord, ExecutionDetail, StepRecord } from '../api/types';
import { Link, useRouter } from '../router';
import { ErrorBox, JsonView, Loading, PageHeader, StatusBadge, formatDuration, formatTime } from '../ui';
import { ShadowRun } from './shadow-run';
import { ExecutionCanvas } from './execution-canvas';

const FINISHED = ['succeeded', 'failed', 'canceled'];

/** The `status` of a snapshot event's JSON, or ''. */
function statusOf(data: string): string {
  try {
    const v: unknown = JSON.parse(data);
    return typeof v === 'object' && v !== null && 'status' in v && typeof v.status === 'string' ? v.status : '';
  } catch {
    return '';
  }
}

const LIVE_EVENTS = ['snapshot', 'step.started', 'step.finished', 'step.skipped', 'execution.waiting', 'execution.finished'];

/** The execution, kept current over server-sent events until it finishes (polled if the stream fails). */
function useExecution(executionId: string) {
  const [x, setX] = useState<ExecutionDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [live, setLive] = useState(true);
  const load = useCallback(async () => {
    const r = await api.getExecution(executionId);
    if (r.ok) setX(r.value); else setError(r);
  }, [executionId]);
  useEffect(() => {
    void load();
    const es = new EventSource(`/api/executions/${encodeURIComponent(executionId)}/events`);
    const onEvent = (e: MessageEvent<string>) => {
      if (e.type === 'execution.finished' || (e.type === 'snapshot' && FINISHED.includes(statusOf(e.data)))) es.close();
      void load();
    };
    for (const t of LIVE_EVENTS) es.addEventListener(t, onEvent);
    es.onerror = () => { if (es.readyState !== EventSource.CLOSED) { es.close(); setLive(false); } };
    return () => es.close();
  }, [executionId, load]);
  useEffect(() => {
    if (live || !x || FINISHED.includes(x.status)) return;
    const t = setTimeout(() => void load(), 1000);
    return () => clearTimeout(t);
  }, [live, x, load]);
  return { x, error, setError, load, live };
}

export function ExecutionDetailPage({ executionId }: { executionId: string }) {
  const { navigate } = useRouter();
  const { x, error, setError, load } = useExecution(executionId);

  const act = async (what: 'replay' | 'resume' | 'cancel') => {
    const r = what === 'cancel' ? await api.cancel(executionId) : await api.replay(executionId, what === 'resume' ? 'resume' : undefined);
    if (!r.ok) { setError(r); return; }
    setError(null);
    if (what === 'replay') navigate(`/executions/${r.value.executionId}`); else await load();
  };

  if (!x) return error ? <div className="page"><ErrorBox error={error} /></div> : <Loading what="execution" />;
  return (
    <div className="page">
      <PageHeader title={`Execution ${x.id}`}>
        <button type="button" className="btn" data-testid="replay-execution" onClick={() => void act('replay')}>Replay</button>
        <button type="button" className="btn" data-testid="resume-execution" disabled={!['failed', 'canceled'].includes(x.status)} onClick={() => void act('resume')}>Resume</button>
        <button type="button" className="btn btn-danger" data-testid="cancel-execution" disabled={FINISHED.includes(x.status)} onClick={() => void act('cancel')}>Cancel</button>
      </PageHeader>
      <ErrorBox error={error} />
      <Facts x={x} />
      {FINISHED.includes(x.status) ? <ShadowRun key={x.id} x={x} /> : null}
      {x.error ? <div className="state state-error">{x.error.code}: {x.error.message}</div> : null}
      <ExecutionCanvas x={x} />
      <h2>Steps</h2>
      {x.steps.length === 0 ? <p className="muted">No step has run yet.</p>
        : x.steps.map((s) => <StepCard key={s.nodeId} s={s} attempts={x.attempts.filter((a) => a.nodeId === s.nodeId)} />)}
      <h2>Trigger</h2>
      <JsonView value={x.trigger} label="Trigger" />
    </div>
  );
}

function StepCard({ s, attempts }: { s: StepRecord; attempts: AttemptRecord[] }) {
  return (
    <details className="card step" data-testid={`step-${s.nodeId}`} open={s.status === 'failed'}>
      <summary><StatusBadge status={s.status} /> <code>{s.nodeId}</code>{s.port ? <span className="muted small"> → {s.port}</span> : null}<span className="muted small"> · {s.attempts} attempt(s)</span></summary>
      {s.error ? <div className="state state-error">{s.error.code}: {s.error.message}</div> : null}
      <h4>Output</h4><JsonView value={s.output} />
      <h4>Attempts</h4>
      <ol className="attempts">{attempts.map((a) => (
        <li key={a.attempt}><StatusBadge status={a.status} /> #{a.attempt} · {formatTime(a.startedAt)} · {a.endedAt - a.startedAt} ms{a.errorCode ? ` · ${a.errorCode}: ${a.errorMessage ?? ''}` : ''}</li>))}</ol>
    </details>
  );
}

function Facts({ x }: { x: ExecutionDetail }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => { void api.getFlow(x.flowId).then((r) => setName(r.ok ? r.value.name : null)); }, [x.flowId]);
  return (
    <div className="card facts">
      <div><span className="muted">Status</span><StatusBadge status={x.status} testId="execution-status" /></div>
      <div><span className="muted">Flow</span><Link to={`/flows/${x.flowId}`}>{name ?? x.flowId}</Link> v{x.flowVersion}</div>
      <div><span className="muted">Duration</span>{formatDuration(x)}</div>
      <div><span className="muted">Mode</span>{x.mode}</div>
      <div><span className="muted">Created</span>{formatTime(x.createdAt)}</div>
      {x.replayOf ? <div><span className="muted">Replay of</span><Link to={`/executions/${x.replayOf}`}>{x.replayOf}</Link></div> : null}
    </div>
  );
}
