/** Options of the sandbox, their defaults, and the fixed limits handed to the child process. */
import type { Logger } from '../../nodes/contract.js';
import type { ChildConfig } from './protocol.js';

export interface SandboxOptions {
  /** Heap limit for user code (the isolate's memoryLimit), in MB. @default 64 */
  memoryMb?: number;
  /** CPU time limit for requests without `timeoutMs`, in ms (requests are clamped to 1…60000). @default 1000 */
  timeoutMs?: number;
  /** Wall-clock limit per call; past it the isolate is disposed. @default 2 × timeoutMs + 500 */
  wallMs?: number;
  /** Cap on the result's JSON. @default 1048576 */
  maxOutputBytes?: number;
  /** Cap on the result's nesting. @default 64 */
  maxDepth?: number;
  /** Console output kept per call and passed to `log.debug`. @default 16384 */
  maxLogBytes?: number;
  /** Warm contexts kept, one per cacheKey (~165 KB of isolate heap each, reserved on top of memoryMb). @default 64 */
  maxContexts?: number;
  /** The child ends itself (and is restarted) above this RSS, in MB. @default 512 */
  childRssMb?: number;
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
  };
}
