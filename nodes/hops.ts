/**
 * Loop guard (H-17): every outgoing http call carries `Hookflow-Hop: n + 1`, where n is the hop count of the
 * delivery that started the execution; ingress refuses a delivery whose count passes MAX_HOPS with 508. A flow
 * that posts to its own URL (or two flows that post to each other) stops after MAX_HOPS executions.
 */

/** Lower-case, as ingress sees header names. */
export const HOP_HEADER = 'hookflow-hop';

/** Deliveries a chain of flows may pass on; the next one is refused (508 loop_detected). */
export const MAX_HOPS = 8;

/** The hop count a header value says; anything but a plain whole number counts as 0 (the first hop). */
export function hopCount(value: string | string[] | undefined): number {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  if (v === undefined) return 0;
  const t = v.trim();
  return /^\d{1,6}$/.test(t) ? Number(t) : 0;
}
