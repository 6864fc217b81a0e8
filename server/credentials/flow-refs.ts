/** Where a flow names credentials (`credentialId`, `auth.credentialId`, `signing.credentialId`) and which types fit there. */
import type { FlowNodeDoc } from '../flows/flow-doc.js';
import type { FlowProblem } from '../flows/validate-flow.js';
import type { CredentialType } from './credential-types.js';

/** One place in a node's params that names a credential. */
export interface CredentialRef {
  nodeId: string;
  field: string;
  credentialId: unknown;
  /** Types that work there; undefined when any type may (the node checks at run time). */
  fits?: readonly CredentialType[];
  /** Why a credential is needed there, for messages; set when one is required. */
  requiredBy?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isTemplate = (v: unknown): boolean => typeof v === 'string' && v.includes('{{');

function webhookAuthRef(nodeId: string, auth: Record<string, unknown>): CredentialRef | undefined {
  const kind = auth.kind;
  const preset = typeof auth.preset === 'string' ? auth.preset : 'custom';
  const fits: readonly CredentialType[] | undefined = kind === 'hmac'
    ? (preset === 'standard-webhooks' ? ['standard-webhooks', 'hmac'] : ['hmac'])
    : kind === 'basic' ? ['basic'] : kind === 'header' ? ['header'] : undefined;
  if (fits === undefined && auth.credentialId === undefined) return undefined;
  const requiredBy = fits === undefined ? undefined : kind === 'hmac' ? `auth kind "hmac" (preset ${preset})` : `auth kind "${String(kind)}"`;
  return { nodeId, field: 'params.auth.credentialId', credentialId: auth.credentialId, fits, requiredBy };
}

function signingRef(nodeId: string, signing: Record<string, unknown>): CredentialRef | undefined {
  const kind = signing.kind;
  const fits: readonly CredentialType[] | undefined = kind === 'standard-webhooks' ? ['standard-webhooks'] : kind === 'hmac' ? ['hmac'] : undefined;
  if (fits === undefined && signing.credentialId === undefined) return undefined;
  const requiredBy = fits === undefined ? undefined : `signing kind "${String(kind)}"`;
  return { nodeId, field: 'params.signing.credentialId', credentialId: signing.credentialId, fits, requiredBy };
}

function httpAuthRef(nodeId: string, auth: Record<string, unknown>): CredentialRef | undefined {
  const kind = auth.kind;
  const fits: readonly CredentialType[] | undefined = kind === 'basic' ? ['basic'] : kind === 'header' ? ['header'] : undefined;
  if (fits === undefined && auth.credentialId === undefined) return undefined;
  return { nodeId, field: 'params.auth.credentialId', credentialId: auth.credentialId, fits, requiredBy: fits ? `auth kind "${String(kind)}"` : undefined };
}

/** Every credential reference in one node's params. */
export function credentialRefs(node: FlowNodeDoc): CredentialRef[] {
  const p = isObject(node.params) ? node.params : {};
  const refs: CredentialRef[] = [];
  if (p.credentialId !== undefined) {
    refs.push({ nodeId: node.id, field: 'params.credentialId', credentialId: p.credentialId, fits: node.type === 'email' ? ['smtp'] : undefined });
  }
  const auth = !isObject(p.auth) ? undefined : node.type === 'webhook' ? webhookAuthRef(node.id, p.auth)
    : node.type === 'http' ? httpAuthRef(node.id, p.auth)
    : p.auth.credentialId === undefined ? undefined : { nodeId: node.id, field: 'params.auth.credentialId', credentialId: p.auth.credentialId };
  if (auth) refs.push(auth);
  const signing = isObject(p.signing) ? signingRef(node.id, p.signing) : undefined;
  if (signing) refs.push(signing);
  return refs;
}

/** True when any node of the document names `credentialId` in any credential field. */
export const usesCredential = (nodes: readonly FlowNodeDoc[], credentialId: string): boolean =>
  nodes.some((n) => credentialRefs(n).some((r) => r.credentialId === credentialId));

/**
 * Save-time check: every named credential exists and has a fitting type, and nodes that need one name one.
 * `typeOf` answers a credential's type, or undefined when there is no such credential.
 */
export async function checkCredentialRefs(
  nodes: readonly FlowNodeDoc[], typeOf: (id: string) => Promise<string | undefined>,
): Promise<FlowProblem[]> {
  const problems: FlowProblem[] = [];
  for (const ref of nodes.flatMap(credentialRefs)) {
    const { nodeId, field, credentialId: id } = ref;
    if (id === undefined || id === '') {
      if (ref.requiredBy) problems.push({ nodeId, field, message: `${ref.requiredBy} needs a credential id` });
      continue;
    }
    if (typeof id !== 'string' || isTemplate(id)) continue;
    const type = await typeOf(id);
    const shown = JSON.stringify(id.slice(0, 100));
    if (type === undefined) problems.push({ nodeId, field, message: `no credential ${shown} exists` });
    else if (ref.fits && !(ref.fits as readonly string[]).includes(type)) {
      const where = ref.requiredBy ?? 'this field';
      problems.push({ nodeId, field, message: `credential ${shown} is of type ${type}; ${where} needs type ${ref.fits.join(' or ')}` });
    }
  }
  return problems;
}
