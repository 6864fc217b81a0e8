/** A form generated from a JSON Schema: text, number, boolean, enum, string lists, nested objects, raw JSON otherwise. */
import { useEffect, useState } from 'react';
import type { JsonSchema } from '../api/types';
import { enumValues, humanize, parseLoose, widgetOf } from './schema-widgets';
import { CredentialPicker } from './credential-picker';
import { CodeField, problemsAt } from './code-field';
import { TemplateInput } from './template-input';

type Value = unknown;
interface FieldProps { name: string; path: string; schema: JsonSchema; value: Value; onChange(v: Value): void; problems: string[] }

function JsonField({ value, onChange, label, rows = 4 }: { value: Value; onChange(v: Value): void; label: string; rows?: number }) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [bad, setBad] = useState<string | null>(null);
  useEffect(() => { setText(value === undefined ? '' : JSON.stringify(value, null, 2)); }, [value]);
  const commit = () => {
    if (text.trim() === '') { setBad(null); onChange(undefined); return; }
    try { onChange(JSON.parse(text)); setBad(null); } catch (e) { setBad(`Not valid JSON: ${(e as Error).message}`); }
  };
  return (<>
    <textarea className="code" rows={rows} aria-label={label} value={text} spellCheck={false} onChange={(e) => setText(e.target.value)} onBlur={commit} />
    {bad ? <span className="field-error">{bad}</span> : null}
  </>);
}

function Widget({ name, path, schema, value, onChange, problems }: FieldProps) {
  const w = widgetOf(schema, name);
  const label = schema.title ?? humanize(name);
  if (name === 'credentialId') return <CredentialPicker value={value} onChange={onChange} label={label} />;
  switch (w) {
    case 'code': return <CodeField schema={schema} path={path} label={label} value={value} onChange={onChange} problems={problems} />;
    case 'enum': return (
      <select aria-label={label} value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{schema.default !== undefined ? `default (${String(schema.default)})` : '—'}</option>
        {enumValues(schema)?.map((v) => <option key={v} value={v}>{v}</option>)}
      </select>);
    case 'template': return <TemplateInput label={label} value={value === undefined ? '' : String(value)} placeholder={schema.default !== undefined ? String(schema.default) : 'value or {{ input.path }}'} onChange={(t) => onChange(parseLoose(t))} />;
    case 'text': return <input type="text" aria-label={label} value={value === undefined ? '' : String(value)} placeholder={schema.default !== undefined ? String(schema.default) : ''} onChange={(e) => onChange(e.target.value || undefined)} />;
    case 'number': return <input type="number" aria-label={label} value={typeof value === 'number' ? value : ''} min={schema.minimum} max={schema.maximum} placeholder={schema.default !== undefined ? String(schema.default) : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} />;
    case 'boolean': return <input type="checkbox" aria-label={label} checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
    case 'list': return <textarea rows={3} aria-label={`${label} (one per line)`} value={Array.isArray(value) ? value.join('\n') : ''} onChange={(e) => { const l = e.target.value.split('\n').map((x) => x.trim()).filter(Boolean); onChange(l.length ? l : undefined); }} />;
    case 'multi': {
      const set = new Set(Array.isArray(value) ? value.map(String) : []);
      const opts = schema.items ? enumValues(schema.items) ?? [] : [];
      return <div className="chips">{opts.map((o) => <label key={o} className="chip"><input type="checkbox" checked={set.has(o)} onChange={(e) => { const n = new Set(set); if (e.target.checked) n.add(o); else n.delete(o); onChange(n.size ? opts.filter((x) => n.has(x)) : undefined); }} />{o}</label>)}</div>;
    }
    case 'object': return <fieldset className="nested"><SchemaForm schema={schema} value={value} onChange={onChange} problems={problems} path={path} /></fieldset>;
    default: return <JsonField value={value} onChange={onChange} label={`${label} (JSON)`} rows={name === 'schema' ? 10 : 4} />;
  }
}

/** The form of one object schema; `path` is `params` at the top, and names the server's problem fields. */
export function SchemaForm({ schema, value, onChange, problems, path = 'params' }: {
  schema: JsonSchema; value: Value; onChange(v: Value): void; problems: string[]; path?: string;
}) {
  const obj = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const set = (k: string, v: Value) => {
    const next = { ...obj };
    if (v === undefined) delete next[k]; else next[k] = v;
    onChange(path === 'params' || Object.keys(next).length ? next : undefined);
  };
  return (<>{Object.entries(schema.properties ?? {}).map(([k, s]) => {
    const p = `${path}.${k}`;
    const mine = problemsAt(problems, p);
    return (
      <div className={`field${mine.length ? ' invalid' : ''}`} key={k}>
        <span className="field-label" title={`params key: ${p.replace(/^params\./, '')}`}>{s.title ?? humanize(k)}{schema.required?.includes(k) ? <em className="req" aria-label="required"> *</em> : null}</span>
        {s.description ? <span className="small muted">{s.description}</span> : null}
        <Widget name={k} path={p} schema={s} value={obj[k]} onChange={(v) => set(k, v)} problems={problems} />
        {widgetOf(s, k) === 'code' ? null : mine.map((m) => <span key={m} className="field-error">{m}</span>)}
      </div>);
  })}</>);
}
