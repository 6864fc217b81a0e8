/** Node types beyond the core four, built with their dependencies (validate, condition). */
import type { NodeType } from '../nodes/contract.js';
import { createSchemaCompiler } from '../nodes/json-schema.js';
import { validateNode } from '../nodes/validate.js';
import { conditionNode } from '../nodes/condition.js';
import { httpNode } from '../nodes/http.js';
import { inventoryNode } from '../nodes/inventory.js';
import { emailNode } from '../nodes/email.js';
import { switchNode } from '../nodes/switch.js';
import { setNode } from '../nodes/set.js';
import { mergeNode } from '../nodes/merge.js';
import { splitNode, aggregateNode } from '../nodes/split.js';

/** `maxSplitItems`: HOOKFLOW_MAX_SPLIT_ITEMS, the server's cap on one split's items. */
export function extraNodeTypes(opts: { maxSplitItems?: number } = {}): NodeType[] {
  const schemas = createSchemaCompiler();
  return [validateNode({ schemas }), conditionNode, httpNode, inventoryNode, emailNode, switchNode, setNode, mergeNode, splitNode({ maxItems: opts.maxSplitItems }), aggregateNode];
}
