/** The listen state of one flow: start, stop, a countdown, and the captures polled every 2 s while the window is open. */
import { useCallback, useEffect, useState } from 'react';
import type { ApiError } from '../api/client';
import { capturesApi, type CaptureView, type ListenState } from '../api/captures';

export const POLL_MS = 2000;
export const LISTEN_MINUTES = 5;

export interface Listen {
  state: ListenState | null;
  captures: CaptureView[] | null;
  error: ApiError | null;
  /** ms left in the window (0 when not listening), ticking every second. */
  leftMs: number;
  busy: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function useListen(flowId: string | undefined): Listen {
  const [state, setState] = useState<ListenState | null>(null);
  const [captures, setCaptures] = useState<CaptureView[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const until = state?.listeningUntil ? Date.parse(state.listeningUntil) : 0;
  const open = until > now;

  const refresh = useCallback(async () => {
    if (!flowId) return;
    const r = await capturesApi.list(flowId);
    if (r.ok) { setCaptures(r.value.items); setError(null); } else setError(r);
  }, [flowId]);

  useEffect(() => {
    if (!flowId) return;
    void capturesApi.listenState(flowId).then((r) => { if (r.ok) setState(r.value); else setError(r); });
    void refresh();
  }, [flowId, refresh]);

  // While the window is open: the countdown ticks every second, the captures are fetched every POLL_MS.
  useEffect(() => {
    if (!open) return;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    const poll = setInterval(() => void refresh(), POLL_MS);
    return () => { clearInterval(tick); clearInterval(poll); void refresh(); };
  }, [open, refresh]);

  const start = useCallback(async () => {
    if (!flowId) return;
    setBusy(true);
    const r = await capturesApi.listen(flowId, LISTEN_MINUTES);
    setBusy(false);
    if (!r.ok) { setError(r); return; }
    setNow(Date.now()); setState(r.value); setError(null);
  }, [flowId]);

  const stop = useCallback(async () => {
    if (!flowId) return;
    setBusy(true);
    const r = await capturesApi.stopListening(flowId);
    setBusy(false);
    if (r.ok) { setState(r.value); setError(null); } else setError(r);
  }, [flowId]);

  return { state, captures, error, leftMs: open ? until - now : 0, busy, start, stop };
}
