/** The switch node's form: ordered cases, each a port. Rules per case (the condition rule builder) or a value per case. */
import { useId } from 'react';
import type { JsonSchema } from '../api/types';
import { problemsAt } from './code-field';
import { enumValues, parseLoose } from './schema-widgets';
import { useFieldEnv } from './field-env';
import { RuleRow, type Rule } from './condition-form';

interface Case { id: string; name?: string; rules?: Rule[]; combine?: string; equals?: unknown }
const asText = (v: unknown): string => (v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
/** A case's value as typed: numbers and true/false as such, `[…]`/`{…}` as JSON when it parses, anything else as text. */
function parseEquals(t: string): unknown {
  if (/^\s*[[{]/.test(t)) {
    try { return JSON.parse(t) as unknown; } catch { /* not JSON yet: keep the text */ }
  }
  return parseLoose(t) ?? '';
}

/** A port id no case uses yet (`case3`); ids never change once made, so edges stay with their case. */
export function newCaseId(cases: readonly Case[]): string {
  const used = new Set(cases.map((c) => c.id));
  for (let n = cases.length + 1; ; n++) if (!used.has(`case${n}`)) return `case${n}`;
}

function Errors({ list }: { list: string[] }) {
  return <>{list.map((m) => <span key={m} className="field-error">{m}</span>)}</>;
}

export function SwitchForm({ schema, value, onChange, problems }: { schema: JsonSchema; value: Record<string, unknown>; onChange(v: unknown): void; problems: string[] }) {
  const ids = useId();
  const env = useFieldEnv();
  const mode = value.mode === 'value' ? 'value' : 'rules';
  const cases = Array.isArray(value.cases) ? (value.cases as Case[]) : [];
  const caseSchema = schema.properties?.cases?.items ?? {};
  const opSchema = caseSchema.properties?.rules?.items?.properties?.op ?? {};
  const ops = enumValues(opSchema) ?? ['eq'];
  const opLabels = opSchema['x-labels'] ?? {};
  const matchSchema = schema.properties?.match ?? {};
  const setCases = (next: Case[]) => onChange({ ...value, cases: next });
  const setCase = (i: number, c: Case) => setCases(cases.map((x, j) => (j === i ? c : x)));
  const move = (i: number, by: number) => {
    const next = [...cases];
    const [c] = next.splice(i, 1);
    next.splice(i + by, 0, c);
    setCases(next);
  };
  const addCase = () => {
    const id = newCaseId(cases);
    setCases([...cases, mode === 'value' ? { id, equals: '' } : { id, rules: [{ path: '', op: 'eq', value: '' }], combine: 'all' }]);
  };
  const switchMode = (m: 'rules' | 'value') => {
    if (m === mode) return;
    const kept = cases.map((c) => (m === 'value' ? { id: c.id, name: c.name, equals: '' } : { id: c.id, name: c.name, rules: [{ path: '', op: 'eq', value: '' }], combine: 'all' }));
    onChange(m === 'value' ? { ...value, mode: 'value', path: value.path ?? 'input.body.type', cases: kept } : { ...value, mode: 'rules', path: undefined, cases: kept });
  };
  return (
    <div className="condition-form switch-form">
      <fieldset className="mode" data-field="params.mode">
        <legend className="field-label">Match cases by</legend>
        <label className="chip"><input type="radio" name={`${ids}-mode`} checked={mode === 'rules'} onChange={() => switchMode('rules')} /> rules per case</label>
        <label className="chip"><input type="radio" name={`${ids}-mode`} checked={mode === 'value'} onChange={() => switchMode('value')} /> one value compared with each case</label>
      </fieldset>
      {mode === 'value' ? (
        <label className="field" data-field="params.path"><span className="field-label">Value at path</span>
          <input aria-label="Value at path" list={`${ids}-paths`} value={String(value.path ?? '')} placeholder="trigger.headers.x-github-event" spellCheck={false}
            onChange={(e) => onChange({ ...value, path: e.target.value })} />
          <Errors list={problemsAt(problems, 'params.path')} /></label>
      ) : null}
      <label className="field inline" data-field="params.match"><span className="field-label">Send to</span>
        <select aria-label="Send to" value={String(value.match ?? 'first')} onChange={(e) => onChange({ ...value, match: e.target.value })}>
          {(enumValues(matchSchema) ?? ['first', 'all']).map((m) => <option key={m} value={m}>{matchSchema['x-labels']?.[m] ?? m}</option>)}
        </select></label>
      <Errors list={problemsAt(problems, 'params.cases').filter((p) => !/params\.cases\.\d/.test(p))} />
      <ol className="cases" aria-label="Cases">
        {cases.map((c, i) => {
          const at = `params.cases.${i}`;
          const label = `Case ${i + 1}`;
          const rules = c.rules ?? [];
          return (
            <li key={c.id || i} className="case" data-field={at} data-testid={`case-${i}`}>
              <div className="row case-head">
                <input aria-label={`${label} name`} value={c.name ?? ''} placeholder={c.id} onChange={(e) => setCase(i, { ...c, name: e.target.value || undefined })} />
                <code className="small muted" title="The port of this case; edges stay connected to it when cases move">port {c.id}</code>
                <button type="button" className="btn btn-small btn-ghost" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move ${label.toLowerCase()} up`}>↑</button>
                <button type="button" className="btn btn-small btn-ghost" disabled={i === cases.length - 1} onClick={() => move(i, 1)} aria-label={`Move ${label.toLowerCase()} down`}>↓</button>
                {cases.length > 1 ? <button type="button" className="btn btn-small btn-ghost" onClick={() => setCases(cases.filter((_, j) => j !== i))} aria-label={`Remove ${label.toLowerCase()}`}>✕</button> : null}
              </div>
              <Errors list={problemsAt(problems, `${at}.id`)} />
              {mode === 'value' ? (
                <label className="field"><span className="field-label">equals</span>
                  <input aria-label={`${label} value`} value={asText(c.equals)} placeholder='push, or ["a","b"] for any of them' spellCheck={false}
                    onChange={(e) => setCase(i, { ...c, equals: parseEquals(e.target.value) })} />
                  <Errors list={problemsAt(problems, `${at}.equals`)} /></label>
              ) : (<>
                <label className="field inline"><span className="field-label">Matches when</span>
                  <select aria-label={`${label} combine`} value={c.combine ?? 'all'} onChange={(e) => setCase(i, { ...c, combine: e.target.value })}>
                    <option value="all">all rules hold</option><option value="any">any rule holds</option>
                  </select></label>
                <ol className="rules" aria-label={`${label} rules`}>
                  {rules.map((r, j) => (
                    <RuleRow key={j} rule={r} i={j} ops={ops} labels={opLabels} listId={`${ids}-paths`} problems={problems} list={`${at}.rules`} name={`${label} rule ${j + 1}`}
                      onChange={(nr) => setCase(i, { ...c, rules: rules.map((x, k) => (k === j ? nr : x)) })}
                      onRemove={rules.length > 1 ? () => setCase(i, { ...c, rules: rules.filter((_, k) => k !== j) }) : undefined} />
                  ))}
                </ol>
                <Errors list={problemsAt(problems, `${at}.rules`).filter((p) => !new RegExp(`${at.replace(/\./g, '\\.')}\\.rules\\.\\d`).test(p))} />
                <button type="button" className="btn btn-small" onClick={() => setCase(i, { ...c, rules: [...rules, { path: '', op: 'eq', value: '' }] })}>Add rule to {label.toLowerCase()}</button>
              </>)}
            </li>
          );
        })}
      </ol>
      <button type="button" className="btn btn-small" onClick={addCase} data-testid="add-case">Add case</button>
      <datalist id={`${ids}-paths`}>{env.suggestions.map((s) => <option key={s.path} value={s.path}>{s.detail}</option>)}</datalist>
      <p className="small muted">Each case is a port; no match goes to <code>default</code>. Paths start at <code>input</code>, <code>trigger</code> or <code>nodes.&lt;id&gt;</code>.</p>
    </div>
  );
}
