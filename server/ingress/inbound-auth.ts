/** Inbound auth for one request: resolve the webhook's credential, verify on the raw bytes, or answer 401. */
import type { HookEntry } from './hook-cache.js';
import { IngressError } from './ingress-error.js';
import { DEFAULT_TOKEN_HEADER, verifyInbound, type InboundAuth, type InboundSecrets } from './signature.js';

/** Resolves a credential id to the secrets the verifier needs; undefined when unknown or unreadable. */
export interface AuthSecrets {
  forCredential(credentialId: string): Promise<InboundSecrets | undefined>;
}

/** No credential store configured: every authenticated webhook fails closed. */
export const noSecrets: AuthSecrets = { forCredential: async () => undefined };

/**
 * Verifies the request or throws a 401 IngressError. On success with `kind: 'header'`, the header that carried the
 * static token (named by the node, else by the credential) is overwritten in `headers` with `[redacted]`, so the
 * token never reaches the stored envelope.
 */
export async function checkAuth(hook: HookEntry, secrets: AuthSecrets, raw: Buffer, headers: Record<string, string>, nowMs: number): Promise<void> {
  const result = await inspectAuth(hook, secrets, raw, headers, nowMs);
  if (!result.ok) throw unauthorized();
  if (result.tokenHeader !== undefined) headers[result.tokenHeader] = '[redacted]';
}

/** The outcome of the inbound check, with why it failed (for captures only: callers still get one answer for every cause). */
export type AuthInspection = { ok: boolean; reason?: string; tokenHeader?: string };

/**
 * Runs the same verifier as {@link checkAuth} without throwing. `tokenHeader` names the header that carries a
 * static token (`kind: 'header'`), whatever the outcome, so a caller can redact it.
 */
export async function inspectAuth(hook: HookEntry, secrets: AuthSecrets, raw: Buffer, headers: Record<string, string>, nowMs: number): Promise<AuthInspection> {
  const auth = hook.params.auth;
  if (auth === undefined || auth.kind === 'none') return { ok: true };
  const creds = auth.credentialId === undefined ? undefined : await secrets.forCredential(auth.credentialId);
  const tokenHeader = auth.kind === 'header' ? (auth.header || creds?.header?.name || DEFAULT_TOKEN_HEADER).toLowerCase() : undefined;
  if (creds === undefined) return { ok: false, reason: 'the credential is missing, of a type that cannot check requests, or unreadable', tokenHeader };
  const result = verifyInbound(auth as InboundAuth, creds, raw, headers, Math.floor(nowMs / 1000));
  return result.ok ? { ok: true, tokenHeader } : { ok: false, reason: result.reason, tokenHeader };
}

/** One answer for every auth failure, so a caller learns nothing about which part was wrong. */
const unauthorized = (): IngressError =>
  new IngressError(401, 'unauthorized', 'signature or credentials missing or invalid');
