/** The canvas's right-click menu: on a node (open, duplicate, disable, add note, delete) or on empty space (add a node, add a note). */
import { useEffect, useRef, type KeyboardEvent } from 'react';

export interface MenuItem { label: string; run(): void; danger?: boolean }

export function CanvasMenu({ left, top, label, items, onClose }: { left: number; top: number; label: string; items: readonly MenuItem[]; onClose(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => { ref.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus(); }, []);
  const move = (e: KeyboardEvent, by: number) => {
    const all = [...(ref.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
    const i = all.indexOf(document.activeElement as HTMLElement);
    all[(i + by + all.length) % all.length]?.focus();
    e.preventDefault();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') { e.preventDefault(); onClose(); }
    if (e.key === 'ArrowDown') move(e, 1);
    if (e.key === 'ArrowUp') move(e, -1);
  };
  return (
    <div ref={ref} className="canvas-menu card" role="menu" aria-label={label} style={{ left, top }} data-testid="canvas-menu" onKeyDown={onKey}
      onBlur={(e) => { if (!ref.current?.contains(e.relatedTarget)) onClose(); }}>
      {items.map((it) => (
        <button key={it.label} type="button" role="menuitem" className={it.danger ? 'danger' : ''} onClick={() => { onClose(); it.run(); }}>{it.label}</button>
      ))}
    </div>
  );
}
