/** Options of the sandbox, their defaults, and the fixed limits handed to the child process. */
import type { Logger } from '../../nodes/contract.js';
import type { BackoffOptions } from './backoff.js';
import type { ChildConfig } from './protocol.js';

export interface SandboxOptions {
  /** Heap limit for user code (the isolate's memoryLimit), in MB. @default 64 */
  memoryMb?: number;
  /** CPU time limit for requests without `timeoutMs`, in ms (requests are clamped to 1…60000). @default 1000 */
  timeoutMs?: number;
  /** Wall-clock limit per call from its start; past it the isolate is disposed. @default timeoutMs + 1000 */
  wallMs?: number;
  /** Cap on the result's JSON. @default 1048576 */
  maxOutputBytes?: number;
  /** Cap on the result's nesting. @default 64 */
  maxDepth?: number;
  /** Console output kept per call and passed to `log.debug`. @default 16384 */
  maxLogBytes?: number;
  /** Warm contexts kept per lane, one per cacheKey (~0.3 MB of isolate heap each, reserved on top of memoryMb). @default 64 */
  maxContexts?: number;
  /**
   * Isolates in the child, each running one call at a time on its own thread. A group (a flow) holds at most one lane
   * at a time, so this many groups run side by side and none waits behind another's code. ~1.5 MB each while in use;
   * a lane idle for a minute gives its isolate back. @default 4
   */
  lanes?: number;
  /** The child ends itself (and is restarted) above this RSS, in MB. @default 512 */
  childRssMb?: number;
  /** Per-group back-off for code that keeps exceeding its limits (see backoff.ts). */
  backoff?: Partial<BackoffOptions>;
  log?: Logger;
}

export function childLimits(opts: SandboxOptions): ChildConfig {
  return {
    memoryMb: opts.memoryMb ?? 64,
    maxOutputBytes: opts.maxOutputBytes ?? 1024 * 1024,
    maxDepth: opts.maxDepth ?? 64,
    maxLogBytes: opts.maxLogBytes ?? 16 * 1024,
    maxContexts: opts.maxContexts ?? 64,
    childRssMb: opts.childRssMb ?? 512,
    lanes: opts.lanes ?? 4,
  };
}
