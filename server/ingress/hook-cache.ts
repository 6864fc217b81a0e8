/** Webhook look-up by token hash, cached in memory and invalidated by the flow service on every change. */
import type { Static } from '@sinclair/typebox';
import type { WebhookParams } from '../../nodes/webhook.js';
import type { StoredFlow, FlowStore } from '../store/types.js';
import { DEFAULT_ACCEPT } from './parse-body.js';

type Params = Static<typeof WebhookParams>;

export interface HookEntry {
  flowId: string;
  version: number;
  active: boolean;
  /** The flow starts from a webhook: flows started by a schedule or by other flows have no inbound URL (404). */
  inbound: boolean;
  triggerId: string;
  params: Params;
  methods: ReadonlySet<string>;
  allow: string;
  accept: readonly string[];
  maxBody: number;
  sync: boolean;
  syncTimeoutMs: number;
  idempotencyHeader?: string;
  dedupMs: number;
}

const DAY = 86_400_000;

export function toHookEntry(flow: StoredFlow, maxBodyDefault: number): HookEntry {
  const trigger = flow.nodes.find((n) => n.type === 'webhook');
  const params = (trigger?.params ?? {}) as Params;
  const methods = params.methods ?? ['POST'];
  return {
    flowId: flow.id, version: flow.version, active: flow.active, inbound: trigger !== undefined, triggerId: trigger?.id ?? '', params,
    methods: new Set(methods), allow: methods.join(', '), accept: params.accept ?? DEFAULT_ACCEPT,
    maxBody: params.maxBodyBytes ?? maxBodyDefault, sync: params.response?.mode === 'sync',
    syncTimeoutMs: params.response?.timeoutMs ?? 30_000, idempotencyHeader: params.idempotencyHeader?.toLowerCase(),
    dedupMs: (params.dedupWindowSec ?? 7 * 86_400) * 1000 || 7 * DAY,
  };
}

export interface HookCache {
  resolve(tokenHash: string): Promise<HookEntry | undefined>;
  /** Forget everything cached for a flow (after save, (de)activation, rotation, delete). */
  invalidate(flowId: string): void;
  /** Forget everything (a cluster's invalidations may have been missed). */
  clear(): void;
}

export function createHookCache(flows: FlowStore, maxBodyDefault: number, max = 10_000): HookCache {
  const byHash = new Map<string, HookEntry>();
  const hashByFlow = new Map<string, string>();
  /**
   * Webhooks run the published version: its document (methods, auth, limits) and its number. A flow never published
   * is not live (its latest draft only answers while listening for a test event).
   */
  const live = async (flow: StoredFlow | undefined): Promise<StoredFlow | undefined> => {
    if (!flow) return undefined;
    const v = flow.publishedVersion;
    if (v === null) return { ...flow, active: false };
    if (v === flow.version) return flow;
    const doc = await flows.getVersion(flow.id, v);
    return doc ? { ...flow, version: v, nodes: doc.nodes, edges: doc.edges } : { ...flow, active: false };
  };
  return {
    async resolve(hash) {
      const hit = byHash.get(hash);
      if (hit) return hit;
      const flow = await live(await flows.findByTokenHash(hash));
      if (!flow) return undefined;
      const entry = toHookEntry(flow, maxBodyDefault);
      if (byHash.size >= max) byHash.clear();
      byHash.set(hash, entry);
      hashByFlow.set(flow.id, hash);
      return entry;
    },
    invalidate(flowId) {
      const hash = hashByFlow.get(flowId);
      if (hash !== undefined) byHash.delete(hash);
      hashByFlow.delete(flowId);
    },
    clear() {
      byHash.clear();
      hashByFlow.clear();
    },
  };
}
