/** The `email` node: sends one message over an smtp credential; the Message-ID is derived from the idempotency key. */
import { Type } from '@sinclair/typebox';
import { defineNode, permanent, type MailMessage, type NodeError } from './contract.js';
import { Templatable } from './schema.js';

/** Caps checked before any parsing (THREATS E-8); the mailer re-checks them and parses every address strictly. */
const LIMITS = { single: 1000, list: 10_000, subject: 998, recipients: 50, body: 5_000_000 } as const;

const AddressList = (title: string) =>
  Templatable(Type.Union([
    Type.String({ maxLength: LIMITS.list, description: 'One address, or several separated by commas' }),
    Type.Array(Type.String({ maxLength: LIMITS.single }), { maxItems: LIMITS.recipients }),
  ]), { title });

/** No `attachments`: unknown params are refused, so flow data can never name a file or URL to attach (E-5). */
export const EmailParams = Type.Object(
  {
    credentialId: Type.String({ minLength: 1, maxLength: 200, title: 'SMTP credential', description: 'An smtp credential' }),
    from: Templatable(Type.String({ maxLength: LIMITS.single, description: 'local@domain or Name <local@domain>' }), { title: 'From' }),
    to: AddressList('To'),
    cc: Type.Optional(AddressList('Cc')),
    bcc: Type.Optional(AddressList('Bcc')),
    replyTo: Type.Optional(Templatable(Type.String({ maxLength: LIMITS.single }), { title: 'Reply-to' })),
    subject: Templatable(Type.String({ maxLength: LIMITS.subject }), { title: 'Subject' }),
    text: Type.Optional(Templatable(Type.String({ maxLength: LIMITS.body }), { title: 'Text body' })),
    html: Type.Optional(Templatable(Type.String({ maxLength: LIMITS.body }), { title: 'HTML body' })),
  },
  { additionalProperties: false },
);

/** CR, LF, NUL and the other C0 controls but TAB, and DEL: a header line break is refused, never stripped (E-1, E-2). */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const ENCODED_CONTROL = /%0[0ad]/i;

const invalid = (field: string, message: string): NodeError =>
  permanent('invalid_params', `${field} ${message}`, [{ field, message }]);

function headerText(field: string, v: unknown, max: number, isAddress: boolean): string {
  if (typeof v !== 'string') throw invalid(field, 'must be a string');
  if (v.length > max) throw invalid(field, `is ${v.length} characters long; at most ${max} are allowed`);
  if (CONTROL.test(v)) throw invalid(field, 'contains a line break or control character (CR, LF, NUL …); it is refused, not stripped');
  if (isAddress && ENCODED_CONTROL.test(v)) throw invalid(field, 'contains a percent-encoded line break or NUL (%0d, %0a, %00)');
  return v;
}

/** A recipient field as a list of strings (each may still hold comma-separated addresses, split by the mailer). */
function addressList(field: string, v: unknown): string[] {
  if (v === undefined) return [];
  const parts = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(parts)) throw invalid(field, 'must be a string or an array of strings');
  if (parts.length > LIMITS.recipients) throw invalid(field, `lists ${parts.length} entries; at most ${LIMITS.recipients} recipients are allowed`);
  let total = 0;
  return parts.map((p: unknown) => {
    total += typeof p === 'string' ? p.length : 0;
    if (total > LIMITS.list) throw invalid(field, `is longer than ${LIMITS.list} characters`);
    return headerText(field, p, LIMITS.list, true);
  });
}

const countAddresses = (list: readonly string[]): number => list.reduce((n, s) => n + s.split(',').length, 0);

function body(field: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw invalid(field, 'must be a string');
  if (v.length > LIMITS.body) throw invalid(field, `is longer than ${LIMITS.body} characters`);
  return v;
}

/** The message from rendered params: every header field capped and free of line breaks, before anything else. */
function composeMessage(p: Record<string, unknown>, messageId: string): MailMessage {
  const from = headerText('from', p.from, LIMITS.single, true);
  const replyTo = p.replyTo === undefined ? undefined : headerText('replyTo', p.replyTo, LIMITS.single, true);
  const subject = headerText('subject', p.subject, LIMITS.subject, false);
  const to = addressList('to', p.to);
  const cc = addressList('cc', p.cc);
  const bcc = addressList('bcc', p.bcc);
  const count = countAddresses(to) + countAddresses(cc) + countAddresses(bcc);
  if (count > LIMITS.recipients) throw invalid('to', `with cc and bcc lists ${count} recipients; at most ${LIMITS.recipients} are allowed`);
  return { from, to, cc, bcc, replyTo, subject, text: body('text', p.text), html: body('html', p.html), messageId };
}

/** Stable across retries, restarts and resumes of the same step, so a repeat after a crash is recognisable (D-7). */
export const messageIdFor = (idempotencyKey: string): string => `<${idempotencyKey.replace(/:/g, '.')}@hookflow>`;

export const emailNode = defineNode({
  type: 'email',
  title: 'Email',
  category: 'action',
  description: 'Sends an e-mail through an SMTP server (an smtp credential), once per execution.',
  params: EmailParams,
  defaults: { from: 'Hookflow <hookflow@example.com>', to: '{{ input.body.email }}', subject: 'Order {{ input.body.id }}', text: 'Thank you for your order.' },
  ports: ['out'] as const,
  // SMTP 4xx and connection failures are worth waiting for; 5xx and bad addresses are not.
  retry: { maxAttempts: 5, backoff: 'exponential', initialDelayMs: 2000, maxDelayMs: 300_000, jitter: 0.2 },
  timeoutMs: 120_000,
  effect: 'side-effect',

  async execute(ctx, _input, params) {
    const messageId = messageIdFor(ctx.idempotencyKey);
    const msg = composeMessage(params, messageId);
    if (ctx.dryRun) return { port: 'out', value: { messageId, accepted: [], rejected: [], dryRun: true } };
    const { mailer, credentials } = ctx;
    if (!mailer || !credentials) throw permanent('capability_missing', 'the mailer or credentials capability is not configured on this server');
    const smtp = await credentials.read(params.credentialId, 'smtp');
    const sent = await mailer.send(smtp, msg, ctx.signal);
    return { port: 'out', value: { messageId: sent.messageId, accepted: sent.accepted, rejected: sent.rejected } };
  },
});
