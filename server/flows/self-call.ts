/** H-18: an http node whose URL is its own flow's webhook URL would run the flow again on every run; refused at save. */
import { sha256Hex } from '../secrets/crypto.js';
import type { FlowNodeDoc } from './flow-doc.js';
import type { FlowProblem } from './validate-flow.js';

const HOOK_TOKEN = /\/hooks\/([A-Za-z0-9_-]{16,128})/g;

/** One problem per http node whose saved `url` names the webhook token hashed as `tokenHash` (templates around it or not). */
export function selfCallProblems(nodes: readonly FlowNodeDoc[], tokenHash: string): FlowProblem[] {
  const out: FlowProblem[] = [];
  for (const n of nodes) {
    const url = n.type === 'http' ? (n.params as { url?: unknown }).url : undefined;
    if (typeof url !== 'string' || !url.includes('/hooks/')) continue;
    for (const m of url.matchAll(HOOK_TOKEN)) {
      if (sha256Hex(m[1]) !== tokenHash) continue;
      out.push({ nodeId: n.id, field: 'params.url', message: "is this flow's own webhook URL: every run would start another one (a loop)" });
      break;
    }
  }
  return out;
}
