/** Save-time compile check: every code field of a flow (params shown with the `code` or `expression` widget) must compile in the sandbox. */
import type { NodeRegistry } from '../../nodes/registry.js';
import type { FlowNodeDoc } from './flow-doc.js';
import type { FlowProblem } from './validate-flow.js';

/** What the sandbox answers for one piece of code (server/sandbox/compile-check.ts): nothing, or where it fails. */
export type CompileCode = (kind: 'function' | 'expression', code: string) => Promise<{ message: string; line?: number; column?: number } | undefined>;

const KIND_OF_WIDGET: Readonly<Record<string, 'function' | 'expression'>> = { code: 'function', expression: 'expression' };

/** The code fields of a node: top-level params whose schema names the `code` or `expression` widget. */
function codeFieldsOf(node: FlowNodeDoc, registry: NodeRegistry): Array<{ field: string; kind: 'function' | 'expression'; code: string }> {
  const props = (registry.get(node.type)?.params as { properties?: Record<string, { 'x-widget'?: string }> } | undefined)?.properties ?? {};
  const out: Array<{ field: string; kind: 'function' | 'expression'; code: string }> = [];
  for (const [name, schema] of Object.entries(props)) {
    const kind = KIND_OF_WIDGET[schema['x-widget'] ?? ''];
    const code = node.params[name];
    if (kind && typeof code === 'string') out.push({ field: name, kind, code });
  }
  return out;
}

/**
 * One problem per code field that does not compile, naming node, field, line and column:
 * `{ nodeId: "calc", field: "params.code", line: 1, column: 18, message: "line 1, column 18: SyntaxError: Unexpected token ';'" }`.
 * Disabled nodes are checked too: enabling one must not make a flow unrunnable.
 */
export async function codeProblems(nodes: readonly FlowNodeDoc[], registry: NodeRegistry, compile: CompileCode): Promise<FlowProblem[]> {
  const jobs = nodes.flatMap((n) => codeFieldsOf(n, registry).map((f) => ({ nodeId: n.id, ...f })));
  const answers = await Promise.all(jobs.map((j) => compile(j.kind, j.code)));
  const problems: FlowProblem[] = [];
  answers.forEach((a, i) => {
    if (!a) return;
    const j = jobs[i];
    const where = a.line === undefined ? '' : a.column === undefined ? `line ${a.line}: ` : `line ${a.line}, column ${a.column}: `;
    problems.push({ nodeId: j.nodeId, field: `params.${j.field}`, message: `${where}${a.message}`, ...(a.line ? { line: a.line } : {}), ...(a.column ? { column: a.column } : {}) });
  });
  return problems;
}
