/** The explicit list of node types, built with their dependencies. No directory scanning. */
import type { NodeType } from './contract.js';
import { webhookNode } from './webhook.js';
import { transformNode } from './transform.js';
import { respondNode } from './respond.js';
import { delayNode } from './delay.js';
import { waitNode } from './wait.js';
import { callNode } from './call.js';
import { callTriggerNode } from './call-trigger.js';
import { scheduleNode } from './schedule.js';

export interface NodeRegistry {
  get(type: string): NodeType | undefined;
  all(): readonly NodeType[];
}

export function createNodeRegistry(extra: readonly NodeType[] = []): NodeRegistry {
  const list: NodeType[] = [webhookNode, transformNode, respondNode, delayNode, waitNode, callNode, callTriggerNode, scheduleNode, ...extra];
  const byType = new Map(list.map((n) => [n.type, n]));
  return { get: (t) => byType.get(t), all: () => list };
}
