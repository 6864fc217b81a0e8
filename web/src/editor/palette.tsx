/** The palette: node types grouped by category, searchable; drag an item onto the canvas, or click it to add. */
import { useMemo, useState, type DragEvent } from 'react';
import type { NodeTypeInfo } from '../api/types';
import { CATEGORY_ORDER } from './catalogue';

export const DRAG_MIME = 'application/x-hookflow-node';

export function Palette({ types, onAdd, open, onToggle }: { types: readonly NodeTypeInfo[]; onAdd(type: string): void; open: boolean; onToggle(): void }) {
  const [search, setSearch] = useState('');
  const groups = useMemo(() => {
    const s = search.trim().toLowerCase();
    const hit = types.filter((t) => !s || `${t.type} ${t.title} ${t.description}`.toLowerCase().includes(s));
    const cats = [...new Set(hit.map((t) => t.category))].sort((a, b) => rank(a) - rank(b));
    return cats.map((c) => ({ category: c, items: hit.filter((t) => t.category === c) }));
  }, [types, search]);
  const onDragStart = (e: DragEvent, type: string) => {
    e.dataTransfer.setData(DRAG_MIME, type);
    e.dataTransfer.effectAllowed = 'move';
  };
  if (!open) {
    return (
      <aside className="palette palette-closed" aria-label="Node palette">
        <button type="button" className="rail-toggle" aria-expanded={false} onClick={onToggle} data-testid="palette-toggle" title="Show the node palette">
          Nodes
        </button>
      </aside>
    );
  }
  return (
    <aside className="palette" aria-label="Node palette">
      <button type="button" className="btn btn-ghost btn-small rail-close" aria-expanded onClick={onToggle} data-testid="palette-toggle" title="Hide the node palette">
        Hide nodes
      </button>
      <input type="search" placeholder="Search nodes…" aria-label="Search nodes" value={search} onChange={(e) => setSearch(e.target.value)} />
      {groups.length === 0 ? <p className="muted small">No node type matches.</p> : null}
      {groups.map((g) => (
        <section key={g.category}>
          <h3 className="palette-cat">{g.category}</h3>
          {g.items.map((t) => (
            <button type="button" key={t.type} className={`palette-item cat-${t.category}`} draggable data-testid={`palette-item-${t.type}`}
              onDragStart={(e) => onDragStart(e, t.type)} onClick={() => onAdd(t.type)} title={`Add ${t.title} (or drag it onto the canvas)`}>
              <strong>{t.title}</strong>
              <span className="small muted">{t.description}</span>
            </button>
          ))}
        </section>
      ))}
    </aside>
  );
}

const rank = (c: string) => { const i = CATEGORY_ORDER.indexOf(c); return i < 0 ? 99 : i; };
