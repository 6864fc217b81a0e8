/** IngressError: the one typed failure the hooks router turns into an HTTP answer `{ error: { code, message, details? } }`. */

/** Extra fields of an {@link IngressError}; all optional. */
export interface IngressErrorOptions {
  /** Response headers the router must send with the answer (e.g. `Retry-After`, `Allow`). */
  headers?: Record<string, string>;
  /** JSON-safe detail sent to the caller under `error.details`. Never put secrets or payload bytes here. */
  details?: unknown;
  /**
   * The request body was not (fully) read, so the connection cannot be reused: the router answers with
   * `Connection: close` (already present in `headers`) and Node closes the socket after the response.
   * @default false
   */
  closeConnection?: boolean;
  /** The underlying error, kept for logs only; never sent to the caller. */
  cause?: unknown;
}

/** JSON body of an error answer, as fixed by DESIGN §9. */
export interface IngressErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/**
 * A 4xx/5xx answer decided by the ingress (size, encoding, media type, parsing, rate limit …).
 * `code` is snake_case and stable; `message` is for humans and never echoes payload bytes.
 *
 * @example throw new IngressError(415, 'unsupported_media_type', 'Content-Type text/xml is not accepted')
 */
export class IngressError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers?: Record<string, string>;
  readonly details?: unknown;
  readonly closeConnection: boolean;

  constructor(status: number, code: string, message: string, options: IngressErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IngressError';
    this.status = status;
    this.code = code;
    this.closeConnection = options.closeConnection === true;
    const headers = this.closeConnection ? { ...options.headers, connection: 'close' } : options.headers;
    if (headers !== undefined) this.headers = headers;
    if (options.details !== undefined) this.details = options.details;
  }

  /** The JSON answer body; `details` only when present. */
  toBody(): IngressErrorBody {
    const error: IngressErrorBody['error'] = { code: this.code, message: this.message };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

/** Narrowing helper for the router's single catch. */
export function isIngressError(value: unknown): value is IngressError {
  return value instanceof IngressError;
}

/** Header values and other request text are attacker-controlled: quote at most 40 characters in a message. */
export function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
