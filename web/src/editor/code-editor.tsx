/** The code field of `transform` (and `condition` expressions): CodeMirror 6 with syntax, server and run-time error markers. */
import { forceLinting, type Diagnostic } from '@codemirror/lint';
import { EditorView } from '@codemirror/view';
import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import { codeEditorExtensions } from './code-editor-setup';
import { offsetOf, syntaxProblems, type CodeKind } from './code-syntax';
import type { RunError } from './field-env';
import './code-editor.css';

export interface CodeEditorProps {
  value: string;
  onChange(text: string): void;
  /** Accessible name of the editable area. */
  label: string;
  kind: CodeKind;
  /** The server's validation errors for this field (after a save). */
  problems: readonly string[];
  /** Where this code failed in the last test run; marked until the code is edited. */
  runError?: RunError;
}

interface Summary { line: number; message: string }

const CAPTION: Record<CodeKind, string> = {
  function: 'JavaScript function body: input and ctx are in scope; return the new value.',
  expression: 'One JavaScript expression: input and ctx are in scope; truthy goes to the true port.',
};

/** The marker of a run-time error: the word at its position, or one character. */
function runDiagnostic(code: string, e: RunError): Diagnostic {
  const from = offsetOf(code, e.line, e.column);
  const word = /^[\w$]+/.exec(code.slice(from))?.[0].length ?? 1;
  const to = Math.min(code.length, from + Math.max(1, word));
  return { from: Math.min(from, to), to, severity: 'error', source: 'last test run', message: `Last test run failed here: ${e.message}` };
}

type RunMark = { error: RunError; code: string } | null;

/** The server's compile errors (`params.code: line 2, column 21: SyntaxError: …`), marked where they are like the editor's own. */
function serverDiagnostics(code: string, problems: readonly string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of problems) {
    const m = /: line (\d+)(?:, column (\d+))?: (.*)$/.exec(p);
    if (!m) continue;
    const from = offsetOf(code, Number(m[1]), Number(m[2] ?? 1));
    const to = Math.min(code.length, from + 1);
    out.push({ from: Math.min(from, to), to, severity: 'error', source: 'server', message: `Not saved: ${m[3]}` });
  }
  return out;
}

/** Syntax problems of the document, the server's compile errors, and the run-time marker while the document is the code that ran. */
function diagnose(v: EditorView, kind: CodeKind, mark: RunMark, saved: SavedMark): Diagnostic[] {
  const code = v.state.doc.toString();
  const found: Diagnostic[] = syntaxProblems(code, kind).map((p) => ({ ...p, severity: 'error', source: 'syntax' }));
  // The server's markers belong to the code that was refused, so they go once it is edited.
  if (saved && saved.code === code) found.push(...serverDiagnostics(code, saved.problems));
  if (mark && mark.code === code) found.push(runDiagnostic(code, mark.error));
  return found;
}

type SavedMark = { problems: readonly string[]; code: string } | null;

/** The run-time marker belongs to the document it arrived with, so it disappears once the code is edited. */
function useRunMarker(view: RefObject<EditorView | null>, mark: RefObject<RunMark>, runError: RunError | undefined) {
  const error = useRef(runError);
  error.current = runError;
  const key = runError ? `${runError.executionId}:${runError.line}:${runError.column}` : '';
  useEffect(() => {
    const v = view.current;
    const e = error.current;
    mark.current = e && v ? { error: e, code: v.state.doc.toString() } : null;
    if (v) forceLinting(v);
  }, [view, mark, key]);
}

/**
 * Mounts one CodeMirror view in `host` for the component's life; keeps it in step with `value` and the run-time
 * error, and reports every diagnostic (as line + message) for the visible summary.
 */
function useCodeMirror(p: CodeEditorProps, attributes: Record<string, string>) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(p);
  latest.current = p;
  const runMark = useRef<RunMark>(null);
  const savedMark = useRef<SavedMark>(null);
  const [summary, setSummary] = useState<Summary[]>([]);

  // Declared before the run marker's effect, which needs the view on the first render.
  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      doc: latest.current.value,
      extensions: codeEditorExtensions({
        contentAttributes: attributes,
        diagnose: (ev) => {
          const found = diagnose(ev, latest.current.kind, runMark.current, savedMark.current);
          const next = found.map((d) => ({ line: ev.state.doc.lineAt(d.from).number, message: d.message }));
          setSummary((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
          return found;
        },
        onDocChange: (text) => { if (text !== latest.current.value) latest.current.onChange(text); },
      }),
    });
    view.current = v;
    return () => { v.destroy(); view.current = null; };
    // Built once per mounted field: its attributes do not change, and the callbacks read refs.
  }, []);

  useRunMarker(view, runMark, p.runError);
  const problemsKey = p.problems.join('\n');
  useEffect(() => {
    const v = view.current;
    savedMark.current = v && latest.current.problems.length > 0 ? { problems: latest.current.problems, code: v.state.doc.toString() } : null;
    if (v) forceLinting(v);
  }, [problemsKey]);

  // An outside change (undo on the canvas, a reload) replaces the document.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== p.value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: p.value } });
  }, [p.value]);

  return { host, summary };
}

export function CodeEditor(props: CodeEditorProps) {
  const ids = useId();
  const captionId = `${ids}-caption`;
  const hintId = `${ids}-hint`;
  const { host, summary } = useCodeMirror(props, {
    'aria-label': props.label, 'aria-describedby': `${captionId} ${hintId}`, 'data-testid': 'code-editor-input',
  });
  const { problems, kind } = props;
  return (
    <div className={`code-editor${problems.length ? ' invalid' : ''}`} data-testid="code-editor">
      <span className="code-caption" id={captionId}>{CAPTION[kind]}</span>
      <div ref={host} className="code-host" />
      {problems.length ? (
        <div className="code-problems" role="alert" data-testid="code-problems">{problems.map((p) => <span key={p} className="field-error">{p}</span>)}</div>
      ) : null}
      {summary.length ? (
        <ul className="code-diagnostics" aria-live="polite" data-testid="code-diagnostics">
          {summary.map((d, i) => <li key={`${i}:${d.line}`}>Line {d.line}: {d.message}</li>)}
        </ul>
      ) : null}
      <span className="code-hint" id={hintId}>Tab indents. Press Esc, then Tab, to move on (Ctrl+M makes Tab move focus).</span>
    </div>
  );
}
