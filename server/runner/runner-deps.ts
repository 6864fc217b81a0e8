/** What the runner is built from; assembled in main.ts (or a test). */
import type { Capabilities, Clock, Logger, Sandbox, SafeRegex } from '../../nodes/contract.js';
import type { Store } from '../store/types.js';
import type { ParamsValidator } from '../flows/params-validator.js';
import type { FlowCache } from '../flows/compile-flow.js';
import type { EventBus } from './events.js';
import type { Rng } from './retry.js';
import type { OnFailed } from './error-flows.js';
import type { OnSettled } from './subflows.js';

export interface RunnerDeps {
  store: Store;
  flows: FlowCache;
  params: ParamsValidator;
  events: EventBus;
  clock: Clock;
  rng: Rng;
  log: Logger;
  sandbox: Sandbox;
  regex: SafeRegex;
  /** Capabilities for action nodes (http client, mailer, inventory, credentials). */
  capabilities: Capabilities;
  /** The resume URL of a `wait` step (`/hooks/resume/<token>`); without it wait nodes get no URL. */
  resumeUrl?(executionId: string, nodeId: string): string;
  /** Told when an execution is about to be marked failed (error flows, runner/error-flows.ts); awaited first. */
  onFailed?: OnFailed;
  /** Told after an execution is marked finished (a waiting parent of a called flow, runner/subflows.ts). */
  onSettled?: OnSettled;
  /** Stub side effects (shadow runs). */
  dryRun?: boolean;
  /** Told when an execution parks, so the scheduler can wake at its due time. */
  onParked(dueAt: number): void;
}
