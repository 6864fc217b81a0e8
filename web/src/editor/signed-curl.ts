/** A curl command with literal, already computed signature headers (the webhook docs' "sign this example now"). */

import { shellQuote } from '../../../server/flows/shell-quote.js';

export { shellQuote };

export interface SignedRequest {
  url: string;
  method: string;
  contentType?: string;
  body?: string;
  /** The headers the server signed, lower-case names. */
  headers: Record<string, string>;
}

export function signedCurl(r: SignedRequest): string {
  const args = [`curl -sS -X ${r.method} ${shellQuote(r.url)}`];
  if (r.contentType !== undefined) args.push(`-H ${shellQuote(`content-type: ${r.contentType}`)}`);
  for (const [k, v] of Object.entries(r.headers)) if (k !== 'content-type') args.push(`-H ${shellQuote(`${k}: ${v}`)}`);
  if (r.body !== undefined) args.push(`--data-raw ${shellQuote(r.body)}`);
  return args.join(' \\\n  ') + '\n';
}
