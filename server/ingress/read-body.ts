/** Reads a request body into one Buffer under a byte limit that holds on the wire and after decompression. */
import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { clip, IngressError } from './ingress-error.js';

/** Options of {@link readBody}. */
export interface ReadBodyOptions {
  /**
   * Largest body accepted, in bytes, counted both as received and after `Content-Encoding` is undone.
   * The webhook node's `maxBodyBytes`, else `HOOKFLOW_MAX_BODY`; DESIGN §7 default 1 MiB.
   */
  maxBytes: number;
  /**
   * Called with the total bytes held so far each time the body grows (after decompression); return false to stop
   * reading and reject with `refusal` (W-28: the instance's in-flight byte bound).
   */
  onHeld?: (total: number) => boolean;
  /** The error `onHeld` refusing rejects with. */
  refusal?: () => Error;
}

const EMPTY = Buffer.alloc(0);

/**
 * Reads the whole body of `req`, undoing `Content-Encoding` (`gzip`/`x-gzip`, `deflate` (zlib-wrapped, as
 * RFC 9110 defines it), `br`, `identity` or absent).
 *
 * Rejects with an {@link IngressError}:
 * - 413 `payload_too_large` when `Content-Length` exceeds `maxBytes` (nothing is read), or when the received
 *   or the decompressed bytes pass `maxBytes`: reading stops at once (the decompressor is destroyed, so a
 *   compression bomb costs at most `maxBytes` plus one 16 KiB zlib chunk). The error has
 *   `closeConnection: true` and a `connection: close` header: the unread rest of the body makes the socket
 *   unusable, and answering with `Connection: close` lets Node close it right after the 413.
 * - 415 `unsupported_content_encoding` for any other coding, including stacked ones (`gzip, br`).
 * - 400 `invalid_content_encoding` when the compressed data is corrupt or truncated.
 * - 400 `request_aborted` when the client goes away mid-body (nobody hears the answer; it just settles).
 */
export function readBody(req: IncomingMessage, opts: ReadBodyOptions): Promise<Buffer> {
  const { maxBytes } = opts;
  const guard = opts.onHeld === undefined ? undefined : { onHeld: opts.onHeld, refusal: opts.refusal ?? (() => new Error('refused')) };
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.reject(tooLarge(maxBytes));
  if (req.readableEnded) return Promise.reject(new Error('readBody: the request body was already consumed'));
  const header = req.headers['content-encoding'];
  const coding = header === undefined ? '' : header.trim().toLowerCase();
  if (coding === '' || coding === 'identity') return new BodyReader(req, maxBytes, undefined, guard).read();
  const decoder = createDecoder(coding);
  if (decoder !== undefined) return new BodyReader(req, maxBytes, decoder, guard).read();
  const message = `Content-Encoding "${clip(coding)}" is not supported`;
  const details = { supported: ['gzip', 'deflate', 'br', 'identity'] };
  return Promise.reject(new IngressError(415, 'unsupported_content_encoding', message, { details, closeConnection: true }));
}

function createDecoder(coding: string): Transform | undefined {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined; // includes stacked codings such as "gzip, br": rare, and each layer multiplies bomb risk
  }
}

/**
 * One read of one request: streams `req` (through `decoder` when present) into a chunk list. Every listener
 * is removed once the promise settles, so a late client error or abort has no listener to reach and cannot
 * surface unhandled (IncomingMessage only emits 'error' when someone listens).
 */
class BodyReader {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private wire = 0;
  private settled = false;
  private resolve: (body: Buffer) => void = noop;
  private reject: (err: Error) => void = noop;

  constructor(
    private readonly req: IncomingMessage,
    private readonly maxBytes: number,
    private readonly decoder: Transform | undefined,
    private readonly guard?: { onHeld: (total: number) => boolean; refusal: () => Error },
  ) {}

  read(): Promise<Buffer> {
    const promise = new Promise<Buffer>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.req.on('data', this.onWire).on('end', this.onWireEnd).on('error', this.onReqError).on('close', this.onClose);
    this.decoder?.on('data', this.onOut).on('end', this.onOutEnd).on('error', this.onDecodeError).on('drain', this.onDrain);
    return promise;
  }

  private finish(err: Error | undefined): void {
    if (this.settled) return;
    this.settled = true;
    const { req, decoder, chunks, size } = this;
    req.off('data', this.onWire).off('end', this.onWireEnd).off('error', this.onReqError).off('close', this.onClose);
    decoder?.off('data', this.onOut).off('end', this.onOutEnd).off('error', this.onDecodeError).off('drain', this.onDrain);
    if (err === undefined) {
      this.resolve(size === 0 ? EMPTY : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
      return;
    }
    decoder?.destroy(); // frees the zlib handle; a bomb stops inflating here
    if (!req.readableEnded) req.pause(); // stop pulling bytes off the socket; the caller closes it
    chunks.length = 0;
    this.reject(err);
  }

  private readonly onOut = (chunk: Buffer): void => {
    this.size += chunk.length;
    if (this.size > this.maxBytes) this.finish(tooLarge(this.maxBytes));
    else if (this.guard !== undefined && !this.guard.onHeld(this.size)) this.finish(this.guard.refusal());
    else this.chunks.push(chunk);
  };

  private readonly onWire = (chunk: Buffer): void => {
    if (this.decoder === undefined) return this.onOut(chunk);
    this.wire += chunk.length;
    if (this.wire > this.maxBytes) this.finish(tooLarge(this.maxBytes));
    else if (!this.decoder.write(chunk)) this.req.pause(); // decoder backlog: resume on 'drain'
  };

  private readonly onWireEnd = (): void => {
    // `Content-Encoding: gzip` on an empty body (some clients do this on GET): nothing to inflate.
    if (this.decoder === undefined || this.wire === 0) this.finish(undefined);
    else this.decoder.end();
  };

  private readonly onOutEnd = (): void => this.finish(undefined);
  private readonly onDrain = (): void => void this.req.resume();
  private readonly onReqError = (cause: Error): void => this.finish(aborted(cause));
  private readonly onClose = (): void => {
    if (!this.req.complete) this.finish(aborted(undefined));
  };
  private readonly onDecodeError = (cause: Error): void => {
    const message = 'The compressed body is corrupt or truncated';
    this.finish(new IngressError(400, 'invalid_content_encoding', message, { cause, closeConnection: true }));
  };
}

function noop(): void {}

function tooLarge(maxBytes: number): IngressError {
  return new IngressError(413, 'payload_too_large', `The body exceeds the limit of ${maxBytes} bytes`, {
    details: { maxBytes },
    closeConnection: true,
  });
}

function aborted(cause: Error | undefined): IngressError {
  return new IngressError(400, 'request_aborted', 'The client aborted the request before the body was complete', {
    cause,
    closeConnection: true,
  });
}
