/**
 * A text field (or, with `multiline`, a text area such as a JSON body) that may hold `{{ path }}` templates: typing
 * `{{` opens a list of the paths the node can look up, and a field dragged from the node details view's input
 * drops in as `{{ path }}`.
 */
import { useEffect, useId, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { useFieldEnv } from './field-env';
import { acceptSuggestion, filterSuggestions, openTemplateAt, type OpenTemplate, type PathSuggestion } from './template-paths';
import { PATH_MIME, insertDropped } from './drop-path';
import './code-editor.css';

export interface TemplateInputProps {
  value: string;
  onChange(text: string): void;
  label: string;
  placeholder?: string;
  /** A text area (JSON boxes): Enter inserts a line unless the list is open. Dropped paths are quoted outside JSON strings. */
  multiline?: 'text' | 'json';
  rows?: number;
  onBlur?(): void;
  describedBy?: string;
}

interface ListState { open: OpenTemplate; caret: number; items: PathSuggestion[]; active: number }
type Field = HTMLInputElement | HTMLTextAreaElement;

/** The open list for a text and caret, or null when the caret is not inside an unclosed `{{`. */
function listFor(text: string, caret: number, all: readonly PathSuggestion[]): ListState | null {
  const open = openTemplateAt(text, caret);
  if (!open) return null;
  return { open, caret, items: filterSuggestions(all, open.query), active: 0 };
}

/** What a key does while the list is open: close it, move the active option, pick one, or nothing (`undefined`). */
function keyAction(list: ListState, key: string): 'close' | ListState | PathSuggestion | undefined {
  const n = list.items.length;
  if (key === 'Escape') return 'close';
  if (n === 0) return undefined;
  if (key === 'ArrowDown') return { ...list, active: (list.active + 1) % n };
  if (key === 'ArrowUp') return { ...list, active: (list.active + n - 1) % n };
  if (key === 'Enter' || key === 'Tab') return list.items[list.active];
  return undefined;
}

export function TemplateInput({ value, onChange, label, placeholder, multiline, rows = 4, onBlur, describedBy }: TemplateInputProps) {
  const env = useFieldEnv();
  const field = useRef<Field>(null);
  const [list, setList] = useState<ListState | null>(null);
  const [caretAfter, setCaretAfter] = useState<number | null>(null);
  const listId = useId();

  // Put the caret after an accepted path once React has rendered the new value.
  useEffect(() => {
    if (caretAfter === null || !field.current) return;
    field.current.setSelectionRange(caretAfter, caretAfter);
    setCaretAfter(null);
  }, [caretAfter]);

  const refresh = (text: string, caret: number | null) => setList(caret === null ? null : listFor(text, caret, env.suggestions));
  const accept = (s: PathSuggestion) => {
    if (!list) return;
    const next = acceptSuggestion(value, list.caret, list.open, s.path);
    setList(null);
    onChange(next.text);
    setCaretAfter(next.caret);
  };
  const onKeyDown = (e: KeyboardEvent<Field>) => {
    const act = list ? keyAction(list, e.key) : undefined;
    if (!act) return;
    e.preventDefault();
    if (act === 'close') setList(null);
    else if ('path' in act) accept(act);
    else setList(act);
  };
  const onDrop = (e: DragEvent<Field>) => {
    const path = e.dataTransfer.getData(PATH_MIME);
    if (!path) return;
    e.preventDefault();
    const el = e.currentTarget;
    const at = document.activeElement === el ? el.selectionStart ?? value.length : value.length;
    const next = insertDropped(value, at, path, multiline === 'json');
    onChange(next.text);
    el.focus();
    setCaretAfter(next.caret);
  };
  const showing = list !== null && list.items.length > 0;
  const optionId = (i: number) => `${listId}-opt-${i}`;
  const common = {
    value, placeholder, spellCheck: false, autoComplete: 'off', 'aria-label': label, 'aria-describedby': describedBy,
    onChange: (e: { target: Field }) => { onChange(e.target.value); refresh(e.target.value, e.target.selectionStart); },
    onKeyDown, onDrop,
    onKeyUp: (e: KeyboardEvent<Field>) => { if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) refresh(e.currentTarget.value, e.currentTarget.selectionStart); },
    onClick: (e: { currentTarget: Field }) => refresh(e.currentTarget.value, e.currentTarget.selectionStart),
    onBlur: () => { setList(null); onBlur?.(); },
  };
  return (
    <div className="template-input">
      {multiline ? (
        <textarea ref={field as React.RefObject<HTMLTextAreaElement>} className="code" rows={rows} {...common} />
      ) : (
        <input ref={field as React.RefObject<HTMLInputElement>} type="text" role="combobox" aria-autocomplete="list" aria-expanded={showing}
          aria-controls={showing ? listId : undefined} aria-activedescendant={showing ? optionId(list.active) : undefined} {...common} />
      )}
      {showing ? <SuggestionList id={listId} label={label} list={list} fromRun={env.fromRun} optionId={optionId}
        onPick={accept} onHover={(i) => setList({ ...list, active: i })} /> : null}
    </div>
  );
}

function SuggestionList({ id, label, list, fromRun, optionId, onPick, onHover }: {
  id: string; label: string; list: ListState; fromRun: boolean; optionId(i: number): string; onPick(s: PathSuggestion): void; onHover(i: number): void;
}) {
  useEffect(() => { document.getElementById(optionId(list.active))?.scrollIntoView({ block: 'nearest' }); }, [list.active, optionId]);
  return (
    <ul className="template-list" role="listbox" id={id} aria-label={`Paths for ${label}`} data-testid="template-suggestions">
      {list.items.map((s, i) => (
        // mousedown, not click: the input keeps its focus (and its caret) while a path is picked.
        <li key={s.path} id={optionId(i)} role="option" aria-selected={i === list.active} className="template-option"
          onMouseDown={(e) => { e.preventDefault(); onPick(s); }} onMouseEnter={() => onHover(i)}>
          <code>{s.path}</code><span className="template-detail">{s.detail}</span>
        </li>
      ))}
      <li className="template-note" role="presentation">
        {fromRun ? 'Values from the last test run.' : 'Send a test event to list the fields of your data.'} ↑↓ choose · Enter or Tab insert · Esc close
      </li>
    </ul>
  );
}
