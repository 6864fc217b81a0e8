/** The Mailer: nodemailer over an smtp credential, one connection per send, explicit timeouts, no file or URL access; SMTP failures classified. */
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { NodeError, permanent, retryable, type Mailer, type MailMessage } from '../../nodes/contract.js';
import { createScrub } from '../../nodes/secret-scrub.js';
import { createAddressGuard, type GuardPolicy } from './address-guard.js';
import type { Resolver } from './safe-lookup.js';
import { smtpTarget, type SmtpTarget } from './smtp-target.js';
import { checkHeaderText, MailFieldError, MAIL_LIMITS, parseAddressList, parseSingleAddress, type MailAddress } from './email-address.js';

/** nodemailer waits 2 min to connect, 30 s for a greeting and 10 min on an idle socket unless told otherwise (THREATS E-6, E-7). */
export interface MailerTimeouts {
  /** @default 10000 */
  connectionTimeout: number;
  /** @default 10000 */
  greetingTimeout: number;
  /** @default 60000 */
  socketTimeout: number;
}

export const DEFAULT_MAIL_TIMEOUTS: MailerTimeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 };

/** The `smtp` credential's data: `{host, port, secure, user?, pass?}`. */
export interface SmtpCredential {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
}

const MAX_BODY_CHARS = 5_000_000;
const MESSAGE_ID = /^<[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,200}@[A-Za-z0-9.-]{1,200}>$/;

const badCredential = (field: string, message: string): NodeError =>
  permanent('credential_invalid', `smtp credential: ${field} ${message}`, [{ field, message }]);

/** Checks the credential's shape; messages name the field, never its value. */
export function parseSmtpCredential(d: Record<string, unknown>): SmtpCredential {
  const { host, port, secure, user, pass } = d;
  if (typeof host !== 'string' || !/^[A-Za-z0-9.:[\]-]{1,255}$/.test(host)) throw badCredential('host', 'must be a host name or IP address');
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) throw badCredential('port', 'must be a port number 1–65535');
  if (secure !== undefined && typeof secure !== 'boolean') throw badCredential('secure', 'must be a boolean');
  if (user !== undefined && typeof user !== 'string') throw badCredential('user', 'must be a string');
  if (pass !== undefined && typeof pass !== 'string') throw badCredential('pass', 'must be a string');
  return { host, port, secure: secure ?? port === 465, user: user || undefined, pass };
}

/**
 * The transport options: explicit timeouts, attachments may never read files or fetch URLs (E-5), no logging.
 * With a checked `target`, nodemailer connects to its address (no DNS of its own) and TLS still presents and
 * verifies the credential's host name.
 */
export function transportOptions(c: SmtpCredential, t: MailerTimeouts, target?: SmtpTarget): SMTPTransport.Options {
  return {
    host: target?.address ?? c.host, port: c.port, secure: c.secure,
    ...(target?.servername === undefined ? {} : { servername: target.servername }),
    auth: c.user === undefined ? undefined : { user: c.user, pass: c.pass ?? '' },
    connectionTimeout: t.connectionTimeout, greetingTimeout: t.greetingTimeout, socketTimeout: t.socketTimeout,
    disableFileAccess: true, disableUrlAccess: true, logger: false, debug: false,
  };
}

interface CheckedMail {
  from: MailAddress; to: MailAddress[]; cc: MailAddress[]; bcc: MailAddress[]; replyTo?: MailAddress;
  subject: string; text?: string; html?: string; messageId: string;
}

function body(field: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  // nodemailer would also take {path} or {href} objects here: only strings pass.
  if (typeof v !== 'string') throw new MailFieldError(field, 'must be a string');
  if (v.length > MAX_BODY_CHARS) throw new MailFieldError(field, `is longer than ${MAX_BODY_CHARS} characters`);
  return v;
}

/** Every header field checked, every address parsed strictly. @throws MailFieldError */
export function checkMail(m: MailMessage): CheckedMail {
  const from = parseSingleAddress('from', m.from);
  const replyTo = m.replyTo === undefined ? undefined : parseSingleAddress('replyTo', m.replyTo);
  const subject = checkHeaderText('subject', m.subject, MAIL_LIMITS.subjectChars);
  const lists = { to: parseAddressList('to', m.to), cc: parseAddressList('cc', m.cc ?? []), bcc: parseAddressList('bcc', m.bcc ?? []) };
  if (lists.to.length === 0) throw new MailFieldError('to', 'needs at least one address');
  const count = lists.to.length + lists.cc.length + lists.bcc.length;
  if (count > MAIL_LIMITS.recipients) throw new MailFieldError('to', `with cc and bcc lists ${count} recipients; at most ${MAIL_LIMITS.recipients} are allowed`);
  if (typeof m.messageId !== 'string' || !MESSAGE_ID.test(m.messageId)) throw new MailFieldError('messageId', 'must look like <id@host>');
  return { from, replyTo, subject, ...lists, text: body('text', m.text), html: body('html', m.html), messageId: m.messageId };
}

/** Connection-level failures with no SMTP reply: the same message may well go through later. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EPROXY', 'EABORT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE']);

/** The server's reply without the credential in any form (raw, base64 as in `AUTH PLAIN`, URL-encoded …), then clipped. */
function redact(text: string, secrets: readonly string[]): string {
  const out = createScrub(secrets)(text);
  return out.length > 300 ? `${out.slice(0, 300)}…` : out;
}

/** SMTP 4xx and connection failures or timeouts → retryable `smtp_transient`; 5xx → permanent `smtp_rejected`; the rest → permanent `smtp_failed`. */
export function classifySmtpError(e: unknown, secrets: readonly string[] = []): NodeError {
  if (e instanceof NodeError) return e;
  const err = (e !== null && typeof e === 'object' ? e : {}) as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown; timeoutType?: unknown };
  const code = typeof err.code === 'string' ? err.code : undefined;
  const status = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const text = redact(String(typeof err.response === 'string' ? err.response : (err.message ?? e)), secrets);
  const details = { code, status, timeoutType: typeof err.timeoutType === 'string' ? err.timeoutType : undefined };
  if (status !== undefined) {
    if (status >= 500) return new NodeError('smtp_rejected', `SMTP server refused the message: ${text}`, { retryable: false, status, details });
    return retryable('smtp_transient', `SMTP server deferred the message: ${text}`, { status, details });
  }
  if (code !== undefined && TRANSIENT_CODES.has(code)) return retryable('smtp_transient', `SMTP connection failed: ${text}`, { details });
  return new NodeError('smtp_failed', `SMTP send failed: ${text}`, { retryable: false, details });
}

export interface MailerOptions extends Partial<MailerTimeouts> {
  /**
   * The http node's address policy (E-9): HOOKFLOW_ALLOW_PRIVATE_NETWORKS and HOOKFLOW_ALLOWED_HOSTS (list a local
   * relay there). @default only public addresses
   */
  guard?: GuardPolicy;
  /** Name resolution for the guard; tests inject a stub. @default systemResolver */
  resolver?: Resolver;
}

/** A Mailer with the given timeouts (tests shorten them) and address policy. */
export function createMailer(opts: MailerOptions = {}): Mailer {
  const { guard: policy, resolver, ...timeouts } = opts;
  const t = { ...DEFAULT_MAIL_TIMEOUTS, ...timeouts };
  const guard = createAddressGuard(policy ?? { allowPrivateNetworks: false });
  return {
    async send(smtp, msg, signal) {
      const cred = parseSmtpCredential(smtp);
      let mail: CheckedMail;
      try {
        mail = checkMail(msg);
      } catch (e) {
        if (e instanceof MailFieldError) throw permanent('invalid_params', e.message, [{ field: e.field, message: e.reason }]);
        throw e;
      }
      const target = await smtpTarget(cred.host, guard, resolver);
      const transport = nodemailer.createTransport(transportOptions(cred, t, target));
      try {
        const info = await transport.sendMail({ ...mail, signal, disableFileAccess: true, disableUrlAccess: true });
        return { messageId: info.messageId, accepted: info.accepted.map(String), rejected: info.rejected.map(String) };
      } catch (e) {
        throw classifySmtpError(e, cred.pass === undefined ? [] : [cred.pass]); // AUTH PLAIN/LOGIN blobs are base64 of it
      } finally {
        transport.close();
      }
    },
  };
}
