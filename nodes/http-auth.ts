/** The http node's `auth`: an Authorization (or other) header built from a stored credential, at the moment of sending. */
import { permanent, type NodeContext } from './contract.js';
import { RESERVED_HEADERS } from './http-request.js';

export interface AuthParams {
  kind: 'none' | 'basic' | 'header';
  credentialId?: string;
}

const field = (data: Record<string, unknown>, key: string): string => (typeof data[key] === 'string' ? data[key] : '');

/** What `auth` adds to a request: its headers, and the secrets in them (to cut out of whatever the server echoes, A-14). */
export interface AuthHeaders {
  headers: Record<string, string>;
  secrets: string[];
}

/** Headers for `auth`; the secret is read from the credential store for this attempt and never appears in an error. */
export async function authHeaders(ctx: NodeContext, auth: AuthParams | undefined): Promise<AuthHeaders> {
  if (auth === undefined || auth.kind === 'none') return { headers: {}, secrets: [] };
  if (!auth.credentialId) throw permanent('invalid_params', `params.auth.credentialId is required for ${auth.kind} auth`);
  if (!ctx.credentials) throw permanent('capability_missing', 'no credential store is available to this node');
  const data = await ctx.credentials.read(auth.credentialId, auth.kind);
  // The credential store's own rules (credential-types.ts) already hold the username free of ":" and the
  // header to a token name and a visible-ASCII value; only the transport's reserved names are ours to refuse.
  if (auth.kind === 'basic') {
    const password = field(data, 'password');
    return { headers: { authorization: `Basic ${Buffer.from(`${field(data, 'username')}:${password}`, 'utf8').toString('base64')}` }, secrets: [password] };
  }
  const name = field(data, 'name').toLowerCase();
  if (RESERVED_HEADERS.has(name)) throw permanent('credential_invalid', `credential ${auth.credentialId} names the header "${name}", which the transport sets`);
  const value = field(data, 'value');
  // A bearer token is echoed without its scheme just as often as with it.
  const token = /^\S+\s+(\S{4,})$/.exec(value)?.[1];
  return { headers: { [name]: value }, secrets: token === undefined ? [value] : [value, token] };
}
