/** Typed fetch wrapper: one function per API route; failures come back as an ApiError value, never thrown. */
import type {
  ApiTokenInfo, Credential, ExecutionDetail, ExecutionListItem, Flow, FlowInput, FlowVersionList, Me, Movement, NodeRunRequest, NodeRunResult, NodeTypeInfo, Page, StockItem, WebhookDocs,
} from './types';

export interface ApiError {
  ok: false;
  status: number;
  code: string;
  message: string;
  details?: unknown;
}
export type Result<T> = { ok: true; value: T } | ApiError;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toError(status: number, body: unknown): ApiError {
  const e = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  return {
    ok: false, status,
    code: typeof e?.code === 'string' ? e.code : status === 0 ? 'network_error' : `http_${status}`,
    message: typeof e?.message === 'string' ? e.message : status === 0 ? 'The server could not be reached.' : `Request failed (${status}).`,
    details: e?.details,
  };
}

/** The one place that talks HTTP. `T` is the documented answer of the route. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<Result<T>> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method, credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return toError(0, undefined);
  }
  const text = await res.text();
  let parsed: unknown;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
  if (!res.ok) return toError(res.status, parsed);
  return { ok: true, value: parsed as T };
}

const q = (params: Record<string, string | number | undefined>): string => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  const t = s.toString();
  return t ? `?${t}` : '';
};
const id = (s: string) => encodeURIComponent(s);

export const api = {
  setup: (email: string, password: string, token: string) => request<Me>('POST', '/setup', { email, password, token }),
  login: (email: string, password: string) => request<Me>('POST', '/auth/login', { email, password }),
  logout: () => request<void>('POST', '/auth/logout', {}),
  me: () => request<Me>('GET', '/auth/me'),
  listTokens: () => request<Page<ApiTokenInfo>>('GET', '/tokens'),
  createToken: (name: string, scope: 'owner' | 'read' = 'owner') => request<ApiTokenInfo>('POST', '/tokens', { name, scope }),
  deleteToken: (tokenId: string) => request<void>('DELETE', `/tokens/${id(tokenId)}`),
  listFlows: (cursor?: string) => request<Page<Flow>>('GET', `/flows${q({ limit: 100, cursor })}`),
  getFlow: (flowId: string) => request<Flow>('GET', `/flows/${id(flowId)}`),
  /** One saved version's nodes and edges: what an execution of that version ran. */
  getFlowVersion: (flowId: string, version: number) =>
    request<Pick<Flow, 'id' | 'name' | 'version' | 'nodes' | 'edges'>>('GET', `/flows/${id(flowId)}/versions/${version}`),
  /** `flagCredentials`: save an inactive flow even if it names credentials missing here; they come back as `flags`. */
  createFlow: (input: FlowInput, flagCredentials = false) => request<Flow>('POST', `/flows${flagCredentials ? '?credentialProblems=flag' : ''}`, input),
  updateFlow: (flowId: string, input: FlowInput, flagCredentials = false) =>
    request<Flow>('PUT', `/flows/${id(flowId)}${flagCredentials ? '?credentialProblems=flag' : ''}`, input),
  /** Run one node on an input in the sandbox (side effects dry unless `sideEffects`); nothing is recorded. */
  runNode: (flowId: string, nodeId: string, body: NodeRunRequest) => request<NodeRunResult>('POST', `/flows/${id(flowId)}/nodes/${id(nodeId)}/run`, body),
  publishFlow: (flowId: string, version?: number) => request<Flow>('POST', `/flows/${id(flowId)}/publish`, version === undefined ? {} : { version }),
  listVersions: (flowId: string) => request<FlowVersionList>('GET', `/flows/${id(flowId)}/versions`),
  restoreVersion: (flowId: string, version: number) => request<Flow>('POST', `/flows/${id(flowId)}/versions/${version}/restore`, {}),
  deleteFlow: (flowId: string) => request<void>('DELETE', `/flows/${id(flowId)}`),
  activateFlow: (flowId: string) => request<Flow>('POST', `/flows/${id(flowId)}/activate`, {}),
  deactivateFlow: (flowId: string) => request<Flow>('POST', `/flows/${id(flowId)}/deactivate`, {}),
  flowDocs: (flowId: string) => request<WebhookDocs>('GET', `/flows/${id(flowId)}/docs`),
  rotateToken: (flowId: string) => request<Flow>('POST', `/flows/${id(flowId)}/rotate-token`, {}),
  testFlow: (flowId: string, event: { method?: string; headers?: Record<string, string>; body: unknown }) =>
    request<ExecutionDetail>('POST', `/flows/${id(flowId)}/test`, event),
  listExecutions: (f: { flowId?: string; status?: string; since?: number; until?: number; limit?: number; cursor?: string }) =>
    request<Page<ExecutionListItem>>('GET', `/executions${q(f)}`),
  /** Starts a test run and answers at once with its id; follow it with `followRun`. */
  startTest: (flowId: string, event: { method?: string; headers?: Record<string, string>; query?: Record<string, string | string[]>; body: unknown }) =>
    request<{ executionId: string }>('POST', `/flows/${id(flowId)}/test`, { ...event, wait: false }),
  getExecution: (exId: string) => request<ExecutionDetail>('GET', `/executions/${id(exId)}`),
  replay: (exId: string, mode?: 'resume') =>
    request<{ executionId: string; mode: string; replayOf?: string }>('POST', `/executions/${id(exId)}/replay`, mode ? { mode } : {}),
  cancel: (exId: string) => request<{ executionId: string; status: string }>('POST', `/executions/${id(exId)}/cancel`, {}),
  nodeTypes: () => request<Page<NodeTypeInfo>>('GET', '/node-types'),
  listInventory: (search?: string, cursor?: string) => request<Page<StockItem>>('GET', `/inventory${q({ search, cursor, limit: 50 })}`),
  setStock: (sku: string, body: { name?: string; quantity: number }) => request<StockItem>('PUT', `/inventory/${id(sku)}`, body),
  movements: (sku: string) => request<Page<Movement>>('GET', `/inventory/${id(sku)}/movements${q({ limit: 50 })}`),
  listCredentials: () => request<Page<Credential>>('GET', '/credentials'),
  createCredential: (name: string, type: string, data: Record<string, unknown>) =>
    request<Credential>('POST', '/credentials', { name, type, data }),
  deleteCredential: (credId: string) => request<void>('DELETE', `/credentials/${id(credId)}`),
};
