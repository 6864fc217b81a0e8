/** The set node's form: one row per field (path, value or {{ template }}, type), and whether the other input fields stay. */
import type { JsonSchema } from '../api/types';
import { problemsAt } from './code-field';
import { enumValues } from './schema-widgets';
import { TemplateInput } from './template-input';

interface Assignment { path?: string; value?: unknown; type?: string }
const asText = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
/** Text as typed is kept as text; the row's type converts it when the node runs (a JSON row parses it). */
const fromText = (t: string): unknown => (t === '' ? undefined : t);

export function SetForm({ schema, value, onChange, problems }: { schema: JsonSchema; value: Record<string, unknown>; onChange(v: unknown): void; problems: string[] }) {
  const rows = Array.isArray(value.assignments) ? (value.assignments as Assignment[]) : [];
  const typeSchema = schema.properties?.assignments?.items?.properties?.type ?? {};
  const types = enumValues(typeSchema) ?? ['string', 'number', 'boolean', 'json'];
  const keep = schema.properties?.keep ?? {};
  const setRows = (next: Assignment[]) => onChange({ ...value, assignments: next });
  const setRow = (i: number, a: Assignment) => setRows(rows.map((x, j) => (j === i ? a : x)));
  return (
    <div className="condition-form set-form">
      <label className="field inline" data-field="params.keep"><span className="field-label">{keep.title ?? 'Other input fields'}</span>
        <select aria-label="Other input fields" value={String(value.keep ?? 'all')} onChange={(e) => onChange({ ...value, keep: e.target.value })}>
          {(enumValues(keep) ?? ['all', 'none']).map((k) => <option key={k} value={k}>{keep['x-labels']?.[k] ?? k}</option>)}
        </select></label>
      {problemsAt(problems, 'params.assignments').filter((p) => !/params\.assignments\.\d/.test(p)).map((m) => <span key={m} className="field-error">{m}</span>)}
      <ol className="rules" aria-label="Fields to set">
        {rows.map((a, i) => {
          const at = `params.assignments.${i}`;
          const label = `Field ${i + 1}`;
          return (
            <li key={i} className="rule" data-field={at} data-testid={`assignment-${i}`}>
              <div className="rule-fields">
                <input aria-label={`${label} path`} value={a.path ?? ''} placeholder="customer.email" spellCheck={false} onChange={(e) => setRow(i, { ...a, path: e.target.value })} />
                <select aria-label={`${label} type`} value={a.type ?? ''} onChange={(e) => setRow(i, { ...a, type: e.target.value || undefined })}>
                  <option value="">as it is</option>
                  {types.map((t) => <option key={t} value={t}>{typeSchema['x-labels']?.[t] ?? t}</option>)}
                </select>
                {rows.length > 1 ? <button type="button" className="btn btn-small btn-ghost" onClick={() => setRows(rows.filter((_, j) => j !== i))} aria-label={`Remove ${label.toLowerCase()}`}>✕</button> : <span />}
              </div>
              <TemplateInput label={`${label} value`} value={asText(a.value)} placeholder="value or {{ input.path }}" onChange={(t) => setRow(i, { ...a, value: fromText(t) })} />
              {[...problemsAt(problems, `${at}.path`), ...problemsAt(problems, `${at}.value`), ...problemsAt(problems, `${at}.type`)].map((m) => <span key={m} className="field-error">{m}</span>)}
            </li>
          );
        })}
      </ol>
      <button type="button" className="btn btn-small" data-testid="add-assignment" onClick={() => setRows([...rows, { path: '', value: '' }])}>Add field</button>
      <p className="small muted">Values may look up data with <code>{'{{ input.x }}'}</code>, <code>{'{{ trigger.body.y }}'}</code> or <code>{'{{ nodes.id.z }}'}</code>; choose a type to convert the result.</p>
    </div>
  );
}
