/** `/inventory`: stock by SKU, set a quantity, and each SKU's movements. */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, type ApiError } from '../api/client';
import type { Movement, StockItem } from '../api/types';
import { Link } from '../router';
import { Empty, ErrorBox, Loading, PageHeader, formatTime } from '../ui';

export function InventoryPage() {
  const [items, setItems] = useState<StockItem[] | null>(null);
  const [search, setSearch] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [form, setForm] = useState({ sku: '', name: '', quantity: '0' });
  const [open, setOpen] = useState<{ sku: string; moves: Movement[] } | null>(null);
  const load = useCallback(async () => {
    const r = await api.listInventory(search || undefined);
    if (r.ok) setItems(r.value.items); else setError(r);
  }, [search]);
  useEffect(() => { void load(); }, [load]);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const r = await api.setStock(form.sku.trim(), { name: form.name || undefined, quantity: Number(form.quantity) });
    if (r.ok) { setError(null); setForm({ sku: '', name: '', quantity: '0' }); await load(); } else setError(r);
  };
  const showMoves = async (sku: string) => {
    const r = await api.movements(sku);
    if (r.ok) setOpen({ sku, moves: r.value.items }); else setError(r);
  };
  return (
    <div className="page">
      <PageHeader title="Inventory"><input type="search" placeholder="Search SKU or name" aria-label="Search inventory" value={search} onChange={(e) => setSearch(e.target.value)} /></PageHeader>
      <form className="toolbar card" onSubmit={save}>
        <label className="field inline"><span>SKU</span><input required value={form.sku} onChange={(e) => setForm({ ...form, sku: e.target.value })} /></label>
        <label className="field inline"><span>Name</span><input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} /></label>
        <label className="field inline"><span>Quantity</span><input type="number" required value={form.quantity} onChange={(e) => setForm({ ...form, quantity: e.target.value })} /></label>
        <button type="submit" className="btn btn-primary">Set stock</button>
      </form>
      <ErrorBox error={error} />
      {items === null ? <Loading what="inventory" /> : <StockTable items={items} onEdit={(i) => setForm({ sku: i.sku, name: i.name, quantity: String(i.quantity) })} onMoves={(sku) => void showMoves(sku)} />}
      {open ? <Movements sku={open.sku} moves={open.moves} /> : null}
    </div>
  );
}

function Movements({ sku, moves }: { sku: string; moves: Movement[] }) {
  return (
    <section className="card pad">
      <h2>Movements of <code>{sku}</code></h2>
      {moves.length === 0 ? <p className="muted">None.</p> : (
        <table className="table"><thead><tr><th>When</th><th>Change</th><th>Before → after</th><th>Execution</th></tr></thead>
          <tbody>{moves.map((m) => <tr key={m.id}><td className="muted">{formatTime(m.createdAt)}</td><td>{m.delta > 0 ? `+${m.delta}` : m.delta}</td>
            <td>{m.before} → {m.after}</td><td>{m.executionId ? <Link to={`/executions/${m.executionId}`}>{m.executionId}</Link> : <span className="muted">manual</span>}</td></tr>)}</tbody></table>)}
    </section>
  );
}

function StockTable({ items, onEdit, onMoves }: { items: StockItem[]; onEdit(i: StockItem): void; onMoves(sku: string): void }) {
  return items.length === 0 ? <Empty title="No stock items">Add one above, or let an inventory node create them.</Empty> : (
    <table className="table card">
      <thead><tr><th>SKU</th><th>Name</th><th>Quantity</th><th>Updated</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
      <tbody>{items.map((i) => (
        <tr key={i.sku}><td><code>{i.sku}</code></td><td>{i.name}</td><td className={i.quantity < 0 ? 'neg' : ''}>{i.quantity}</td>
          <td className="muted">{formatTime(i.updatedAt)}</td>
          <td className="actions"><button type="button" className="btn btn-small" onClick={() => onEdit(i)}>Edit</button>
            <button type="button" className="btn btn-small" onClick={() => onMoves(i.sku)}>Movements</button></td></tr>))}</tbody>
    </table>);
}
