/**
 * The test panel's payload and headers, per flow: kept in memory for tab switches and in localStorage for reloads.
 * A payload of more than 1 MB is kept in memory only (this tab, until it is reloaded): writing megabytes to
 * localStorage would block the page, and its quota is a few megabytes per site anyway.
 */
export interface TestEvent { payload: string; headers: string }

const memory = new Map<string, TestEvent>();
const MAX_STORED_CHARS = 1_000_000;
const keyOf = (flowId: string): string => `hookflow.test-event.${flowId}`;

export function loadTestEvent(flowId: string): TestEvent | null {
  const held = memory.get(flowId);
  if (held) return held;
  try {
    const raw = localStorage.getItem(keyOf(flowId));
    const v = raw ? JSON.parse(raw) as Partial<TestEvent> : null;
    return v && typeof v.payload === 'string' && typeof v.headers === 'string' ? { payload: v.payload, headers: v.headers } : null;
  } catch { return null; }
}

/** At once in memory; `persist` writes it to localStorage too (the panel does that a moment after typing stops). */
export function keepTestEvent(flowId: string, ev: TestEvent, persist: boolean): void {
  memory.set(flowId, ev);
  if (!persist) return;
  if (ev.payload.length + ev.headers.length > MAX_STORED_CHARS) { try { localStorage.removeItem(keyOf(flowId)); } catch { /* memory only */ } return; }
  try { localStorage.setItem(keyOf(flowId), JSON.stringify(ev)); } catch {
    try { localStorage.removeItem(keyOf(flowId)); } catch { /* storage unavailable: memory only */ }
  }
}

/** Signing out forgets every flow's test payload (this browser may be shared; payloads may hold personal data). */
export function forgetTestEvents(): void {
  memory.clear();
  try {
    const keys = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i)).filter((k): k is string => k?.startsWith('hookflow.test-event.') === true);
    for (const k of keys) localStorage.removeItem(k);
  } catch { /* storage unavailable */ }
}
