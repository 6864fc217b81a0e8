/** "Listen for a real event": open and close a flow's capture window, record deliveries, list them (docs/listen.md). */
import type { Clock } from '../../nodes/contract.js';
import type { Ids } from '../adapters/ids.js';
import { ApiError } from '../http/errors.js';
import type { CaptureSink, NewCapture } from '../ingress/capture.js';
import type { CaptureStore, ClusterChannel, ListPage } from '../store/types.js';
import { LIST_BODY_CHARS, toCaptureDetail, toCaptureView, type CaptureDetail, type CaptureView } from './capture-view.js';
import type { FlowView } from './flow-service.js';

export const DEFAULT_LISTEN_MINUTES = 5;
export const MAX_LISTEN_MINUTES = 15;
/** Three seconds: short windows exist for tests and quick checks. */
export const MIN_LISTEN_MINUTES = 0.05;
/** Captures kept per flow; older ones are pruned as new ones arrive. */
export const KEEP_CAPTURES = 50;

export interface ListenState {
  listening: boolean;
  /** ISO time the window closes; null when not listening. */
  listeningUntil: string | null;
  /** The flow's webhook URL to give the sender. */
  url: string;
}

export interface CaptureServiceDeps {
  repo: CaptureStore;
  /** In a cluster: windows opened or closed through another process reach this one's ingress at once. */
  cluster?: Pick<ClusterChannel, 'publish' | 'onMessage' | 'onReconnect'>;
  flows: { get(id: string): Promise<FlowView> };
  clock: Clock;
  ids: Ids;
}

function minutesOf(body: unknown): number {
  if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
    throw new ApiError(400, 'invalid_request', 'the body must be an object { minutes? }');
  }
  const minutes = (body as { minutes?: unknown } | null | undefined)?.minutes;
  if (minutes === undefined) return DEFAULT_LISTEN_MINUTES;
  if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < MIN_LISTEN_MINUTES || minutes > MAX_LISTEN_MINUTES) {
    const message = `must be a number from ${MIN_LISTEN_MINUTES} to ${MAX_LISTEN_MINUTES}`;
    throw new ApiError(400, 'invalid_request', `field "minutes": ${message}`, [{ field: 'minutes', message }]);
  }
  return minutes;
}

/** Open windows are kept in memory for the ingress hot path, loaded at start and kept current across the cluster. */
export async function createCaptureService(d: CaptureServiceDeps) {
  const load = async () => new Map((await d.repo.openWindows(d.clock.now())).map((w) => [w.flowId, w.until]));
  let windows = await load();
  d.cluster?.onMessage((m) => {
    if (m.k !== 'listen') return;
    if (m.until === null) windows.delete(m.flowId);
    else windows.set(m.flowId, m.until);
  });
  d.cluster?.onReconnect(() => { void load().then((w) => { windows = w; }, () => undefined); });
  const openUntil = (flowId: string): number | undefined => {
    const until = windows.get(flowId);
    if (until === undefined || until > d.clock.now()) return until;
    windows.delete(flowId);
    return undefined;
  };
  const state = (flow: FlowView): ListenState => {
    const until = openUntil(flow.id);
    return { listening: until !== undefined, listeningUntil: until === undefined ? null : new Date(until).toISOString(), url: flow.webhook.url };
  };
  const withWebhook = async (flowId: string): Promise<FlowView> => {
    const flow = await d.flows.get(flowId);
    if (!flow.nodes.some((n) => n.type === 'webhook')) throw new ApiError(400, 'no_webhook', 'this flow has no webhook trigger to listen on');
    return flow;
  };
  const sink: CaptureSink = {
    isListening: (flowId) => windows.size > 0 && openUntil(flowId) !== undefined,
    async record(c: NewCapture) {
      const id = d.ids.next('cap');
      return (await d.repo.insert({ ...c, id }, KEEP_CAPTURES)) ? id : undefined;
    },
  };
  return {
    sink,
    async listen(flowId: string, body: unknown): Promise<ListenState> {
      const minutes = minutesOf(body);
      const flow = await withWebhook(flowId);
      const until = d.clock.now() + Math.round(minutes * 60_000);
      if (!(await d.repo.setWindow(flowId, until))) throw new ApiError(404, 'not_found', 'flow not found');
      windows.set(flowId, until);
      d.cluster?.publish({ k: 'listen', flowId, until });
      return state(flow);
    },
    async stop(flowId: string): Promise<ListenState> {
      const flow = await d.flows.get(flowId);
      await d.repo.clearWindow(flowId);
      windows.delete(flowId);
      d.cluster?.publish({ k: 'listen', flowId, until: null });
      return state(flow);
    },
    status: async (flowId: string): Promise<ListenState> => state(await d.flows.get(flowId)),
    async list(flowId: string, limit: number, cursor?: string): Promise<ListPage<CaptureView>> {
      await d.flows.get(flowId);
      const page = await d.repo.list(flowId, limit, cursor);
      return { ...page, items: page.items.map((c) => toCaptureView(c, LIST_BODY_CHARS)) };
    },
    async get(flowId: string, captureId: string): Promise<CaptureDetail> {
      await d.flows.get(flowId);
      const c = await d.repo.get(flowId, captureId);
      if (!c) throw new ApiError(404, 'not_found', 'capture not found');
      return toCaptureDetail(c);
    },
  };
}

export type CaptureService = Awaited<ReturnType<typeof createCaptureService>>;
