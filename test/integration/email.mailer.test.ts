import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { NodeError, type MailMessage } from '../../nodes/contract.js';
import { createMailer, DEFAULT_MAIL_TIMEOUTS, transportOptions } from '../../server/adapters/mailer.js';
import { startSilentServer, startSmtp, type TestSmtp } from '../helpers/smtp.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => { while (closers.length) await closers.pop()!(); });

async function smtp(b: Parameters<typeof startSmtp>[0] = {}): Promise<TestSmtp> {
  const s = await startSmtp(b);
  closers.push(s.close);
  return s;
}

const cred = (port: number, extra: Record<string, unknown> = {}) => ({ host: '127.0.0.1', port, secure: false, ...extra });

const aMessage = (over: Partial<MailMessage> = {}): MailMessage => ({
  from: 'Shop <shop@example.test>',
  to: ['Ann <ann@example.test>', 'bob@example.test'],
  cc: ['carol@example.test'],
  bcc: ['audit@example.test'],
  replyTo: 'help@example.test',
  subject: 'Your order 42',
  text: 'Thanks!\r\nLine two.',
  html: '<p>Thanks!</p>',
  messageId: '<exe_1.mail@hookflow>',
  ...over,
});

async function failure(p: Promise<unknown>): Promise<NodeError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(NodeError);
  return e as NodeError;
}

// The SMTP servers here listen on loopback: allow exactly that, as HOOKFLOW_ALLOWED_HOSTS=127.0.0.1 would (E-9).
const fast = { connectionTimeout: 1000, greetingTimeout: 300, socketTimeout: 500, guard: { allowPrivateNetworks: false, allowList: ['127.0.0.1'] } };

describe('mailer against a real SMTP server on loopback', () => {
  it('delivers with From, To, Cc, Reply-To, Subject and the given Message-ID; Bcc only in the envelope', async () => {
    const s = await smtp();
    const sent = await createMailer(fast).send(cred(s.port), aMessage());
    expect(sent.messageId).toBe('<exe_1.mail@hookflow>');
    expect(sent.accepted.sort()).toEqual(['ann@example.test', 'audit@example.test', 'bob@example.test', 'carol@example.test']);
    expect(sent.rejected).toEqual([]);
    expect(s.messages).toHaveLength(1);
    const m = s.messages[0];
    expect(m.headers.from).toBe('Shop <shop@example.test>');
    expect(m.headers.to).toBe('Ann <ann@example.test>, bob@example.test');
    expect(m.headers.cc).toBe('carol@example.test');
    expect(m.headers['reply-to']).toBe('help@example.test');
    expect(m.headers.subject).toBe('Your order 42');
    expect(m.headers['message-id']).toBe('<exe_1.mail@hookflow>');
    expect(m.headerLines.some((l) => /^bcc:/i.test(l))).toBe(false);
    expect(m.envelopeFrom).toBe('shop@example.test');
    expect(m.envelopeTo).toContain('audit@example.test');
    expect(m.raw).toContain('Line two.');
  });

  it('logs in with the credential user and pass', async () => {
    const s = await smtp({ auth: { user: 'mailer', pass: 'hunter2-secret' } });
    await createMailer(fast).send(cred(s.port, { user: 'mailer', pass: 'hunter2-secret' }), aMessage());
    expect(s.messages).toHaveLength(1);
  });

  it('a wrong password is a permanent 535 whose message does not carry the password', async () => {
    const s = await smtp({ auth: { user: 'mailer', pass: 'right-one' } });
    const e = await failure(createMailer(fast).send(cred(s.port, { user: 'mailer', pass: 'wrong-canary-pass' }), aMessage()));
    expect(e).toMatchObject({ code: 'smtp_rejected', retryable: false, status: 535 });
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain('wrong-canary-pass');
    expect(s.messages).toHaveLength(0);
  });

  it('a 451 is retryable with status 451, and the retry with the same Message-ID is delivered', async () => {
    const s = await smtp({ rejectFirst: { count: 1, code: 451 } });
    const mailer = createMailer(fast);
    const e = await failure(mailer.send(cred(s.port), aMessage()));
    expect(e).toMatchObject({ code: 'smtp_transient', retryable: true, status: 451 });
    expect(s.messages).toHaveLength(0);
    await mailer.send(cred(s.port), aMessage());
    expect(s.messages).toHaveLength(1);
    expect(s.messages[0].headers['message-id']).toBe('<exe_1.mail@hookflow>');
  });

  it('a 550 is permanent smtp_rejected', async () => {
    const s = await smtp({ rejectFirst: { count: 1, code: 550 } });
    const e = await failure(createMailer(fast).send(cred(s.port), aMessage()));
    expect(e).toMatchObject({ code: 'smtp_rejected', retryable: false, status: 550 });
  });

  it('a server that never greets fails at greetingTimeout, retryably (E-6)', async () => {
    const silent = await startSilentServer();
    closers.push(silent.close);
    const t0 = Date.now();
    const e = await failure(createMailer(fast).send(cred(silent.port), aMessage()));
    const took = Date.now() - t0;
    expect(e).toMatchObject({ code: 'smtp_transient', retryable: true });
    expect(e.details).toMatchObject({ code: 'ETIMEDOUT', timeoutType: 'GREETING_TIMEOUT' });
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(3000);
    expect(silent.connections()).toBe(1);
  });

  it('a server that stalls in DATA fails at socketTimeout, retryably (E-7)', async () => {
    const s = await smtp({ stallInData: true });
    const t0 = Date.now();
    const e = await failure(createMailer(fast).send(cred(s.port), aMessage()));
    expect(e).toMatchObject({ code: 'smtp_transient', retryable: true });
    expect(e.details).toMatchObject({ code: 'ETIMEDOUT', timeoutType: 'SOCKET_TIMEOUT' });
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(s.messages).toHaveLength(0);
  });

  it('a refused connection is retryable', async () => {
    const probe = createServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => {
      const a = probe.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    }));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const e = await failure(createMailer(fast).send(cred(port), aMessage()));
    expect(e).toMatchObject({ code: 'smtp_transient', retryable: true });
  });

  it('an aborted send stops waiting', async () => {
    const silent = await startSilentServer();
    closers.push(silent.close);
    const ac = new AbortController();
    const sending = createMailer({ ...fast, greetingTimeout: 10_000 }).send(cred(silent.port), aMessage(), ac.signal);
    setTimeout(() => ac.abort(new Error('canceled')), 100);
    const t0 = Date.now();
    await failure(sending);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('a malformed credential is a permanent credential_invalid naming the field, not its value', async () => {
    const e = await failure(createMailer(fast).send({ host: 'mail.example.test', port: 'x25' }, aMessage()));
    expect(e).toMatchObject({ code: 'credential_invalid', retryable: false });
    expect(e.message).toContain('port');
    expect(e.message).not.toContain('x25');
  });

  it('uses explicit timeouts, not nodemailer defaults (2 min / 30 s / 10 min), and no file or URL access', () => {
    expect(DEFAULT_MAIL_TIMEOUTS).toEqual({ connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 60_000 });
    const o = transportOptions({ host: 'h.example.test', port: 587, secure: false }, DEFAULT_MAIL_TIMEOUTS);
    expect(o).toMatchObject({ ...DEFAULT_MAIL_TIMEOUTS, disableFileAccess: true, disableUrlAccess: true });
    expect(o.auth).toBeUndefined();
  });
});
