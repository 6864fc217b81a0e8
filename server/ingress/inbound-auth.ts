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
  const auth = hook.params.auth;
  if (auth === undefined || auth.kind === 'none') return;
  const creds = auth.credentialId === undefined ? undefined : await secrets.forCredential(auth.credentialId);
  if (creds === undefined) throw unauthorized();
  const result = verifyInbound(auth as InboundAuth, creds, raw, headers, Math.floor(nowMs / 1000));
  if (!result.ok) throw unauthorized();
  if (auth.kind === 'header') headers[(auth.header || creds.header?.name || DEFAULT_TOKEN_HEADER).toLowerCase()] = '[redacted]';
}

/** One answer for every auth failure, so a caller learns nothing about which part was wrong. */
const unauthorized = (): IngressError =>
  new IngressError(401, 'unauthorized', 'signature or credentials missing or invalid');
