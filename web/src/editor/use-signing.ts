/** "Sign with this flow's secret": ask the server for the signature headers of the payload text and merge them into the headers editor. */
import { useCallback, useState } from 'react';
import { capturesApi } from '../api/captures';
import type { FlowEditor } from './use-flow-editor';
import { headersText, mergeHeaders, parseHeaders } from './test-headers';

/** The webhook node's hmac preset when it has one (only hmac kinds can be signed without handing out the secret). */
export function hmacPreset(ed: FlowEditor): string | undefined {
  const hook = ed.nodes.find((n) => n.data.nodeType === 'webhook');
  const auth = hook?.data.params.auth as { kind?: unknown; preset?: unknown } | undefined;
  if (auth?.kind !== 'hmac') return undefined;
  return typeof auth.preset === 'string' ? auth.preset : 'custom';
}

export interface Signing {
  /** The payload text the headers were last signed for; null when not signed (or the headers came from elsewhere). */
  signedFor: string | null;
  error: string | null;
  busy: boolean;
  /** Signs `payload` (saving unsaved changes first), writes the merged headers into the editor and returns them; a message on failure. */
  sign(payload: string, headers: string): Promise<Record<string, string> | string>;
  forget(): void;
}

export function useSigning(ed: FlowEditor, setHeaders: (text: string) => void): Signing {
  const [signedFor, setSignedFor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { dirty, save, flow } = ed;

  const sign = useCallback(async (payload: string, headers: string): Promise<Record<string, string> | string> => {
    const current = parseHeaders(headers);
    if (typeof current === 'string') { setError(current); return current; }
    const saved = dirty ? await save() : flow;
    if (!saved) return 'Save the flow first.';
    setBusy(true);
    const r = await capturesApi.sign(saved.id, payload, current);
    setBusy(false);
    if (!r.ok) { setError(`${r.message} (${r.code})`); setSignedFor(null); return r.message; }
    const merged = mergeHeaders(current, r.value.headers);
    setHeaders(headersText(merged));
    setSignedFor(payload);
    setError(null);
    return merged;
  }, [dirty, save, flow, setHeaders]);

  const forget = useCallback(() => { setSignedFor(null); setError(null); }, []);
  return { signedFor, error, busy, sign, forget };
}
