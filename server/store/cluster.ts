/** Messages between the processes of a cluster that share one PostgreSQL database (sent with NOTIFY, batched). */
import type { RunnerEvent } from '../runner/events.js';

export type ClusterMessage =
  /** A flow was saved, (de)activated, rotated or deleted: drop cached webhook look-ups. */
  | { k: 'flow'; id: string }
  /** A credential was rotated or deleted: drop its decrypted copy. */
  | { k: 'credential'; id: string }
  /** A flow's listen window opened (until, ms) or closed (null). */
  | { k: 'listen'; flowId: string; until: number | null }
  /** Someone in the cluster follows these executions live: relay their runner events. */
  | { k: 'watch'; ids: string[] }
  /** An execution was canceled: abort its in-flight node calls wherever it runs. */
  | { k: 'cancel'; id: string }
  /** Runner events of watched executions, from the process that runs them. */
  | { k: 'events'; events: RunnerEvent[] };

export interface ClusterChannel {
  /** This process's id in messages (messages it sent itself are not delivered back to it). */
  readonly origin: string;
  /** Queues a message for every other process; sent batched, at most one NOTIFY per channel and tick. */
  publish(msg: ClusterMessage): void;
  /** Every message from another process; returns the unsubscribe function. */
  onMessage(fn: (msg: ClusterMessage) => void): () => void;
  /** Work may be due: another process committed accepts it will not run itself (one NOTIFY per accept batch). */
  onWake(fn: () => void): () => void;
  /** The listening connection was lost and is back: messages may have been missed, so caches must be dropped. */
  onReconnect(fn: () => void): () => void;
}
