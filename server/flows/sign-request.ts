/** "Sign with this flow's secret": the signature headers the flow's HMAC preset expects for a body, signed on the server (the browser never sees secrets). */
import type { Ids } from '../adapters/ids.js';
import { ApiError } from '../http/errors.js';
import type { AuthSecrets } from '../ingress/inbound-auth.js';
import { isValidWebhookId, idempotencyHeaderFor, resolveScheme } from '../ingress/signature-presets.js';
import type { HmacAuth } from '../ingress/signature.js';
import { signPreset } from '../ingress/signing.js';
import type { FlowView } from './flow-service.js';

export interface SignedHeaders {
  /** Lower-case header names → values, ready to send with exactly the given body. */
  headers: Record<string, string>;
  preset: string;
}

interface SignInput { body: string; headers: Record<string, string> }

const bad = (field: string, message: string): ApiError =>
  new ApiError(400, 'invalid_request', `field "${field}": ${message}`, [{ field, message }]);

function readInput(input: unknown): SignInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ApiError(400, 'invalid_request', 'the body must be an object { body, headers? }');
  const { body, headers } = input as { body?: unknown; headers?: unknown };
  if (typeof body !== 'string') throw bad('body', 'must be the exact request body as a string');
  if (headers !== undefined && (typeof headers !== 'object' || headers === null || Array.isArray(headers))) throw bad('headers', 'must be an object of strings');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (typeof v !== 'string') throw bad(`headers.${k}`, 'must be a string');
    out[k.toLowerCase()] = v;
  }
  return { body, headers: out };
}

/** Auth kinds whose "signature" is the secret itself: answering with it would hand the secret to the browser. */
const SECRET_KINDS: Readonly<Record<string, string>> = {
  basic: 'basic auth sends the username and password themselves',
  header: 'header auth sends the token itself',
};

/** Keeps the delivery id the caller already has (so re-signing an edited payload keeps it), else a fresh one. */
function deliveryId(auth: HmacAuth, headers: Record<string, string>, ids: Ids): string {
  const scheme = resolveScheme(auth);
  const name = typeof scheme === 'string' ? undefined : scheme.idHeader ?? idempotencyHeaderFor(scheme.preset);
  const given = name === undefined ? undefined : headers[name];
  return given !== undefined && isValidWebhookId(given) ? given : ids.next('msg');
}

export async function signForFlow(flow: FlowView, secrets: AuthSecrets, input: unknown, nowSec: number, ids: Ids): Promise<SignedHeaders> {
  const req = readInput(input);
  const trigger = flow.nodes.find((n) => n.type === 'webhook');
  if (!trigger) throw new ApiError(404, 'no_webhook', 'this flow has no webhook trigger');
  const auth = (trigger.params.auth ?? { kind: 'none' }) as { kind?: string; credentialId?: string };
  const kind = auth.kind ?? 'none';
  if (kind === 'none') throw new ApiError(400, 'nothing_to_sign', `node "${trigger.id}", field "params.auth.kind" is none: the webhook checks no signature`);
  if (SECRET_KINDS[kind] !== undefined) {
    throw new ApiError(400, 'secret_not_signable', `node "${trigger.id}", field "params.auth.kind" is ${kind}: ${SECRET_KINDS[kind]}, which is never sent to the browser; only hmac presets can be signed`);
  }
  if (kind !== 'hmac') throw new ApiError(400, 'nothing_to_sign', `node "${trigger.id}": auth kind ${kind} cannot be signed`);
  if (auth.credentialId === undefined) throw new ApiError(400, 'no_credential', `node "${trigger.id}", field "params.auth.credentialId" is not set`);
  const secret = (await secrets.forCredential(auth.credentialId))?.hmac?.[0];
  if (secret === undefined || secret === '') {
    throw new ApiError(400, 'credential_unusable', `node "${trigger.id}", field "params.auth.credentialId": the credential is missing, not an hmac or standard-webhooks credential, or unreadable`);
  }
  const hmac = trigger.params.auth as HmacAuth;
  try {
    return { headers: signPreset(hmac, secret, req.body, nowSec, deliveryId(hmac, req.headers, ids)), preset: hmac.preset ?? 'custom' };
  } catch (e) {
    // signPreset's messages name the configuration problem, never the secret.
    throw new ApiError(400, 'cannot_sign', `node "${trigger.id}": ${e instanceof Error ? e.message : 'the auth settings cannot be signed'}`);
  }
}
