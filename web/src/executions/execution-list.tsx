/** `/executions`: every run, filtered by flow, status and time, a page at a time. */
import { useEffect, useState } from 'react';
import { api, type ApiError } from '../api/client';
import type { ExecutionListItem, Flow } from '../api/types';
import { Link, useRouter } from '../router';
import { Empty, ErrorBox, Loading, PageHeader, StatusBadge, formatDuration, formatTime, formatWhen } from '../ui';
import { answeredStatus, triggerSummary } from './format';
import { WINDOWS, timeBounds, type TimeFilter } from './time-filter';

const STATUSES = ['queued', 'running', 'waiting', 'succeeded', 'failed', 'canceled', 'rejected'];
const PAGE = 25;
export function ExecutionListPage() {
  const { search } = useRouter();
  const [flowId, setFlowId] = useState(() => new URLSearchParams(search).get('flowId') ?? '');
  const [status, setStatus] = useState('');
  const [time, setTime] = useState<TimeFilter & { at: number }>({ window: '', from: '', to: '', at: Date.now() });
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<{ items: ExecutionListItem[]; total: number; nextCursor: string | null } | null>(null);
  const [flows, setFlows] = useState<Flow[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => { void api.listFlows().then((r) => { if (r.ok) setFlows(r.value.items); }); }, []);
  useEffect(() => {
    setPage(null);
    void api.listExecutions({ flowId: flowId || undefined, status: status || undefined, ...timeBounds(time, time.at), limit: PAGE, cursor }).then((r) => {
      if (r.ok) { setPage(r.value); setError(null); } else setError(r);
    });
  }, [flowId, status, time, cursor]);
  const names = new Map(flows.map((f) => [f.id, f.name]));
  const refilter = (f: () => void) => { f(); setCursors([undefined]); };

  return (
    <div className="page">
      <PageHeader title="Executions" />
      <Filters flows={flows} flowId={flowId} status={status} time={time} total={page?.total}
        onFlow={(v) => refilter(() => setFlowId(v))} onStatus={(v) => refilter(() => setStatus(v))}
        onTime={(v) => refilter(() => setTime({ ...v, at: Date.now() }))} />
      <ErrorBox error={error} />
      {page === null ? <Loading what="executions" /> : page.items.length === 0 ? (
        <Empty title="No executions">{flowId || status || time.window ? 'None match these filters.'
          : 'Runs appear here when a webhook arrives or you send a test event from the editor.'}</Empty>
      ) : (
        <ExecutionTable items={page.items} names={names} />
      )}
      <div className="pager">
        <button type="button" className="btn" disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>Previous</button>
        <button type="button" className="btn" disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors((c) => [...c, page.nextCursor ?? undefined])}>Next</button>
      </div>
    </div>
  );
}

function ExecutionTable({ items, names }: { items: ExecutionListItem[]; names: Map<string, string> }) {
  return (
    <table className="table card exec-table" data-testid="executions-list">
      <thead><tr><th>Flow</th><th>When</th><th>Trigger</th><th>Status</th><th>Duration</th></tr></thead>
      <tbody>{items.map((x) => {
        const http = answeredStatus(x);
        return (
          <tr key={x.id} data-testid={`execution-row-${x.id}`}>
            <td><Link to={`/executions/${x.id}`} className="strong">{names.get(x.flowId) ?? x.flowId}</Link>
              <div className="small muted"><span className="mono">{x.id}</span> · v{x.flowVersion}</div></td>
            <td title={formatTime(x.createdAt)}>{formatWhen(x.createdAt)}</td>
            <td className="trigger-cell"><span className="mono small" title={x.trigger?.bodyPreview}>{triggerSummary(x)}</span></td>
            <td><StatusBadge status={x.status} />{http ? <span className="http-status" title="HTTP status the caller received"> → {http}</span> : null}</td>
            <td className="muted">{formatDuration(x)}</td>
          </tr>);
      })}</tbody>
    </table>
  );
}

interface FilterProps {
  flows: Flow[]; flowId: string; status: string; time: TimeFilter; total?: number;
  onFlow(v: string): void; onStatus(v: string): void; onTime(v: TimeFilter): void;
}

function Filters({ flows, flowId, status, time, total, onFlow, onStatus, onTime }: FilterProps) {
  return (
    <div className="toolbar card">
      <label className="field inline"><span>Flow</span>
        <select value={flowId} onChange={(e) => onFlow(e.target.value)}>
          <option value="">All flows</option>{flows.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
        </select></label>
      <label className="field inline"><span>Status</span>
        <select value={status} onChange={(e) => onStatus(e.target.value)}>
          <option value="">Any status</option>{STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select></label>
      <label className="field inline"><span>Time</span>
        <select value={time.window} onChange={(e) => onTime({ ...time, window: e.target.value })} data-testid="time-filter">
          {WINDOWS.map((w) => <option key={w.value} value={w.value}>{w.label}</option>)}
        </select></label>
      {time.window === 'custom' ? (<>
        <label className="field inline"><span>From</span>
          <input type="datetime-local" value={time.from} onChange={(e) => onTime({ ...time, from: e.target.value })} /></label>
        <label className="field inline"><span>To</span>
          <input type="datetime-local" value={time.to} onChange={(e) => onTime({ ...time, to: e.target.value })} /></label>
      </>) : null}
      {total !== undefined ? <span className="muted small">{total} in all</span> : null}
    </div>
  );
}
