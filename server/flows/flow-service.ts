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
import { codeProblems, type CompileCode } from './code-check.js';
import { NodeError } from '../../nodes/contract.js';

export interface FlowView extends Flow {
  webhook: { url: string; token: string };
  /** The version webhooks run; null until the flow is first published (or activated). */
  publishedVersion: number | null;
  /** The latest saved version (= `version`): a draft while it differs from `publishedVersion`. */
  latestVersion: number;
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
  /** Publish the saved version at once (`?publish=true`, the CLI import). @default false */
  publish?: boolean;
  /** Who saves: a label ("cli", "api token"), or a user (shown by email) and how they came in. */
  savedBy?: string | { userId: string; via?: string };
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
  /** Compiles user code in the sandbox child without running it; absent where this process runs no sandbox. */
  compileCode?: CompileCode;
  /** A user's email, for "saved by" in the version list. */
  userEmail?(userId: string): Promise<string | undefined>;
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
    return { ...flow, latestVersion: f.version, webhook: { url: `${d.publicUrl()}/hooks/${token}`, token }, flags: await flagsOf(f.nodes) };
  };
  /** The checked input; credential problems refuse the save unless the flow stays inactive and they may be flags. */
  const validated = async (body: unknown, willBeActive: (input: FlowInput) => boolean, opts: SaveOptions) => {
    const checked = validateFlow(body, d.registry, d.params);
    const { input } = checked;
    if (!input) throw invalidFlow(checked.problems);
    const broken = await compiled(input.nodes);
    if (broken.length > 0) throw invalidFlow(broken);
    const flags = await flagsOf(input.nodes);
    if (flags.length > 0 && (opts.credentialProblems !== 'flag' || willBeActive(input))) throw invalidFlow(flags);
    const onError = input.settings?.onError;
    if (onError !== undefined && !(await d.flows.get(onError)))
      throw invalidFlow([{ field: 'settings.onError', message: `no flow "${onError}" to run when this flow fails` }]);
    return input;
  };
  /** Nothing unrunnable is saved: code that does not compile is a 400 naming node, field, line and column. */
  const compiled = async (nodes: FlowInput['nodes']): Promise<FlowProblem[]> => {
    if (!d.compileCode) return [];
    try {
      return await codeProblems(nodes, d.registry, d.compileCode);
    } catch (e) {
      if (e instanceof NodeError) throw new ApiError(503, 'sandbox_unavailable', `the code could not be checked: ${e.message}; try again`);
      throw e;
    }
  };
  const metaOf = async (opts: SaveOptions) => ({ savedBy: await savedByLabel(opts.savedBy), publish: opts.publish === true });
  const savedByLabel = async (by: SaveOptions['savedBy']): Promise<string | undefined> => {
    if (by === undefined || typeof by === 'string') return by;
    const email = (await d.userEmail?.(by.userId)) ?? `user ${by.userId}`;
    return by.via ? `${email} (${by.via})` : email;
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
      return view(await d.flows.create(id, input, newToken(id), await metaOf(opts)));
    },
    async update(id: string, body: unknown, opts: SaveOptions = {}): Promise<FlowView> {
      const current = await d.flows.get(id);
      const input = await validated(body, (i) => i.active ?? current?.active === true, opts);
      const loops = current ? [...selfCallProblems(input.nodes, current.tokenHash), ...await callCycleProblems(id, input.nodes, async (f) => (await d.flows.get(f))?.nodes)] : [];
      if (loops.length > 0) throw new ApiError(400, 'invalid_flow', `node "${loops[0].nodeId}", field "${loops[0].field}": ${loops[0].message}`, loops);
      const expected = (body as { version?: unknown }).version;
      try {
        const f = await must(d.flows.update(id, input, typeof expected === 'number' ? expected : undefined, await metaOf(opts)));
        d.hooks.invalidate(id);
        return view(f);
      } catch (e) {
        if (e instanceof VersionConflict) throw new ApiError(409, 'version_conflict', `${e.message}; reload it and save again`);
        throw e;
      }
    },
    get: async (id: string) => view(await must(d.flows.get(id))),
    /** The flow as its webhook answers now: the published version's document (the latest when never published). */
    async getLive(id: string): Promise<FlowView> {
      const f = await must(d.flows.get(id));
      const v = f.publishedVersion;
      const doc = v === null || v === f.version ? undefined : await d.flows.getVersion(id, v);
      return view(doc ? { ...f, nodes: doc.nodes, edges: doc.edges } : f);
    },
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
    /**
     * Makes a saved version live (default: the latest). Only a version that passes every check a save makes today
     * (graph, params, code that compiles, credentials that exist) can be published: else 400 naming node and field.
     */
    async publish(id: string, version?: number): Promise<FlowView> {
      const current = await must(d.flows.get(id));
      const v = version ?? current.version;
      const doc = v === current.version ? current : await d.flows.getVersion(id, v);
      if (!doc) throw notFound('flow version');
      await validated({ name: current.name, nodes: doc.nodes, edges: doc.edges, notes: doc.notes }, () => true, {});
      const f = await must(d.flows.publish(id, v));
      d.hooks.invalidate(id);
      return view(f);
    },
    /** Saved versions, newest first, with who saved them and when, and which one is live. */
    async versions(id: string) {
      const list = await d.flows.listVersions(id);
      if (!list) throw notFound('flow');
      const f = await must(d.flows.get(id));
      return { items: list.map((v) => ({ ...v, published: v.version === f.publishedVersion })), total: list.length, nextCursor: null, publishedVersion: f.publishedVersion, latestVersion: f.version };
    },
    /** Saves an old version's document as a new draft (nothing is published). */
    async restore(id: string, version: number, opts: SaveOptions = {}): Promise<FlowView> {
      const current = await must(d.flows.get(id));
      const old = await d.flows.getVersion(id, version);
      if (!old) throw notFound('flow version');
      return this.update(id, { name: current.name, nodes: old.nodes, edges: old.edges, ...(old.notes ? { notes: old.notes } : {}) }, { ...opts, publish: false, credentialProblems: 'flag' });
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
