/** The http node's `auth`: an Authorization (or other) header built from a stored credential, at the moment of sending. */
import { permanent, type NodeContext } from './contract.js';
import { RESERVED_HEADERS } from './http-request.js';

export interface AuthParams {
  kind: 'none' | 'basic' | 'header';
  credentialId?: string;
}

const field = (data: Record<string, unknown>, key: string): string => (typeof data[key] === 'string' ? data[key] : '');

/** Headers for `auth`; the secret is read from the credential store for this attempt and never appears in an error. */
export async function authHeaders(ctx: NodeContext, auth: AuthParams | undefined): Promise<Record<string, string>> {
  if (auth === undefined || auth.kind === 'none') return {};
  if (!auth.credentialId) throw permanent('invalid_params', `params.auth.credentialId is required for ${auth.kind} auth`);
  if (!ctx.credentials) throw permanent('capability_missing', 'no credential store is available to this node');
  const data = await ctx.credentials.read(auth.credentialId, auth.kind);
  if (auth.kind === 'basic') {
    const user = field(data, 'username');
    if (user.includes(':')) throw permanent('credential_invalid', `credential ${auth.credentialId}: a basic username cannot contain ":"`);
    return { authorization: `Basic ${Buffer.from(`${user}:${field(data, 'password')}`, 'utf8').toString('base64')}` };
  }
  const name = field(data, 'name').toLowerCase();
  const value = field(data, 'value');
  if (!/^[a-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(name) || RESERVED_HEADERS.has(name) || /[\r\n\0]/.test(value)) {
    throw permanent('credential_invalid', `credential ${auth.credentialId} does not hold a usable header (name "${name.slice(0, 100)}")`);
  }
  return { [name]: value };
}
