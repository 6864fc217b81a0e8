/** `/`: the flow list: create, open, rename, activate, copy the webhook URL, import/export JSON, delete with confirmation. */
import { useCallback, useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { api, type ApiError, type Result } from '../api/client';
import type { Execution, Flow, FlowInput } from '../api/types';
import { Link, useRouter } from '../router';
import { publishState } from '../editor/version-diff';
import { CopyButton } from '../shell/copy-button';
import { Empty, ErrorBox, Loading, PageHeader, StatusBadge, formatTime, formatWhen } from '../ui';

interface RunInfo { last?: Execution; total: number }

/** The newest run and the run count of each flow (one small request per flow). */
async function runInfo(flows: readonly Flow[]): Promise<Map<string, RunInfo>> {
  const pairs = await Promise.all(flows.map(async (f) => {
    const r = await api.listExecutions({ flowId: f.id, limit: 1 });
    return [f.id, r.ok ? { last: r.value.items[0], total: r.value.total } : { total: 0 }] as const;
  }));
  return new Map(pairs);
}

const starter = (name: string): FlowInput => ({
  name, nodes: [{ id: 'hook', type: 'webhook', position: { x: 60, y: 120 }, params: { methods: ['POST'] } }], edges: [],
});

function download(name: string, data: unknown) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name.replace(/[^A-Za-z0-9_-]+/g, '-') || 'flow'}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Parse an exported flow file into what POST /api/flows takes. */
function importable(text: string): FlowInput | string {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || !('nodes' in v) || !Array.isArray(v.nodes) || !('edges' in v) || !Array.isArray(v.edges))
      return 'The file is not a Hookflow flow (it needs "nodes" and "edges").';
    const name = 'name' in v && typeof v.name === 'string' ? v.name : 'Imported flow';
    const notes = 'notes' in v && Array.isArray(v.notes) ? { notes: v.notes } : {};
    // Imported inactive: it may name credentials that do not exist here; those nodes come back flagged to fix in place.
    return { name, nodes: v.nodes, edges: v.edges, active: false, ...notes };
  } catch {
    return 'The file is not valid JSON.';
  }
}

/** The list's data and the actions on it; every failure lands in `error`. */
function useFlowList() {
  const [flows, setFlows] = useState<Flow[] | null>(null);
  const [error, setError] = useState<ApiError | string | null>(null);
  const [runs, setRuns] = useState<Map<string, RunInfo>>(new Map());
  const [imported, setImported] = useState<Flow | null>(null);
  const load = useCallback(async () => {
    const r = await api.listFlows();
    if (!r.ok) { setError(r); return; }
    setFlows(r.value.items);
    setRuns(await runInfo(r.value.items));
  }, []);
  useEffect(() => { void load(); }, [load]);
  const reloadOr = async (r: Result<unknown>) => { if (r.ok) { setError(null); await load(); } else setError(r); };
  return {
    flows, runs, error, setError, imported,
    importFile: async (file: File) => {
      const input = importable(await file.text());
      if (typeof input === 'string') { setError(input); return; }
      const r = await api.createFlow(input, true);
      if (r.ok) setImported(r.value);
      await reloadOr(r);
    },
    toggle: async (f: Flow) => reloadOr(f.active ? await api.deactivateFlow(f.id) : await api.activateFlow(f.id)),
    duplicate: async (f: Flow) => reloadOr(await api.createFlow({ name: `${f.name} (copy)`, nodes: f.nodes, edges: f.edges, ...(f.notes ? { notes: f.notes } : {}) }, true)),
    remove: async (f: Flow) => reloadOr(await api.deleteFlow(f.id)),
    // A rename changes no node: a flow whose latest version is live stays fully published.
    rename: async (f: Flow, name: string) => reloadOr(await api.updateFlow(f.id, { name, nodes: f.nodes, edges: f.edges, ...(f.notes ? { notes: f.notes } : {}), version: f.version, publish: f.publishedVersion === f.version })),
  };
}

export function FlowListPage() {
  const { navigate } = useRouter();
  const list = useFlowList();
  const [name, setName] = useState('');
  const [confirm, setConfirm] = useState<string | null>(null);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    const r = await api.createFlow(starter(name.trim() || 'Untitled flow'));
    if (r.ok) navigate(`/flows/${r.value.id}`); else list.setError(r);
  };
  const onImport = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (file) void list.importFile(file);
  };
  const { flows, runs } = list;
  return (
    <div className="page">
      <PageHeader title="Flows">
        <label className="btn">Import JSON<input type="file" accept="application/json,.json" className="visually-hidden" onChange={onImport} /></label>
      </PageHeader>
      <form className="toolbar card" onSubmit={create}>
        <label className="field inline"><span>New flow</span>
          <input placeholder="e.g. Shopify orders" value={name} onChange={(e) => setName(e.target.value)} aria-label="New flow name" /></label>
        <button type="submit" className="btn btn-primary" data-testid="create-flow">Create flow</button>
      </form>
      <ErrorBox error={list.error} />
      {list.imported ? <ImportNotice f={list.imported} /> : null}
      {flows === null ? <Loading what="flows" /> : flows.length === 0 ? (
        <Empty title="No flows yet">Create one above: it starts with a webhook trigger you can build on.</Empty>
      ) : (
        <table className="table card">
          <thead><tr><th>Name</th><th>Active</th><th className="col-url">Webhook URL</th><th>Last run</th><th className="col-runs">Runs</th><th className="col-updated">Updated</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>{flows.map((f) => <FlowRow key={f.id} f={f} run={runs.get(f.id)} confirming={confirm === f.id} onConfirm={setConfirm}
            onToggle={() => void list.toggle(f)} onDuplicate={() => void list.duplicate(f)} onDelete={() => { setConfirm(null); void list.remove(f); }}
            onRename={(n) => list.rename(f, n)} />)}</tbody>
        </table>
      )}
    </div>
  );
}

/** After an import: where the flow is, and what still needs fixing there (credentials missing on this server). */
function ImportNotice({ f }: { f: Flow }) {
  const nodes = new Set((f.flags ?? []).map((p) => p.nodeId)).size;
  return (
    <div className={`state ${nodes ? 'state-warn' : 'state-ok'}`} role="status" data-testid="import-notice">
      Imported <Link to={`/flows/${f.id}`}>{f.name}</Link> as an inactive flow.
      {nodes ? ` ${nodes === 1 ? '1 node names a credential' : `${nodes} nodes name credentials`} that do not exist here: open it to pick or create ${nodes === 1 ? 'it' : 'them'}, then activate.` : ' Open it to check and activate it.'}
    </div>
  );
}

interface RowProps {
  f: Flow; run: RunInfo | undefined; confirming: boolean;
  onConfirm(id: string | null): void; onToggle(): void; onDuplicate(): void; onDelete(): void; onRename(name: string): Promise<void>;
}

/** The flow's name as a link, or (after "Rename") a field: Enter or leaving it saves, Escape cancels. */
function NameCell({ f, onRename }: { f: Flow; onRename(name: string): Promise<void> }) {
  const [draft, setDraft] = useState<string | null>(null);
  const done = useRef(false);
  if (draft === null) return (
    <td><Link to={`/flows/${f.id}`} className="strong">{f.name}</Link>{' '}
      {f.flags?.length ? <span className="badge badge-waiting" title={f.flags.map((p) => p.message).join('\n')}>needs a credential</span> : null}{' '}
      {f.publishedVersion !== f.version ? <span className="badge badge-waiting" data-testid={`flow-draft-${f.id}`} title={publishState(f.publishedVersion, f.version)}>draft v{f.version}</span> : null}{' '}
      <button type="button" className="btn btn-ghost btn-small muted" onClick={() => { done.current = false; setDraft(f.name); }} aria-label={`Rename ${f.name}`}>Rename</button></td>);
  // One outcome per edit: Escape or Enter settles it, so the blur that follows changes nothing.
  const settle = (save: boolean) => {
    if (done.current) return;
    done.current = true;
    const n = draft.trim();
    setDraft(null);
    if (save && n && n !== f.name) void onRename(n);
  };
  return (
    <td><input autoFocus value={draft} maxLength={200} aria-label={`New name for ${f.name}`} data-testid={`rename-${f.id}`}
      onChange={(e) => setDraft(e.target.value)} onBlur={() => settle(true)}
      onKeyDown={(e) => { if (e.key === 'Enter') settle(true); if (e.key === 'Escape') settle(false); }} /></td>);
}

function FlowRow({ f, run, confirming, onConfirm, onToggle, onDuplicate, onDelete, onRename }: RowProps) {
  return (
    <tr data-testid={`flow-row-${f.id}`}>
      <NameCell f={f} onRename={onRename} />
      <td><label className="switch"><input type="checkbox" role="switch" checked={f.active} onChange={onToggle} aria-label={`Active: ${f.name}`} /><span /></label></td>
      <td className="col-url"><div className="url-cell"><code className="truncate" title={f.webhook.url}>{f.webhook.url}</code><CopyButton text={f.webhook.url} label="Copy URL" /></div></td>
      <td className="nowrap">{run?.last ? <><StatusBadge status={run.last.status} /> <span className="small muted" title={formatTime(run.last.createdAt)}>{formatWhen(run.last.createdAt)}</span></>
        : <span className="muted small">never</span>}</td>
      <td className="col-runs"><Link to={`/executions?flowId=${f.id}`}>{run?.total ?? 0}</Link></td>
      <td className="muted col-updated nowrap" title={formatTime(f.updatedAt)}>{formatWhen(Date.parse(f.updatedAt))}</td>
      <td className="actions">
        <button type="button" className="btn btn-small" onClick={onDuplicate}>Duplicate</button>
        <button type="button" className="btn btn-small" onClick={() => download(f.name, { name: f.name, nodes: f.nodes, edges: f.edges, ...(f.notes ? { notes: f.notes } : {}) })}>Export</button>
        {confirming ? (<>
          <button type="button" className="btn btn-small btn-danger" onClick={onDelete}>Confirm delete</button>
          <button type="button" className="btn btn-small" onClick={() => onConfirm(null)}>Cancel</button>
        </>) : <button type="button" className="btn btn-small" onClick={() => onConfirm(f.id)}>Delete</button>}
      </td>
    </tr>
  );
}
