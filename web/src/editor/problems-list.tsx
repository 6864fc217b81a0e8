/** Every problem of the last save in one list over the canvas; a click selects the node and its field. */
import { useState } from 'react';
import type { ProblemLine } from './problem-text';

export function ProblemsList({ lines, onPick }: { lines: readonly ProblemLine[]; onPick(p: ProblemLine): void }) {
  const [open, setOpen] = useState(true);
  if (lines.length === 0) return null;
  return (
    <section className="problems" aria-label="Problems" data-testid="problems-list">
      <button type="button" className="problems-head" aria-expanded={open} onClick={() => setOpen(!open)}>
        ⚠ {lines.length === 1 ? '1 problem' : `${lines.length} problems`} to fix
      </button>
      {open ? (
        <ul aria-label="Click a problem to go to its field">{lines.map((p) => (
          <li key={p.key}>
            <button type="button" className="problem" onClick={() => onPick(p)} data-testid="problem">
              <strong>{p.where}</strong>{p.what ? <> · <span>{p.what}</span></> : null}: {p.message}
            </button>
          </li>
        ))}</ul>
      ) : null}
    </section>
  );
}
