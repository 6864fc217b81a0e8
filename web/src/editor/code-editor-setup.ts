/** The CodeMirror 6 extensions of the code editor: JavaScript, line numbers, brackets, history, Tab indent, lint, theme. */
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, lintKeymap, linter, type Diagnostic } from '@codemirror/lint';
import type { Extension } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';

/** Colours from web/src/styles.css: indigo accent, green / amber / red states, grey muted text. */
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.definitionKeyword, t.moduleKeyword, t.operatorKeyword], color: '#4f46e5', fontWeight: '600' },
  { tag: [t.string, t.special(t.string), t.regexp], color: '#15803d' },
  { tag: [t.number, t.bool, t.null, t.atom], color: '#a16207' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: '#6b7280', fontStyle: 'italic' },
  { tag: [t.function(t.variableName), t.function(t.propertyName)], color: '#0e7490' },
  { tag: [t.definition(t.variableName), t.definition(t.propertyName)], color: '#1f2430', fontWeight: '600' },
  { tag: [t.propertyName], color: '#374151' },
  { tag: [t.invalid], color: '#b91c1c' },
]);

const theme = EditorView.theme({
  '&': { fontSize: '12px', backgroundColor: '#fff', border: '1px solid var(--line)', borderRadius: '6px', color: 'var(--text)' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', lineHeight: '1.5', minHeight: '168px', maxHeight: '420px', overflow: 'auto' },
  '.cm-content': { padding: '6px 0', caretColor: 'var(--accent)' },
  '.cm-gutters': { backgroundColor: '#fafbfc', color: 'var(--muted)', borderRight: '1px solid var(--line)', borderRadius: '6px 0 0 6px' },
  '.cm-activeLine': { backgroundColor: '#f5f7ff' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--accent-soft)', color: 'var(--accent)' },
  '&.cm-focused .cm-matchingBracket': { backgroundColor: 'var(--accent-soft)', outline: '1px solid #c7d2fe' },
  '&.cm-focused .cm-nonmatchingBracket': { backgroundColor: 'var(--bad-soft)' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground': { backgroundColor: '#dbeafe' },
  '.cm-tooltip-lint': { fontFamily: 'system-ui, sans-serif', fontSize: '12px' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--bad)' },
});

export interface SetupOptions {
  /** Attributes of the editable element: its accessible name and description. */
  contentAttributes: Record<string, string>;
  /** All diagnostics of a document (syntax, and markers from the server); runs after each pause in typing. */
  diagnose(view: EditorView): Diagnostic[];
  onDocChange(text: string): void;
}

/** Everything the editor needs; `Esc` then `Tab` leaves it (CodeMirror's tab-focus mode), Ctrl-M toggles that mode. */
export function codeEditorExtensions(o: SetupOptions): Extension[] {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightActiveLine(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    closeBrackets(),
    javascript(),
    syntaxHighlighting(highlight),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...lintKeymap, indentWithTab]),
    linter((view) => o.diagnose(view), { delay: 250 }),
    lintGutter(),
    theme,
    EditorView.lineWrapping,
    EditorView.contentAttributes.of(o.contentAttributes),
    EditorView.updateListener.of((u) => { if (u.docChanged) o.onDocChange(u.state.doc.toString()); }),
  ];
}
