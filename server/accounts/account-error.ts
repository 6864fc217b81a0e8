/** The typed failures of the accounts module; the HTTP layer maps each code to a status. */

export type AccountErrorCode =
  | 'invalid_request'
  | 'setup_closed'
  | 'setup_token_invalid'
  | 'setup_in_progress'
  | 'owner_exists'
  | 'invalid_credentials'
  | 'too_many_attempts'
  | 'busy'
  | 'token_not_found';

export interface AccountErrorInfo {
  /** The request field at fault, for `invalid_request`. */
  field?: string;
  /** Seconds until a retry may succeed, for `too_many_attempts` and `busy`. */
  retryAfterSec?: number;
}

export class AccountError extends Error {
  constructor(readonly code: AccountErrorCode, message: string, readonly info: AccountErrorInfo = {}) {
    super(message);
    this.name = 'AccountError';
  }
}

export const invalidField = (field: string, problem: string): AccountError =>
  new AccountError('invalid_request', `${field} ${problem}`, { field });

/** Reads a JSON body as a plain object, or fails naming the body. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AccountError('invalid_request', 'the body must be a JSON object', { field: 'body' });
  return body as Record<string, unknown>;
}
