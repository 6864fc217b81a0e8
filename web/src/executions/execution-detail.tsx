/** `/executions/:id`: the trigger, every step with its attempts, and replay / resume / cancel. */
import { useCallback, useEffect, useState } from 'react';
import { api, type ApiError } from '../api/client';
import type { AttemptRecord, ExecutionDetail, StepRecord } from '../api/types';
import { Link, useRouter } from '../router';
import { ErrorBox, JsonView, Loading, PageHeader, StatusBadge, formatDuration, formatMs, formatTime, plural, sentence } from '../ui';
import { AnswerCard } from './answer-card';
import { ShadowRun } from './shadow-run';
import { ExecutionCanvas } from './execution-canvas';
import { baseOf, countItems, countsNote, isItemStep } from '../editor/item-steps';

const FINISHED = ['succeeded', 'failed', 'canceled', 'rejected'];

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

/** Node names of the flow version a run used, for its steps (ids where a node has no name). */
function useNodeNames(flowId: string | undefined, version: number | undefined) {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [flowName, setFlowName] = useState<string | null>(null);
  useEffect(() => {
    if (!flowId || !version) return;
    void api.getFlowVersion(flowId, version).then((r) => {
      if (!r.ok) return;
      setFlowName(r.value.name);
      setNames(new Map(r.value.nodes.filter((n) => n.name).map((n) => [n.id, n.name as string])));
    });
  }, [flowId, version]);
  return { names, flowName };
}

export function ExecutionDetailPage({ executionId }: { executionId: string }) {
  const { navigate } = useRouter();
  const { x, error, setError, load } = useExecution(executionId);
  const { names, flowName } = useNodeNames(x?.flowId, x?.flowVersion);

  const act = async (what: 'replay' | 'resume' | 'cancel') => {
    const r = what === 'cancel' ? await api.cancel(executionId) : await api.replay(executionId, what === 'resume' ? 'resume' : undefined);
    if (!r.ok) { setError(r); return; }
    setError(null);
    if (what === 'replay') navigate(`/executions/${r.value.executionId}`); else await load();
  };

  if (!x) return error ? <div className="page"><ErrorBox error={error} /></div> : <Loading what="execution" />;
  return (
    <div className="page">
      <PageHeader title={flowName ? `Run of ${flowName}` : 'Execution'} subtitle={x.id}>
        <button type="button" className="btn" data-testid="replay-execution" onClick={() => void act('replay')}>Replay</button>
        <button type="button" className="btn" data-testid="resume-execution" disabled={!['failed', 'canceled'].includes(x.status)} onClick={() => void act('resume')}>Resume</button>
        <button type="button" className="btn btn-danger" data-testid="cancel-execution" disabled={FINISHED.includes(x.status)} onClick={() => void act('cancel')}>Cancel</button>
      </PageHeader>
      <ErrorBox error={error} />
      <Facts x={x} />
      {FINISHED.includes(x.status) ? <ShadowRun key={x.id} x={x} /> : null}
      {x.error ? <div className="state state-error">{sentence(x.error.message)} <code className="err-code">{x.error.code}</code></div> : null}
      <AnswerCard x={x} />
      <ExecutionCanvas x={x} />
      <h2>Steps</h2>
      {x.steps.length === 0 ? <p className="muted">No step has run yet.</p>
        : groupSteps(x.steps).map((g) => (g.items
          ? <ItemSteps key={g.nodeId} nodeId={g.nodeId} name={names.get(g.nodeId)} steps={g.items} attempts={x.attempts} />
          : <StepCard key={g.nodeId} s={g.step} name={names.get(g.nodeId)} attempts={x.attempts.filter((a) => a.nodeId === g.nodeId)} />))}
      <h2>Trigger</h2>
      <JsonView value={x.trigger} label="Trigger" />
    </div>
  );
}

/** Steps in order, the item steps of one node (`inv@0`, `inv@1`, …) together where the first of them ran. */
function groupSteps(steps: readonly StepRecord[]): Array<{ nodeId: string; step: StepRecord; items?: StepRecord[] }> {
  const out: Array<{ nodeId: string; step: StepRecord; items?: StepRecord[] }> = [];
  const byBase = new Map<string, StepRecord[]>();
  for (const s of steps) {
    if (!isItemStep(s.nodeId)) { out.push({ nodeId: s.nodeId, step: s }); continue; }
    const b = baseOf(s.nodeId);
    const list = byBase.get(b);
    if (list) { list.push(s); continue; }
    const fresh = [s];
    byBase.set(b, fresh);
    out.push({ nodeId: b, step: s, items: fresh });
  }
  for (const g of out) g.items?.sort((a, b) => Number(a.nodeId.slice(a.nodeId.indexOf('@') + 1)) - Number(b.nodeId.slice(b.nodeId.indexOf('@') + 1)));
  return out;
}

/** A node that ran once per item: its counts, then each item's step with its own attempts. */
function ItemSteps({ nodeId, name, steps, attempts }: { nodeId: string; name?: string; steps: StepRecord[]; attempts: AttemptRecord[] }) {
  const c = countItems(steps);
  return (
    <details className="card step" data-testid={`step-${nodeId}`} open={c.failed > 0}>
      <summary><StatusBadge status={c.pending ? 'running' : c.failed ? 'failed' : 'succeeded'} /> <strong>{name ?? nodeId}</strong>{name ? <code className="muted small"> {nodeId}</code> : null}
        <span className="muted small"> · per item: </span><span data-testid={`item-counts-${nodeId}`}>{countsNote(c)}</span></summary>
      {steps.map((s) => <StepCard key={s.nodeId} s={s} name={`item ${s.nodeId.slice(s.nodeId.indexOf('@') + 1)}`} attempts={attempts.filter((a) => a.nodeId === s.nodeId)} />)}
    </details>
  );
}

function StepCard({ s, name, attempts }: { s: StepRecord; name?: string; attempts: AttemptRecord[] }) {
  const took = s.finishedAt && s.startedAt ? ` · ${formatMs(s.finishedAt - s.startedAt)}` : '';
  return (
    <details className="card step" data-testid={`step-${s.nodeId}`} open={s.status === 'failed'}>
      <summary><StatusBadge status={s.status} /> <strong>{name ?? s.nodeId}</strong>{name ? <code className="muted small"> {s.nodeId}</code> : null}{s.port ? <span className="muted small"> → {s.port}</span> : null}<span className="muted small"> · {plural(s.attempts, 'attempt')}{took}</span></summary>
      {s.reason && s.status === 'skipped' ? <div className="state small" data-testid={`step-reason-${s.nodeId}`}>{s.reason}</div> : null}
      {s.error ? <div className="state state-error">{sentence(s.error.message)} <code className="err-code">{s.error.code}</code></div> : null}
      <h4>Output</h4><JsonView value={s.output} />
      <h4>Attempts</h4>
      <ol className="attempts">{attempts.map((a) => (
        <li key={a.attempt}><StatusBadge status={a.status} /> #{a.attempt} · {formatTime(a.startedAt)} · {formatMs(a.endedAt - a.startedAt)}{a.errorCode ? ` · ${a.errorMessage ?? ''} (${a.errorCode})` : ''}</li>))}</ol>
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
      {x.parent ? (
        <div data-testid="execution-parent"><span className="muted">{x.mode === 'error' ? 'Error flow of' : 'Called by'}</span>
          <Link to={`/executions/${x.parent.executionId}`}>{x.parent.executionId}</Link>{x.parent.nodeId ? <span className="muted small"> · node {x.parent.nodeId}</span> : null}</div>
      ) : null}
      {x.children?.length ? (
        <div data-testid="execution-children"><span className="muted">Started</span>
          <ul className="plain">{x.children.map((c) => (
            <li key={c.id}><StatusBadge status={c.status} /> <Link to={`/executions/${c.id}`}>{c.id}</Link>
              <span className="muted small"> · {c.mode === 'error' ? 'error flow' : 'call'}{c.nodeId ? ` from ${c.nodeId}` : ''}</span></li>))}</ul>
        </div>
      ) : null}
    </div>
  );
}
