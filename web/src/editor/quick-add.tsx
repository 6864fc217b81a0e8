/** Quick add: a search box on the canvas (press / or double-click empty space); Enter adds the highlighted node type there. */
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { NodeTypeInfo } from '../api/types';

export interface QuickAddAt { left: number; top: number; flow?: { x: number; y: number } }

export function QuickAdd({ at, types, onPick, onClose }: { at: QuickAddAt; types: readonly NodeTypeInfo[]; onPick(type: string): void; onClose(): void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const hits = useMemo(() => {
    const q = query.trim().toLowerCase();
    return types.filter((t) => !q || `${t.type} ${t.title} ${t.description}`.toLowerCase().includes(q));
  }, [types, query]);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') { e.preventDefault(); onClose(); }
    else if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => Math.min(a + 1, hits.length - 1)); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(a - 1, 0)); }
    else if (e.key === 'Enter' && hits[active]) { e.preventDefault(); onPick(hits[active].type); }
  };
  return (
    <div className="quick-add card" style={{ left: at.left, top: at.top }} data-testid="quick-add" onKeyDown={onKey}>
      <input autoFocus role="combobox" aria-label="Add a node: search node types" aria-expanded aria-controls={listId} placeholder="Add a node…"
        aria-activedescendant={hits[active] ? `${listId}-${hits[active].type}` : undefined} value={query}
        onChange={(e) => { setQuery(e.target.value); setActive(0); }} onBlur={(e) => { if (!e.currentTarget.parentElement?.contains(e.relatedTarget)) onClose(); }} />
      <ul id={listId} role="listbox" aria-label="Node types">
        {hits.length === 0 ? <li className="muted small" role="presentation">No node type matches.</li> : null}
        {hits.map((t, i) => (
          <li key={t.type} id={`${listId}-${t.type}`} role="option" aria-selected={i === active} className={i === active ? 'active' : ''}
            onMouseDown={(e) => { e.preventDefault(); onPick(t.type); }} onMouseEnter={() => setActive(i)}>
            <strong>{t.title}</strong> <span className="small muted">{t.description}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
