/** A form generated from a JSON Schema: labels from titles, enums as selects, fields only when they apply (`x-when`), JSON with `{{` completion. */
import { useState } from 'react';
import type { JsonSchema } from '../api/types';
import { enumValues, humanize, parseLoose, widgetOf } from './schema-widgets';
import { FlowPicker } from './flow-picker';
import { CredentialPicker } from './credential-picker';
import { CodeField, problemsAt } from './code-field';
import { TemplateInput } from './template-input';
import { isShown } from './field-when';
import { ConditionForm } from './condition-form';
import { SwitchForm } from './switch-form';
import { SetForm } from './set-form';
import { JsonField, NumberInput } from './draft-fields';

type Value = unknown;
interface FieldProps { name: string; path: string; schema: JsonSchema; value: Value; onChange(v: Value): void; problems: string[] }

const labelOf = (s: JsonSchema, v: string): string => s['x-labels']?.[v] ?? v;

/** An enum as a select; a templatable one offers "a template…" and then takes `{{ … }}` text. */
function EnumField({ schema, value, onChange, label, templatable }: { schema: JsonSchema; value: Value; onChange(v: Value): void; label: string; templatable: boolean }) {
  const options = enumValues(schema) ?? [];
  const isTemplate = typeof value === 'string' && value.includes('{{');
  const [templating, setTemplating] = useState(isTemplate);
  if (templating || isTemplate) {
    return (<div className="row">
      <div style={{ flex: 1 }}><TemplateInput label={label} value={typeof value === 'string' ? value : ''} placeholder="{{ input.method }}" onChange={(t) => onChange(t || undefined)} /></div>
      <button type="button" className="btn btn-small" onClick={() => { setTemplating(false); onChange(undefined); }}>Pick from list</button>
    </div>);
  }
  return (
    <select aria-label={label} value={value === undefined ? '' : String(value)}
      onChange={(e) => { if (e.target.value === '{{') { setTemplating(true); return; } onChange(e.target.value || undefined); }}>
      {schema.default !== undefined ? <option value="">{labelOf(schema, String(schema.default))} (default)</option> : <option value="">— choose —</option>}
      {options.filter((v) => v !== schema.default).map((v) => <option key={v} value={v}>{labelOf(schema, v)}</option>)}
      {templatable ? <option value="{{">a template…</option> : null}
    </select>
  );
}

function Widget({ name, path, schema, value, onChange, problems }: FieldProps) {
  const w = widgetOf(schema, name);
  const label = schema.title ?? humanize(name);
  const fallback = schema.default ?? schema.anyOf?.[0]?.default;
  const placeholder = fallback !== undefined ? String(fallback) : '';
  if (name === 'credentialId') return <CredentialPicker value={value} onChange={onChange} label={label} />;
  if (name === 'flowId' && path === 'params.flowId') return <FlowPicker value={value} onChange={onChange} label={label} />;
  switch (w) {
    case 'code': return <CodeField schema={schema} path={path} label={label} value={value} onChange={onChange} problems={problems} />;
    case 'enum': return <EnumField schema={schema} value={value} onChange={onChange} label={label} templatable={false} />;
    case 'template-enum': return <EnumField schema={schema.anyOf?.[0] ?? schema} value={value} onChange={onChange} label={label} templatable />;
    case 'template': return <TemplateInput label={label} value={value === undefined ? '' : String(value)} placeholder={placeholder || 'value or {{ input.path }}'} onChange={(t) => onChange(parseLoose(t))} />;
    case 'text': return <input type="text" aria-label={label} value={value === undefined ? '' : String(value)} placeholder={placeholder} onChange={(e) => onChange(e.target.value || undefined)} />;
    case 'number': return <NumberInput field={path} label={label} value={value} min={schema.minimum} max={schema.maximum} placeholder={placeholder} onChange={onChange} />;
    case 'boolean': return <label className="chip"><input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked ? true : undefined)} /> {label}</label>;
    case 'list': return <textarea rows={3} aria-label={`${label} (one per line)`} value={Array.isArray(value) ? value.join('\n') : ''} onChange={(e) => { const l = e.target.value.split('\n').map((x) => x.trim()).filter(Boolean); onChange(l.length ? l : undefined); }} />;
    case 'multi': {
      const set = new Set(Array.isArray(value) ? value.map(String) : []);
      const opts = schema.items ? enumValues(schema.items) ?? [] : [];
      return <div className="chips" role="group" aria-label={label}>{opts.map((o) => <label key={o} className="chip"><input type="checkbox" checked={set.has(o)} onChange={(e) => { const n = new Set(set); if (e.target.checked) n.add(o); else n.delete(o); onChange(n.size ? opts.filter((x) => n.has(x)) : undefined); }} />{o}</label>)}</div>;
    }
    case 'object': return <fieldset className="nested"><legend className="visually-hidden">{label}</legend><SchemaForm schema={schema} value={value} onChange={onChange} problems={problems} path={path} /></fieldset>;
    default: return <JsonField field={path} value={value} onChange={onChange} label={`${label} (JSON)`} rows={name === 'schema' ? 10 : 4}
      placeholder={name === 'body' ? '{ "total": "{{ input.total }}" }' : name === 'headers' ? '{ "x-order": "{{ input.id }}" }' : undefined} />;
  }
}

/** Drops sibling values whose field no longer applies (signing `kind` back to "none" clears its header and algorithm). */
function withoutInapplicable(obj: Record<string, unknown>, props: Record<string, JsonSchema>): Record<string, unknown> {
  const out = { ...obj };
  for (const [k, s] of Object.entries(props)) if (out[k] !== undefined && s['x-when'] && !isShown(s, undefined, out, props)) delete out[k];
  return out;
}

/** The form of one object schema; `path` is `params` at the top, and names the server's problem fields. */
export function SchemaForm({ schema, value, onChange, problems, path = 'params' }: {
  schema: JsonSchema; value: Value; onChange(v: Value): void; problems: string[]; path?: string;
}) {
  const obj = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const props = schema.properties ?? {};
  if (schema['x-widget'] === 'condition') return <ConditionForm schema={schema} value={obj} onChange={onChange} problems={problems} />;
  if (schema['x-widget'] === 'set') return <SetForm schema={schema} value={obj} onChange={onChange} problems={problems} />;
  if (schema['x-widget'] === 'switch') return <SwitchForm schema={schema} value={obj} onChange={onChange} problems={problems} />;
  const set = (k: string, v: Value) => {
    const next = { ...obj };
    if (v === undefined) delete next[k]; else next[k] = v;
    const kept = withoutInapplicable(next, props);
    onChange(path === 'params' || Object.keys(kept).length ? kept : undefined);
  };
  return (<>{Object.entries(props).filter(([k, s]) => isShown(s, obj[k], obj, props)).map(([k, s]) => {
    const p = `${path}.${k}`;
    const mine = problemsAt(problems, p);
    const w = widgetOf(s, k);
    return (
      <div className={`field${mine.length ? ' invalid' : ''}`} key={k} data-field={p}>
        {w === 'boolean' ? null : (
          <span className="field-label" title={`params key: ${p.replace(/^params\./, '')}`}>{s.title ?? humanize(k)}
            {schema.required?.includes(k) ? <><span className="req" aria-hidden="true"> *</span><span className="visually-hidden"> (required)</span></> : null}</span>
        )}
        {s.description ? <span className="small muted">{s.description}</span> : null}
        <Widget name={k} path={p} schema={s} value={obj[k]} onChange={(v) => set(k, v)} problems={problems} />
        {w === 'code' ? null : mine.map((m) => <span key={m} className="field-error">{m}</span>)}
      </div>);
  })}</>);
}
