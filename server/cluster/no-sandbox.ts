/** An `ingress` process runs no flows, so it starts no sandbox child: this stands in for it (always ready, never runs code). */
import { permanent } from '../../nodes/contract.js';
import type { SupervisedSandbox } from '../sandbox/supervisor.js';

export function noSandbox(): SupervisedSandbox {
  return {
    run: async () => { throw permanent('sandbox_absent', 'this process runs no flows (HOOKFLOW_ROLE=ingress)'); },
    ready: async () => undefined,
    close: async () => undefined,
    stats: () => ({ restarts: 0, pending: 0 }),
  };
}
