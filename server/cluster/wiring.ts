/** What a process needs to work in a cluster (PostgreSQL): shared caches kept current, wake-ups, cancels, relayed events. */
import type { ClusterChannel, Store } from '../store/types.js';
import type { HookCache } from '../ingress/hook-cache.js';
import type { Runner } from '../runner/runner.js';
import { createEventBus, type EventBus } from '../runner/events.js';
import { createClusterEvents } from './event-relay.js';

/** The plain bus on a single node; the relaying one when the store has a cluster channel. */
export function eventBusFor(store: Store): EventBus & { close(): void } {
  if (!store.cluster) return { ...createEventBus(), close: () => undefined };
  return createClusterEvents({ channel: store.cluster, load: (id) => store.executions.get(id) });
}

/** Flow changes through any process drop the cached webhook look-ups of every process. */
export function clusterHookCache(hooks: HookCache, channel: ClusterChannel | undefined): HookCache {
  if (!channel) return hooks;
  channel.onMessage((m) => { if (m.k === 'flow') hooks.invalidate(m.id); });
  channel.onReconnect(() => hooks.clear());
  return {
    resolve: (hash) => hooks.resolve(hash),
    invalidate(flowId) {
      hooks.invalidate(flowId);
      channel.publish({ k: 'flow', id: flowId });
    },
    clear: () => hooks.clear(),
  };
}

/** A worker wakes when another process committed work it will not run itself, and aborts what was canceled elsewhere. */
export function wireRunner(channel: ClusterChannel | undefined, runner: Runner): void {
  if (!channel) return;
  channel.onWake(() => runner.wake());
  channel.onMessage((m) => { if (m.k === 'cancel') runner.abort(m.id); });
}
