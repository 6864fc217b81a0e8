/** Form fields that may hold text that does not serialise: they report it to the editor (which then refuses to save) and keep it on screen. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useFieldDraft } from './field-drafts';
import { TemplateInput } from './template-input';

/** Why a JSON box's text is not a value, or null when it is (an empty box is "no value"). */
function jsonError(text: string): string | null {
  if (text.trim() === '') return null;
  try { JSON.parse(text); return null; } catch (e) { return `Not valid JSON: ${(e as Error).message}`; }
}

const shown = (value: unknown): string => (value === undefined ? '' : JSON.stringify(value, null, 2));

/**
 * JSON text with `{{` completion. Text that parses is committed as typed; text that does not stays on screen (and in
 * the editor's drafts, so it survives the panel closing) with its error under it once the box is left.
 */
export function JsonField({ field, value, onChange, label, rows = 4, placeholder }: {
  field: string; value: unknown; onChange(v: unknown): void; label: string; rows?: number; placeholder?: string;
}) {
  const draft = useFieldDraft(field, label);
  const [text, setText] = useState(() => draft.initial?.text ?? shown(value));
  const [left, setLeft] = useState(draft.initial !== undefined);
  /** The value this box last committed: a new value from elsewhere (infer schema, undo) replaces the text. */
  const committed = useRef(value);
  const error = useMemo(() => jsonError(text), [text]);
  const { report } = draft;
  useEffect(() => {
    if (value === committed.current) return;
    committed.current = value;
    setText(shown(value)); setLeft(false);
    report('', null);
  }, [value, report]);
  const change = (t: string) => {
    setText(t); setLeft(false);
    const bad = jsonError(t);
    report(t, bad);
    if (bad !== null) return;
    const v = t.trim() === '' ? undefined : JSON.parse(t) as unknown;
    committed.current = v;
    onChange(v);
  };
  return (<>
    <TemplateInput multiline="json" rows={rows} label={label} value={text} onChange={change} onBlur={() => setLeft(true)} placeholder={placeholder} />
    {error !== null && (left || draft.refused) ? <span className="field-error" data-testid="json-error">{error}</span> : null}
  </>);
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const numberText = (v: unknown): string => (typeof v === 'number' ? String(v) : '');

/**
 * A number box. Its text is kept as typed: text that is not a number ("3e") is reported to the editor, which then
 * refuses to save, and stays on screen (across panel switches too) instead of being dropped.
 */
export function NumberInput({ field, label, value, onChange, placeholder }: {
  /** `min` / `max` are the server's to check (it names the field); the box only tells numbers from other text. */
  field: string; label: string; value: unknown; onChange(v: number | undefined): void; min?: number; max?: number; placeholder?: string;
}) {
  const draft = useFieldDraft(field, label);
  const [text, setText] = useState(() => draft.initial?.text ?? numberText(value));
  const committed = useRef(value);
  const { report } = draft;
  useEffect(() => {
    if (value === committed.current) return;
    committed.current = value;
    setText(numberText(value));
    report('', null);
  }, [value, report]);
  const t = text.trim();
  const bad = t !== '' && !NUMBER.test(t);
  return (<>
    <input type="text" inputMode="decimal" aria-label={label} aria-invalid={bad || undefined} value={text} placeholder={placeholder}
      onChange={(e) => {
        const next = e.target.value;
        const n = next.trim();
        setText(next);
        if (n !== '' && !NUMBER.test(n)) { report(next, 'Not a number'); return; }
        report(next, null);
        const v = n === '' ? undefined : Number(n);
        committed.current = v;
        onChange(v);
      }} />
    {bad ? <span className="field-error">Not a number</span> : null}
  </>);
}
