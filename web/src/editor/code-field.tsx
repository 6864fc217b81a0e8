/** The schema form's widget for code params: picks function body or expression, the field's server errors and the run-time marker. */
import { lazy, Suspense } from 'react';
import type { JsonSchema } from '../api/types';
import { useFieldEnv } from './field-env';

// CodeMirror is most of the editor's weight: it loads (as its own chunk) when a code field is first shown.
const CodeEditor = lazy(() => import('./code-editor').then((m) => ({ default: m.CodeEditor })));

/** The server's problems that name `path` (`params.code: …`, `params.code.x …`). */
export const problemsAt = (problems: readonly string[], path: string): string[] =>
  problems.filter((m) => m.startsWith(`${path}:`) || m.startsWith(`${path}.`) || m.startsWith(`${path}[`));

export function CodeField({ schema, path, label, value, onChange, problems }: {
  schema: JsonSchema; path: string; label: string; value: unknown; onChange(v: unknown): void; problems: readonly string[];
}) {
  const env = useFieldEnv();
  return (
    <Suspense fallback={<div className="code-loading" role="status">Loading the code editor…</div>}>
      <CodeEditor value={typeof value === 'string' ? value : ''} onChange={(text) => onChange(text === '' ? undefined : text)}
        label={label} kind={schema['x-widget'] === 'expression' ? 'expression' : 'function'}
        problems={problemsAt(problems, path)} runError={env.runError} />
    </Suspense>
  );
}
