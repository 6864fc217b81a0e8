import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

let t: TestApp;
const servers: TestSmtp[] = [];
beforeAll(async () => { t = await startTestApp({ HOOKFLOW_ALLOWED_HOSTS: '127.0.0.1' }); }); // the test SMTP servers are on loopback (E-9)
afterAll(async () => {
  await t.close();
  for (const s of servers) await s.close();
});

interface Step { nodeId: string; status: string; port?: string; output?: Record<string, unknown>; attempts: number; error?: { code: string; message: string } }

async function smtpCredential(b: Parameters<typeof startSmtp>[0] = {}): Promise<{ smtp: TestSmtp; credentialId: string }> {
  const smtp = await startSmtp(b);
  servers.push(smtp);
  const res = await t.api('POST', '/api/credentials', { name: `smtp ${smtp.port}`, type: 'smtp', data: { host: '127.0.0.1', port: smtp.port, secure: false } });
  expect(res.status).toBe(201);
  return { smtp, credentialId: res.body.id };
}

/** webhook → email, addresses and subject templated from the order. */
async function mailFlow(credentialId: string, retry?: Record<string, unknown>) {
  return activeFlow(t, [
    { id: 'hook', type: 'webhook', params: {} },
    {
      id: 'mail', type: 'email', ...(retry ? { retry } : {}),
      params: {
        credentialId, from: 'Shop <shop@example.test>', to: '{{ input.body.customer.email }}', bcc: ['orders@example.test'],
        subject: 'Order {{ input.body.id }} confirmed', text: 'Hello {{ input.body.customer.name }}, thanks for order {{ input.body.id }}.',
      },
    },
  ], [{ from: 'hook', to: 'mail' }]);
}

async function run(hook: string, body: unknown): Promise<{ execution: { id: string; status: string; steps: Step[] }; mail: Step }> {
  const res = await post(hook, JSON.stringify(body));
  expect(res.status).toBe(202);
  const execution = await finished(t, (await res.json()).executionId, 20_000);
  return { execution, mail: execution.steps.find((s: Step) => s.nodeId === 'mail') };
}

const order = { id: 42, customer: { name: 'Ann', email: 'Ann Lee <ann@example.test>' } };

describe('email node through a real server, a real credential and a real SMTP server', () => {
  it('sends the templated message with Message-ID <executionId.mail@hookflow>', async () => {
    const { smtp, credentialId } = await smtpCredential();
    const f = await mailFlow(credentialId);
    const { execution, mail } = await run(f.hook, order);
    expect(execution.status).toBe('succeeded');
    const messageId = `<${execution.id}.mail@hookflow>`;
    expect(mail.output).toEqual({ messageId, accepted: ['ann@example.test', 'orders@example.test'], rejected: [] });
    expect(smtp.messages).toHaveLength(1);
    const m = smtp.messages[0];
    expect(m.headers).toMatchObject({ from: 'Shop <shop@example.test>', to: 'Ann Lee <ann@example.test>', subject: 'Order 42 confirmed', 'message-id': messageId });
    expect(m.raw).toContain('Hello Ann, thanks for order 42.');
  });

  it('a 451 is retried and the delivered message carries the same Message-ID', async () => {
    const { smtp, credentialId } = await smtpCredential({ rejectFirst: { count: 1, code: 451 } });
    const f = await mailFlow(credentialId, { initialDelayMs: 50, maxDelayMs: 50, jitter: 0 });
    const { execution, mail } = await run(f.hook, order);
    expect(execution.status).toBe('succeeded');
    expect(mail.attempts).toBe(2);
    expect(smtp.connections()).toBe(2);
    expect(smtp.messages.map((m) => m.headers['message-id'])).toEqual([`<${execution.id}.mail@hookflow>`]);
  });

  it('a 550 fails the step permanently after one attempt', async () => {
    const { smtp, credentialId } = await smtpCredential({ rejectFirst: { count: 1, code: 550 } });
    const f = await mailFlow(credentialId, { initialDelayMs: 50, maxDelayMs: 50, jitter: 0 });
    const { execution, mail } = await run(f.hook, order);
    expect(execution.status).toBe('failed');
    expect(mail.attempts).toBe(1);
    expect(mail.error?.code).toBe('smtp_rejected');
    expect(smtp.messages).toHaveLength(0);
  });

  it.each([
    ['subject', { ...order, id: '1\r\nBcc: victim@example.test' }],
    ['to', { ...order, customer: { name: 'Ann', email: 'ann@example.test\r\nBcc: victim@example.test' } }],
    ['to', { ...order, customer: { name: 'Ann', email: '"victim@evil.test x"@internal.test' } }],
    ['to', { ...order, customer: { name: 'Ann', email: 'team: a@x.test, b@y.test;' } }],
    ['to', { ...order, customer: { name: 'Ann', email: 'a'.repeat(20_000) } }],
  ])('hostile order data in %s fails the step with invalid_params and sends nothing', async (field, body) => {
    const { smtp, credentialId } = await smtpCredential();
    const f = await mailFlow(credentialId, { initialDelayMs: 50, maxDelayMs: 50, jitter: 0 });
    const { execution, mail } = await run(f.hook, body);
    expect(execution.status).toBe('failed');
    expect(mail.attempts).toBe(1);
    expect(mail.error?.code).toBe('invalid_params');
    expect(mail.error?.message).toContain(field);
    expect(smtp.messages).toHaveLength(0);
    expect(smtp.connections()).toBe(0);
  });

  it('saving a flow with an attachments param is refused (E-5)', async () => {
    const res = await t.api('POST', '/api/flows', {
      name: 'attach', nodes: [
        { id: 'hook', type: 'webhook', params: {} },
        { id: 'mail', type: 'email', params: { credentialId: 'cred_x', from: 'a@x.test', to: 'b@x.test', subject: 's', attachments: [{ path: '/etc/passwd' }] } },
      ], edges: [{ from: 'hook', to: 'mail' }],
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('attachments');
  });
});
