import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import nodemailer from 'nodemailer';
import { NodeError, type MailMessage } from '../../nodes/contract.js';
import { createMailer, DEFAULT_MAIL_TIMEOUTS, transportOptions } from '../../server/adapters/mailer.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

let s: TestSmtp;
let seenBefore = 0;
beforeAll(async () => { s = await startSmtp(); });
afterAll(async () => { await s.close(); });
beforeEach(() => { seenBefore = s.connections(); });

const base: MailMessage = {
  from: 'shop@example.test', to: ['ann@example.test'], subject: 'Hello', text: 'hi', messageId: '<exe_1.mail@hookflow>',
};

/** Sends `over` and expects a permanent invalid_params naming `field`, with nothing reaching the SMTP server. */
async function refused(over: Partial<MailMessage>, field: string): Promise<NodeError> {
  const e = await createMailer().send({ host: '127.0.0.1', port: s.port, secure: false }, { ...base, ...over }).then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(NodeError);
  expect(e).toMatchObject({ code: 'invalid_params', retryable: false });
  expect((e as NodeError).details).toEqual([expect.objectContaining({ field })]);
  expect((e as NodeError).message.startsWith(field)).toBe(true);
  expect(s.messages).toHaveLength(0);
  expect(s.connections()).toBe(seenBefore);
  return e as NodeError;
}

describe('E-1 header injection in the subject', () => {
  it.each([
    ['CRLF', 'Hi\r\nBcc: victim@example.test'],
    ['LF', 'Hi\nBcc: victim@example.test'],
    ['CR', 'Hi\rBcc: victim@example.test'],
    ['NUL', 'Hi\u0000there'],
  ])('%s in the subject is refused, not stripped', async (_n, subject) => {
    await refused({ subject }, 'subject');
  });

  it('control: without our validator nodemailer still writes no Bcc header line (streamTransport)', async () => {
    const t = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    const info = await t.sendMail({ from: 'shop@example.test', to: 'ann@example.test', subject: 'Hi\r\nBcc: victim@example.test', text: 'x' });
    const raw = info.message.toString();
    const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(head.split('\r\n').some((l) => /^bcc:/i.test(l))).toBe(false);
  });
});

describe('E-2 line breaks in address fields', () => {
  it.each([
    ['to', { to: ['ann@example.test\r\nBcc: victim@example.test'] }],
    ['to', { to: ['ann@example.test\nX-Evil: 1'] }],
    ['to', { to: ['ann@example.test%0d%0aBcc: victim@example.test'] }],
    ['to', { to: ['ann@example.test\u0000'] }],
    ['replyTo', { replyTo: 'help@example.test\r\nBcc: victim@example.test' }],
    ['from', { from: 'Shop\r\nBcc: victim@example.test <shop@example.test>' }],
    ['from', { from: 'Shop%0A <shop@example.test>' }],
    ['cc', { cc: ['Carol\u0000 <carol@example.test>'] }],
  ])('%s: %j is refused', async (field, over) => {
    await refused(over as Partial<MailMessage>, field);
  });
});

describe('E-3 quoted local parts', () => {
  it('refuses "victim@evil.test x"@internal.test', async () => {
    const e = await refused({ to: ['"victim@evil.test x"@internal.test'] }, 'to');
    expect(e.message).toContain('quot');
  });
  it('refuses a quoted display name too', async () => {
    await refused({ from: '"Shop, Inc" <shop@example.test>' }, 'from');
  });
});

describe('E-4 several addresses or groups where one is meant, and the recipient cap', () => {
  it('two addresses in from', async () => { await refused({ from: 'a@x.test, b@y.test' }, 'from'); });
  it('two addresses in replyTo', async () => { await refused({ replyTo: 'a@x.test, b@y.test' }, 'replyTo'); });
  it('a group in to', async () => {
    const e = await refused({ to: ['group: a@x.test;'] }, 'to');
    expect(e.message).toContain('group');
  });
  it('an empty group in cc', async () => { await refused({ cc: ['undisclosed-recipients:;'] }, 'cc'); });
  it('51 recipients across to, cc and bcc', async () => {
    const many = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${i}@example.test`);
    await refused({ to: many('t', 20), cc: many('c', 20), bcc: many('b', 11) }, 'to');
  });
  it('51 comma-separated addresses in one string', async () => {
    await refused({ to: [Array.from({ length: 51 }, (_, i) => `u${i}@example.test`).join(', ')] }, 'to');
  });
  it.each([
    ['source route', '@evil.test:ann@example.test'],
    ['percent hack', 'ann%internal.test@example.test'],
    ['two @', 'ann@evil.test@example.test'],
    ['domain literal', 'ann@[127.0.0.1]'],
    ['comment', 'ann(comment)@example.test'],
    ['bare IP domain', 'ann@127.0.0.1'],
    ['no domain', 'ann'],
    ['trailing comma', 'ann@example.test,'],
  ])('%s (%s) is not a plain address', async (_n, to) => {
    await refused({ to: [to] }, 'to');
  });
});

describe('E-5 attachments cannot read files or fetch URLs', () => {
  let http: Server;
  let hits = 0;
  beforeAll(async () => {
    http = createServer((_req, res) => { hits++; res.end('secret'); });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  });
  afterAll(async () => { await new Promise<void>((r) => http.close(() => r())); });

  const send = (attachment: Record<string, unknown>) => {
    const t = nodemailer.createTransport(transportOptions({ host: '127.0.0.1', port: s.port, secure: false }, DEFAULT_MAIL_TIMEOUTS));
    return t.sendMail({ from: 'shop@example.test', to: 'ann@example.test', subject: 'x', text: 'x', attachments: [attachment] })
      .then(() => undefined, (e: unknown) => e as { originalCode?: string })
      .finally(() => t.close());
  };

  // Over SMTP nodemailer reports the refusal as ESTREAM, keeping the cause in originalCode.
  it('a {path} attachment fails with EFILEACCESS on our transport options', async () => {
    expect(await send({ path: '/etc/passwd' })).toMatchObject({ originalCode: 'EFILEACCESS' });
    expect(s.messages).toHaveLength(0);
  });

  it('an {href} attachment fails with EURLACCESS and the URL is never fetched', async () => {
    const a = http.address();
    const port = typeof a === 'object' && a ? a.port : 0;
    expect(await send({ href: `http://127.0.0.1:${port}/` })).toMatchObject({ originalCode: 'EURLACCESS' });
    expect(hits).toBe(0);
    expect(s.messages).toHaveLength(0);
  });

  it('a body given as a {path} object is refused before nodemailer sees it', async () => {
    await refused(Object.assign({}, base, { text: { path: '/etc/passwd' } }), 'text');
  });
});

describe('E-8 parser DoS', () => {
  it('a 1 MB to string is refused by the length cap, fast', async () => {
    const t0 = performance.now();
    const e = await refused({ to: ['a'.repeat(1024 * 1024)] }, 'to');
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(e.message).toContain('10000 characters');
  });
  it('deeply nested comment and group syntax is refused by the length cap before parsing', async () => {
    await refused({ to: [`${'('.repeat(20_000)}a@x.test`] }, 'to');
    await refused({ from: `${'g:'.repeat(600)}a@x.test;` }, 'from');
  });
  it('a subject over 998 characters is refused', async () => {
    await refused({ subject: 'x'.repeat(999) }, 'subject');
  });
});
