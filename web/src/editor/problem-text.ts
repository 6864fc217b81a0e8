/** PURE: a save problem in words: which node, which field (by its label in the form), what is wrong. */
import type { FlowProblem, JsonSchema } from '../api/types.js';
import { humanize } from './schema-widgets.js';

const TOP: Record<string, string> = { edges: 'Connections', nodes: 'Nodes', name: 'Flow name', notes: 'Notes', retry: 'Retry', timeoutMs: 'Timeout (ms)', disabled: 'Disabled', pinnedInput: 'Pinned sample', type: 'Type', id: 'Id' };

/** `params.auth.credentialId` → "Authentication › Credential", using the schema's titles where it has them. */
export function fieldLabel(field: string, params: JsonSchema | undefined): string {
  const parts = field.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean);
  if (parts[0] !== 'params') return TOP[parts[0] ?? ''] ?? humanize(parts[0] ?? field);
  const out: string[] = [];
  let s: JsonSchema | undefined = params;
  for (const p of parts.slice(1)) {
    if (/^\d+$/.test(p)) { out.push(`#${Number(p) + 1}`); s = s?.items; continue; }
    const next: JsonSchema | undefined = s?.properties?.[p];
    out.push(next?.title ?? humanize(p));
    s = next;
  }
  return out.join(' › ') || 'Parameters';
}

export interface ProblemLine { key: string; nodeId?: string; field: string; where: string; what: string; message: string }

/** Lines for the problems list: the node's name (or the flow), the field's label, the message. */
export function problemLines(problems: readonly FlowProblem[], nodeName: (id: string) => string | undefined, paramsOf: (id: string) => JsonSchema | undefined): ProblemLine[] {
  return problems.map((p, i) => {
    const field = p.field ?? '';
    return {
      key: `${i}:${p.nodeId ?? ''}:${field}`, nodeId: p.nodeId, field, message: p.message,
      where: p.nodeId ? nodeName(p.nodeId) ?? p.nodeId : 'Flow',
      what: field ? fieldLabel(field, p.nodeId ? paramsOf(p.nodeId) : undefined) : '',
    };
  });
}
