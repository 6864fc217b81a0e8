import { describe, expect, it } from 'vitest';
import type { Static } from '@sinclair/typebox';
import { NodeError, permanent, type CredentialReader, type Mailer, type MailMessage } from '../../../nodes/contract.js';
import { emailNode, EmailParams, messageIdFor } from '../../../nodes/email.js';
import { createParamsValidator } from '../../../server/flows/params-validator.js';
import { fakeCtx } from './fake-ctx.js';

type Params = Static<typeof EmailParams>;

const SMTP = { host: 'mail.example.test', port: 587, secure: false, user: 'u', pass: 'p' };

function fakes() {
  const reads: Array<{ id: string; type: string }> = [];
  const sends: Array<{ smtp: Record<string, unknown>; msg: MailMessage; signal?: AbortSignal }> = [];
  const credentials: CredentialReader = {
    async read(id, type) {
      reads.push({ id, type });
      if (id !== 'cred_smtp') throw permanent('credential_missing', `no credential ${id}`);
      return SMTP;
    },
  };
  const mailer: Mailer = {
    async send(smtp, msg, signal) {
      sends.push({ smtp, msg, signal });
      return { messageId: msg.messageId, accepted: msg.to, rejected: [] };
    },
  };
  return { reads, sends, credentials, mailer };
}

const params = (over: Partial<Params> = {}): Params => ({
  credentialId: 'cred_smtp', from: 'Shop <shop@example.test>', to: 'ann@example.test, bob@example.test', subject: 'Order 42', text: 'Thanks', ...over,
});

async function rejection(p: Promise<unknown>): Promise<NodeError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(NodeError);
  return e as NodeError;
}

describe('email node', () => {
  it('reads the smtp credential, sends with a Message-ID from the idempotency key and emits what the mailer answered', async () => {
    const f = fakes();
    const ctx = fakeCtx({ ...f, idempotencyKey: 'exe_1:mail' });
    const out = await emailNode.execute(ctx, { any: 1 }, params({ cc: ['carol@example.test'], replyTo: 'help@example.test', html: '<b>hi</b>' }));
    expect(f.reads).toEqual([{ id: 'cred_smtp', type: 'smtp' }]);
    expect(f.sends).toHaveLength(1);
    expect(f.sends[0].smtp).toBe(SMTP);
    expect(f.sends[0].signal).toBe(ctx.signal);
    expect(f.sends[0].msg).toEqual({
      from: 'Shop <shop@example.test>', to: ['ann@example.test, bob@example.test'], cc: ['carol@example.test'], bcc: [],
      replyTo: 'help@example.test', subject: 'Order 42', text: 'Thanks', html: '<b>hi</b>', messageId: '<exe_1.mail@hookflow>',
    });
    expect(out).toEqual({ port: 'out', value: { messageId: '<exe_1.mail@hookflow>', accepted: ['ann@example.test, bob@example.test'], rejected: [] } });
  });

  it('keeps the same Message-ID on every attempt of the same step', async () => {
    const f = fakes();
    const run = (attempt: number) => emailNode.execute(
      fakeCtx({ ...f, idempotencyKey: 'exe_9:notify', execution: { id: 'exe_9', flowId: 'f', flowVersion: 1, nodeId: 'notify', attempt } }), {}, params());
    await run(1);
    await run(2);
    expect(f.sends.map((s) => s.msg.messageId)).toEqual(['<exe_9.notify@hookflow>', '<exe_9.notify@hookflow>']);
    expect(messageIdFor('a:b:c')).toBe('<a.b.c@hookflow>');
  });

  it.each([
    ['subject', { subject: 'Hi\r\nBcc: victim@example.test' }],
    ['subject', { subject: 'Hi\u0000' }],
    ['to', { to: 'ann@example.test\nBcc: victim@example.test' }],
    ['to', { to: ['ok@example.test', 'ann@example.test%0d%0aBcc: x@y.test'] }],
    ['cc', { cc: 'carol@example.test\r' }],
    ['bcc', { bcc: ['x@example.test\u0000'] }],
    ['replyTo', { replyTo: 'help@example.test\r\nX-Evil: 1' }],
    ['from', { from: 'Shop\n <shop@example.test>' }],
  ])('refuses a line break or NUL in %s before reading credentials or sending', async (field, over) => {
    const f = fakes();
    const e = await rejection(emailNode.execute(fakeCtx(f), {}, params(over as Partial<Params>)));
    expect(e).toMatchObject({ code: 'invalid_params', retryable: false, details: [expect.objectContaining({ field })] });
    expect(f.reads).toHaveLength(0);
    expect(f.sends).toHaveLength(0);
  });

  it('caps field lengths and the recipient count before anything is parsed (E-8)', async () => {
    const f = fakes();
    const t0 = performance.now();
    expect(await rejection(emailNode.execute(fakeCtx(f), {}, params({ to: 'a'.repeat(1024 * 1024) })))).toMatchObject({ code: 'invalid_params', details: [{ field: 'to' }] });
    expect(performance.now() - t0).toBeLessThan(100);
    expect(await rejection(emailNode.execute(fakeCtx(f), {}, params({ subject: 'x'.repeat(999) })))).toMatchObject({ details: [{ field: 'subject' }] });
    expect(await rejection(emailNode.execute(fakeCtx(f), {}, params({ from: 'x'.repeat(1001) })))).toMatchObject({ details: [{ field: 'from' }] });
    const list = (n: number) => Array.from({ length: n }, (_, i) => `u${i}@example.test`).join(',');
    expect(await rejection(emailNode.execute(fakeCtx(f), {}, params({ to: list(30), bcc: list(21) })))).toMatchObject({ details: [{ field: 'to' }] });
    expect(f.sends).toHaveLength(0);
  });

  it('in a dry run sends nothing and reads no credential', async () => {
    const f = fakes();
    const out = await emailNode.execute(fakeCtx({ ...f, dryRun: true, idempotencyKey: 'exe_2:mail' }), {}, params());
    expect(out).toEqual({ port: 'out', value: { messageId: '<exe_2.mail@hookflow>', accepted: [], rejected: [], dryRun: true } });
    expect(f.reads).toHaveLength(0);
    expect(f.sends).toHaveLength(0);
  });

  it('a dry run still refuses header injection', async () => {
    const f = fakes();
    await expect(emailNode.execute(fakeCtx({ ...f, dryRun: true }), {}, params({ subject: 'a\r\nb' }))).rejects.toMatchObject({ code: 'invalid_params' });
  });

  it('passes a credential error through unchanged', async () => {
    const f = fakes();
    const e = await rejection(emailNode.execute(fakeCtx(f), {}, params({ credentialId: 'cred_gone' })));
    expect(e).toMatchObject({ code: 'credential_missing', retryable: false });
    expect(f.sends).toHaveLength(0);
  });

  it('fails permanently with capability_missing when the server has no mailer', async () => {
    const f = fakes();
    const e = await rejection(emailNode.execute(fakeCtx({ credentials: f.credentials }), {}, params()));
    expect(e).toMatchObject({ code: 'capability_missing', retryable: false });
  });
});

describe('email params schema', () => {
  const pv = createParamsValidator();
  it('refuses attachments: flow data can never name a file or URL (E-5)', () => {
    expect(pv.checkSaved(EmailParams, { ...params(), attachments: [{ path: '/etc/passwd' }] }))
      .toEqual([{ field: 'attachments', message: 'is not a known parameter' }]);
  });
  it('accepts templates at save time and checks the rendered values strictly', () => {
    expect(pv.checkSaved(EmailParams, params({ to: '{{ input.email }}', subject: 'Order {{ input.id }}' }))).toEqual([]);
    expect(pv.checkRendered(EmailParams, params({ to: ['a@x.test', 'b@x.test'] }))).toEqual([]);
    expect(pv.checkRendered(EmailParams, { ...params(), to: { address: 'a@x.test' } })[0].field).toBe('to');
    expect(pv.checkRendered(EmailParams, { ...params(), subject: 'x'.repeat(999) })[0].field).toBe('subject');
  });
  it('has the documented retry defaults and is a side effect', () => {
    expect(emailNode.retry).toEqual({ maxAttempts: 5, backoff: 'exponential', initialDelayMs: 2000, maxDelayMs: 300_000, jitter: 0.2 });
    expect(emailNode.effect).toBe('side-effect');
    expect(emailNode.ports).toEqual(['out']);
  });
});
