// E-9: the email node's SMTP host is under the SSRF guard; loopback SMTP and banner servers see no connection unless allow-listed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { NodeError, type MailMessage } from '../../nodes/contract.js';
import { createMailer } from '../../server/adapters/mailer.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { activeFlow, finished, post } from '../helpers/flows.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

const message: MailMessage = { from: 'shop@example.test', to: ['ann@example.test'], subject: 'Hello', text: 'hi', messageId: '<exe_1.mail@hookflow>' };
const fast = { connectionTimeout: 1000, greetingTimeout: 500, socketTimeout: 1000 };

/** A loopback TCP service that greets with a banner holding a secret (what a port scan through SMTP would read back). */
async function bannerServer(): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((s) => { connections++; sockets.add(s); s.on('error', () => undefined); s.end('SSH-2.0-OpenSSH_9.6 internal-banner-0451\r\n'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const a = server.address();
  return {
    port: typeof a === 'object' && a ? a.port : 0, connections: () => connections,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

describe('the SMTP host behind the address guard (E-9)', () => {
  let smtp: TestSmtp;
  beforeAll(async () => { smtp = await startSmtp(); });
  afterAll(async () => { await smtp.close(); });

  it.each(['127.0.0.1', '::1', '[::1]', '127.1', '2130706433', '0x7f.1', '[::ffff:7f00:1]', '::ffff:127.0.0.1', 'localhost', '0'])(
    'E-9: host %s is ssrf_blocked before any connection', async (host) => {
      const before = smtp.connections();
      const e = await createMailer(fast).send({ host, port: smtp.port, secure: false }, message).then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(NodeError);
      expect(e).toMatchObject({ code: 'ssrf_blocked', retryable: false });
      expect(smtp.connections()).toBe(before);
      expect(smtp.messages).toHaveLength(0);
    });

  it('E-9: with 127.0.0.1 in the allow-list the same host delivers', async () => {
    await createMailer({ ...fast, guard: { allowPrivateNetworks: false, allowList: ['127.0.0.1'] } }).send({ host: '127.0.0.1', port: smtp.port, secure: false }, message);
    expect(smtp.messages).toHaveLength(1);
  });
});

describe('the email node in a running server (E-9)', () => {
  const mailFlow = (t: TestApp, credentialId: string) => activeFlow(t, [
    { id: 'hook', type: 'webhook', params: {} },
    { id: 'mail', type: 'email', retry: { maxAttempts: 1 }, params: { credentialId, from: 'shop@example.test', to: 'ann@example.test', subject: 'Hi', text: 'x' } },
  ], [{ from: 'hook', to: 'mail' }]);

  const run = async (t: TestApp, host: string, port: number) => {
    const cred = await t.api('POST', '/api/credentials', { name: `smtp ${host}`, type: 'smtp', data: { host, port, secure: false } });
    expect(cred.status).toBe(201);
    const f = await mailFlow(t, cred.body.id);
    const e = await finished(t, (await (await post(f.hook, '{}')).json()).executionId, 15_000);
    return { e, text: JSON.stringify(e) };
  };

  it('E-9: a probe of a loopback port through the email node is refused and reads no banner back; the allow-list opens a local relay', async () => {
    const banner = await bannerServer();
    const smtp = await startSmtp();
    const closed = await startTestApp();
    try {
      for (const host of ['127.0.0.1', '127.1', '[::ffff:7f00:1]', 'localhost']) {
        const { e, text } = await run(closed, host, banner.port);
        expect(e.status).toBe('failed');
        expect(e.error).toMatchObject({ code: 'ssrf_blocked', nodeId: 'mail' });
        expect(text).not.toContain('internal-banner');
      }
      expect(banner.connections()).toBe(0);
      expect((await run(closed, '127.0.0.1', smtp.port)).e.error.code).toBe('ssrf_blocked');
      expect(smtp.connections()).toBe(0);
    } finally {
      await closed.close();
    }
    const relay = await startTestApp({ HOOKFLOW_ALLOWED_HOSTS: '127.0.0.1' });
    try {
      expect((await run(relay, '127.0.0.1', smtp.port)).e.status).toBe('succeeded');
      expect(smtp.messages).toHaveLength(1);
    } finally {
      await relay.close();
      await smtp.close();
      await banner.close();
    }
  });
});
