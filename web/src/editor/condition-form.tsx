/** The condition node's form: a rule builder (path with completion, operator, value, all/any), or a JavaScript expression. */
import { useId } from 'react';
import type { JsonSchema } from '../api/types';
import { CodeField, problemsAt } from './code-field';
import { enumValues, parseLoose } from './schema-widgets';
import { useFieldEnv } from './field-env';
import { PATH_MIME } from './drop-path';

export interface Rule { path?: string; op?: string; value?: unknown }
const NEW_RULE: Rule = { path: 'input.body', op: 'exists' };
const asText = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** One rule; `list` is where its list sits in the params (`params.cases.0.rules` in a switch), `name` how it is announced. */
export function RuleRow({ rule, i, ops, labels, listId, problems, onChange, onRemove, list = 'params.rules', name = `Rule ${i + 1}` }: {
  rule: Rule; i: number; ops: string[]; labels: Record<string, string>; listId: string; problems: string[];
  onChange(r: Rule): void; onRemove?(): void; list?: string; name?: string;
}) {
  const at = `${list}.${i}`;
  const mine = [...problemsAt(problems, `${at}.path`), ...problemsAt(problems, `${at}.op`), ...problemsAt(problems, `${at}.value`)];
  return (
    <li className="rule" data-field={at} data-testid={list === 'params.rules' ? `rule-${i}` : `${list.replace(/^params\./, '').replace(/\./g, '-')}-${i}`}>
      <div className="rule-fields">
        <input aria-label={`${name} path`} list={listId} value={rule.path ?? ''} placeholder="input.total" spellCheck={false}
          onChange={(e) => onChange({ ...rule, path: e.target.value })}
          onDrop={(e) => { const p = e.dataTransfer.getData(PATH_MIME); if (p) { e.preventDefault(); onChange({ ...rule, path: p }); } }} />
        <select aria-label={`${name} operator`} value={rule.op ?? 'eq'}
          onChange={(e) => onChange(e.target.value === 'exists' ? { path: rule.path, op: 'exists' } : { ...rule, op: e.target.value })}>
          {ops.map((o) => <option key={o} value={o}>{labels[o] ?? o}</option>)}
        </select>
        {rule.op === 'exists' ? null : (
          <input aria-label={`${name} value`} value={asText(rule.value)} placeholder={rule.op === 'matches' ? '/^ord_/i' : 'value'} spellCheck={false}
            onChange={(e) => onChange({ ...rule, value: rule.op === 'matches' ? e.target.value : parseLoose(e.target.value) ?? '' })} />
        )}
        {onRemove ? <button type="button" className="btn btn-small btn-ghost" onClick={onRemove} aria-label={`Remove ${name.toLowerCase()}`} title={`Remove ${name.toLowerCase()}`}>✕</button> : null}
      </div>
      {mine.map((m) => <span key={m} className="field-error">{m}</span>)}
    </li>
  );
}

export function ConditionForm({ schema, value, onChange, problems }: { schema: JsonSchema; value: Record<string, unknown>; onChange(v: unknown): void; problems: string[] }) {
  const ids = useId();
  const env = useFieldEnv();
  const mode = value.expression !== undefined || (value.rules === undefined && 'expression' in value) ? 'expression' : 'rules';
  const rules = Array.isArray(value.rules) ? (value.rules as Rule[]) : [];
  const ruleSchema = schema.properties?.rules?.items?.properties?.op ?? {};
  const ops = enumValues(ruleSchema) ?? ['eq'];
  const labels = ruleSchema['x-labels'] ?? {};
  const combine = schema.properties?.combine ?? {};
  const setRules = (next: Rule[]) => onChange({ ...value, rules: next });
  const switchTo = (m: 'rules' | 'expression') => {
    if (m === mode) return;
    onChange(m === 'rules' ? { rules: [NEW_RULE], combine: 'all' } : { expression: undefined });
  };
  return (
    <div className="condition-form">
      <fieldset className="mode" data-field="params.expression">
        <legend className="field-label">Decide by</legend>
        <label className="chip"><input type="radio" name={`${ids}-mode`} checked={mode === 'rules'} onChange={() => switchTo('rules')} /> rules</label>
        <label className="chip"><input type="radio" name={`${ids}-mode`} checked={mode === 'expression'} onChange={() => switchTo('expression')} /> a JavaScript expression</label>
      </fieldset>
      {problemsAt(problems, 'params.rules').filter((p) => !/params\.rules\.\d/.test(p)).map((m) => <span key={m} className="field-error">{m}</span>)}
      {mode === 'expression' ? (
        <div className="field" data-field="params.expression">
          <CodeField schema={schema.properties?.expression ?? {}} path="params.expression" label="Expression" value={value.expression}
            onChange={(v) => onChange({ expression: v })} problems={problems} />
        </div>
      ) : (
        <div className="field" data-field="params.rules">
          <label className="field inline" data-field="params.combine"><span className="field-label">Go to <code>true</code> when it matches</span>
            <select value={String(value.combine ?? 'all')} onChange={(e) => onChange({ ...value, combine: e.target.value })}>
              {(enumValues(combine) ?? ['all', 'any']).map((c) => <option key={c} value={c}>{combine['x-labels']?.[c] ?? c}</option>)}
            </select></label>
          <ol className="rules" aria-label="Rules">
            {rules.map((r, i) => (
              <RuleRow key={i} rule={r} i={i} ops={ops} labels={labels} listId={`${ids}-paths`} problems={problems}
                onChange={(nr) => setRules(rules.map((x, j) => (j === i ? nr : x)))}
                onRemove={rules.length > 1 ? () => setRules(rules.filter((_, j) => j !== i)) : undefined} />
            ))}
          </ol>
          <button type="button" className="btn btn-small" onClick={() => setRules([...rules, { path: '', op: 'eq', value: '' }])} data-testid="add-rule">Add rule</button>
          <datalist id={`${ids}-paths`}>{env.suggestions.map((s) => <option key={s.path} value={s.path}>{s.detail}</option>)}</datalist>
          <p className="small muted">Paths start at <code>input</code>, <code>trigger</code> or <code>nodes.&lt;id&gt;</code>. Values: numbers and true/false as typed, anything else as text.</p>
        </div>
      )}
    </div>
  );
}
