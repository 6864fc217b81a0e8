/** Input or output data as JSON, a table or a schema; long arrays a page at a time; input fields drag into parameters as `{{ path }}`. */
import { useState, type DragEvent } from 'react';
import { PATH_MIME } from './drop-path';
import { cellText, childPath, jsonText, pageOf, PAGE_SIZE, schemaRows, tableOf } from './data-shape';

type Mode = 'json' | 'table' | 'schema';

const startDrag = (e: DragEvent, path: string) => {
  e.dataTransfer.setData(PATH_MIME, path);
  e.dataTransfer.setData('text/plain', `{{ ${path} }}`);
  e.dataTransfer.effectAllowed = 'copy';
};

/** A field name that can be dragged into a parameter (only when the view has a `root` path). */
function Field({ path, children }: { path: string | undefined; children: string }) {
  if (!path) return <span>{children}</span>;
  return <span className="drag-field" draggable onDragStart={(e) => startDrag(e, path)} title={`Drag into a parameter: {{ ${path} }}`} data-path={path}>{children}</span>;
}

function Pager({ page, total, onPage }: { page: number; total: number; onPage(p: number): void }) {
  const pages = Math.ceil(total / PAGE_SIZE);
  const first = page * PAGE_SIZE + 1;
  return (
    <div className="pager-inline" role="group" aria-label="Pages">
      <button type="button" className="btn btn-small" disabled={page === 0} onClick={() => onPage(page - 1)}>Previous</button>
      <span className="small muted" data-testid="page-range">{first}–{Math.min(total, first + PAGE_SIZE - 1)} of {total}</span>
      <button type="button" className="btn btn-small" disabled={page >= pages - 1} onClick={() => onPage(page + 1)}>Next</button>
    </div>
  );
}

function TableView({ items, offset, root }: { items: unknown[]; offset: number; root?: string }) {
  const { columns, rows } = tableOf(items);
  if (!columns.length) return <p className="muted small">Nothing to show as a table.</p>;
  return (
    <div className="data-table-wrap">
      <table className="data-table"><thead><tr><th scope="col">#</th>{columns.map((c) => (
        <th key={c} scope="col"><Field path={root && c !== 'value' ? childPath(`${root}[0]`, c) : undefined}>{c}</Field></th>))}</tr></thead>
        <tbody>{rows.map((r, i) => <tr key={offset + i}><td className="muted">{offset + i}</td>{r.map((v, j) => <td key={columns[j]}>{cellText(v)}</td>)}</tr>)}</tbody>
      </table>
    </div>
  );
}

function ObjectTable({ value, root }: { value: Record<string, unknown>; root?: string }) {
  return (
    <table className="data-table"><tbody>{Object.entries(value).map(([k, v]) => (
      <tr key={k}><th scope="row"><Field path={root ? childPath(root, k) : undefined}>{k}</Field></th><td>{cellText(v, 120)}</td></tr>))}</tbody></table>
  );
}

export function DataView({ value, root, label, testId }: { value: unknown; root?: string; label: string; testId: string }) {
  const [mode, setMode] = useState<Mode>('schema');
  const [page, setPage] = useState(0);
  const paged = pageOf(value, page);
  const shown = paged ? paged.items : value;
  const tab = (m: Mode, text: string) => (
    <button type="button" role="tab" aria-selected={mode === m} className={mode === m ? 'seg active' : 'seg'} onClick={() => setMode(m)}>{text}</button>
  );
  const json = mode === 'json' ? jsonText(shown) : undefined;
  return (
    <div className="data-view" data-testid={testId}>
      <div className="data-view-bar">
        <div className="segmented" role="tablist" aria-label={`${label} view`}>{tab('schema', 'Schema')}{tab('table', 'Table')}{tab('json', 'JSON')}</div>
        {paged && paged.total > PAGE_SIZE ? <Pager page={Math.floor(paged.offset / PAGE_SIZE)} total={paged.total} onPage={setPage} /> : null}
      </div>
      {value === undefined ? <p className="muted small">No data.</p>
        : mode === 'json' && json ? <><pre className="json data-json" aria-label={label} tabIndex={0}>{json.text}</pre>{json.cut ? <p className="small muted">Cut at 200 000 characters.</p> : null}</>
        : mode === 'table' ? (paged ? <TableView items={paged.items} offset={paged.offset} root={root} />
          : typeof value === 'object' && value !== null ? <ObjectTable value={value as Record<string, unknown>} root={root} /> : <p className="small">{cellText(value, 2000)}</p>)
        : <SchemaTree value={value} root={root} />}
    </div>
  );
}

function SchemaTree({ value, root }: { value: unknown; root?: string }) {
  const rows = schemaRows(value, root ?? '$');
  if (!rows.length) return <p className="small"><code>{cellText(value, 2000)}</code></p>;
  return (
    <ul className="schema-tree">{rows.map((r) => (
      <li key={r.path} style={{ paddingLeft: r.depth * 14 }}>
        <Field path={root ? r.path : undefined}>{r.key}</Field> <span className="small muted">{r.kind}</span> {r.sample ? <code className="small">{r.sample}</code> : null}
      </li>))}</ul>
  );
}
