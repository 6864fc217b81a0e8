/** Flow lifecycle: validate, save a new version, seal and rotate webhook tokens, keep the hook cache in step. */
import type { NodeRegistry } from '../../nodes/registry.js';
import type { Ids } from '../adapters/ids.js';
import { ApiError, notFound } from '../http/errors.js';
import type { HookCache } from '../ingress/hook-cache.js';
import { seal, open, sha256Hex } from '../secrets/crypto.js';
import type { FlowStore, StoredFlow } from '../store/types.js';
import { VersionConflict } from '../store/types.js';
import type { Flow, FlowInput } from './flow-doc.js';
import type { ParamsValidator } from './params-validator.js';
import { validateFlow, type FlowProblem } from './validate-flow.js';
import { selfCallProblems } from './self-call.js';
import { callCycleProblems } from './call-cycles.js';

export interface FlowView extends Flow {
  webhook: { url: string; token: string };
  /**
   * Credential problems of the current document (a named credential that does not exist here or has the wrong
   * type): an inactive flow may be saved with them (`credentialProblems: 'flag'`, e.g. after an import) and
   * fixed in place; it cannot be activated until the list is empty.
   */
  flags: FlowProblem[];
}

/** How a save treats credential problems: refuse it (400), or keep the flow inactive and flag the nodes. */
export interface SaveOptions {
  /** @default 'refuse' */
  credentialProblems?: 'refuse' | 'flag';
}

const invalidFlow = (problems: readonly FlowProblem[]): ApiError => {
  const first = problems[0];
  const where = first.nodeId ? `node "${first.nodeId}", field "${first.field}"` : `field "${first.field}"`;
  return new ApiError(400, 'invalid_flow', `${where}: ${first.message}`, problems);
};

export interface FlowServiceDeps {
  flows: FlowStore;
  registry: NodeRegistry;
  params: ParamsValidator;
  hooks: HookCache;
  ids: Ids;
  tokenKey: Buffer;
  /** Base of webhook URLs: HOOKFLOW_HOOKS_URL, else HOOKFLOW_PUBLIC_URL, else the listen address. */
  publicUrl(): string;
  /** Save-time check that named credentials exist and fit (credentials/flow-refs.ts). */
  checkCredentialRefs?(nodes: FlowInput['nodes']): Promise<FlowProblem[]>;
}

export function createFlowService(d: FlowServiceDeps) {
  const newToken = (flowId: string) => {
    const token = d.ids.token();
    return { hash: sha256Hex(token), sealed: seal(d.tokenKey, token, `webhook-token:${flowId}`) };
  };
  const flagsOf = async (nodes: Flow['nodes']): Promise<FlowProblem[]> => (d.checkCredentialRefs ? d.checkCredentialRefs(nodes) : []);
  const view = async (f: StoredFlow): Promise<FlowView> => {
    const token = open(d.tokenKey, f.tokenSealed, `webhook-token:${f.id}`);
    const { tokenHash: _h, tokenSealed: _s, ...flow } = f;
    return { ...flow, webhook: { url: `${d.publicUrl()}/hooks/${token}`, token }, flags: await flagsOf(f.nodes) };
  };
  /** The checked input; credential problems refuse the save unless the flow stays inactive and they may be flags. */
  const validated = async (body: unknown, willBeActive: (input: FlowInput) => boolean, opts: SaveOptions) => {
    const checked = validateFlow(body, d.registry, d.params);
    const { input } = checked;
    if (!input) throw invalidFlow(checked.problems);
    const flags = await flagsOf(input.nodes);
    if (flags.length > 0 && (opts.credentialProblems !== 'flag' || willBeActive(input))) throw invalidFlow(flags);
    const onError = input.settings?.onError;
    if (onError !== undefined && !(await d.flows.get(onError)))
      throw invalidFlow([{ field: 'settings.onError', message: `no flow "${onError}" to run when this flow fails` }]);
    return input;
  };
  const must = async (p: Promise<StoredFlow | undefined>): Promise<StoredFlow> => {
    const f = await p;
    if (!f) throw notFound('flow');
    return f;
  };
  return {
    async create(body: unknown, opts: SaveOptions = {}): Promise<FlowView> {
      const input = await validated(body, (i) => i.active === true, opts);
      const id = d.ids.next('flw');
      return view(await d.flows.create(id, input, newToken(id)));
    },
    async update(id: string, body: unknown, opts: SaveOptions = {}): Promise<FlowView> {
      const current = await d.flows.get(id);
      const input = await validated(body, (i) => i.active ?? current?.active === true, opts);
      const loops = current ? [...selfCallProblems(input.nodes, current.tokenHash), ...await callCycleProblems(id, input.nodes, async (f) => (await d.flows.get(f))?.nodes)] : [];
      if (loops.length > 0) throw new ApiError(400, 'invalid_flow', `node "${loops[0].nodeId}", field "${loops[0].field}": ${loops[0].message}`, loops);
      const expected = (body as { version?: unknown }).version;
      try {
        const f = await must(d.flows.update(id, input, typeof expected === 'number' ? expected : undefined));
        d.hooks.invalidate(id);
        return view(f);
      } catch (e) {
        if (e instanceof VersionConflict) throw new ApiError(409, 'version_conflict', `${e.message}; reload it and save again`);
        throw e;
      }
    },
    get: async (id: string) => view(await must(d.flows.get(id))),
    /** One saved version's document (what an execution ran), without the webhook token. */
    async getVersion(id: string, version: number): Promise<Pick<Flow, 'id' | 'name' | 'version' | 'nodes' | 'edges' | 'notes' | 'settings'>> {
      const f = await d.flows.getVersion(id, version);
      if (!f) throw notFound('flow version');
      return { id: f.id, name: f.name, version: f.version, nodes: f.nodes, edges: f.edges, ...(f.notes ? { notes: f.notes } : {}), ...(f.settings ? { settings: f.settings } : {}) };
    },
    async list(limit: number, cursor?: string) {
      const page = await d.flows.list({ limit, cursor });
      return { ...page, items: await Promise.all(page.items.map(view)) };
    },
    async setActive(id: string, active: boolean) {
      if (active) {
        const flags = await flagsOf((await must(d.flows.get(id))).nodes);
        if (flags.length > 0) throw invalidFlow(flags);
      }
      const f = await must(d.flows.setActive(id, active));
      d.hooks.invalidate(id);
      return view(f);
    },
    async rotateToken(id: string) {
      await must(d.flows.get(id));
      const f = await must(d.flows.setToken(id, newToken(id)));
      d.hooks.invalidate(id);
      return view(f);
    },
    async remove(id: string) {
      if (!(await d.flows.delete(id))) throw notFound('flow');
      d.hooks.invalidate(id);
    },
  };
}
export type FlowService = ReturnType<typeof createFlowService>;
