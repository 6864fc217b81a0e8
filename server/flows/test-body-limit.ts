/**
 * A test run's payload obeys the flow's body limit (the webhook's `maxBodyBytes`, else HOOKFLOW_MAX_BODY), and is
 * refused over it with the very answer the webhook URL gives (413 `payload_too_large`, same message and details):
 * a payload that "works" in the test panel but not at the URL would be a lie.
 */
import { ApiError } from '../http/errors.js';

interface FlowNodes { nodes: readonly { type: string; params?: unknown }[] }

/** The flow's limit on a webhook body, in bytes. */
export function bodyLimitOf(flow: FlowNodes, maxBodyDefault: number): number {
  const params = flow.nodes.find((n) => n.type === 'webhook')?.params as { maxBodyBytes?: unknown } | undefined;
  return typeof params?.maxBodyBytes === 'number' ? params.maxBodyBytes : maxBodyDefault;
}

/** The bytes a caller would send for this body: a string as it is (a captured text or form body), anything else as JSON. */
export function bodyBytes(body: unknown): number {
  if (body === undefined || body === null) return 0;
  return Buffer.byteLength(typeof body === 'string' ? body : JSON.stringify(body) ?? '');
}

/** Throws the webhook's own 413 when `body` is over the flow's limit. */
export function checkTestBody(flow: FlowNodes, body: unknown, maxBodyDefault: number): void {
  const maxBytes = bodyLimitOf(flow, maxBodyDefault);
  if (bodyBytes(body) > maxBytes) throw new ApiError(413, 'payload_too_large', `The body exceeds the limit of ${maxBytes} bytes`, { maxBytes });
}
