/** Real SMTP servers on 127.0.0.1 for tests: normal, deferring (451) first, never greeting, or stalling in DATA. */
import { createServer, type Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  raw: string;
  /** Lower-cased header names, unfolded values; a repeated header keeps its first value. */
  headers: Record<string, string>;
  /** Every header line, unfolded, as sent. */
  headerLines: string[];
}

export interface TestSmtp {
  port: number;
  messages: ReceivedMail[];
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export interface SmtpBehaviour {
  /** Answer MAIL FROM of the first `count` transactions with `code` (451 = greylisting, 550 = refused). */
  rejectFirst?: { count: number; code: number };
  /** Read the message, then never answer the end of DATA. */
  stallInData?: boolean;
  /** Require AUTH PLAIN/LOGIN with these credentials (535 otherwise). */
  auth?: { user: string; pass: string };
}

export function parseMessage(raw: string): Pick<ReceivedMail, 'headers' | 'headerLines'> {
  const end = raw.indexOf('\r\n\r\n');
  const head = (end < 0 ? raw : raw.slice(0, end)).replace(/\r\n[ \t]+/g, ' ');
  const headerLines = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const i = line.indexOf(':');
    const name = line.slice(0, i).trim().toLowerCase();
    if (i > 0 && !(name in headers)) headers[name] = line.slice(i + 1).trim();
  }
  return { headers, headerLines };
}

const smtpError = (code: number, text: string): Error => Object.assign(new Error(text), { responseCode: code });

interface SmtpState {
  messages: ReceivedMail[];
  connections: number;
  transactions: number;
}

function serverOptions(b: SmtpBehaviour, st: SmtpState): SMTPServerOptions {
  return {
    logger: false, disabledCommands: b.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'], authOptional: !b.auth,
    allowInsecureAuth: true, closeTimeout: 200, size: 10 * 1024 * 1024,
    onConnect(_session, cb) { st.connections++; cb(); },
    onAuth(auth, _session, cb) {
      if (b.auth && auth.username === b.auth.user && auth.password === b.auth.pass) return cb(null, { user: auth.username });
      cb(smtpError(535, 'Authentication failed'));
    },
    onMailFrom(_address, _session, cb) {
      st.transactions++;
      if (b.rejectFirst && st.transactions <= b.rejectFirst.count) return cb(smtpError(b.rejectFirst.code, `Try again later (${b.rejectFirst.code})`));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (b.stallInData) return; // never answers: the client's socket goes idle
        const raw = Buffer.concat(chunks).toString('utf8');
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        st.messages.push({ envelopeFrom, envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, ...parseMessage(raw) });
        cb();
      });
    },
  };
}

/** A real `smtp-server` on an ephemeral loopback port. */
export async function startSmtp(b: SmtpBehaviour = {}): Promise<TestSmtp> {
  const st: SmtpState = { messages: [], connections: 0, transactions: 0 };
  const server = new SMTPServer(serverOptions(b, st));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port, messages: st.messages, connections: () => st.connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A TCP server on loopback that accepts connections and never says a word (no SMTP greeting). */
export async function startSilentServer(): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((s) => {
    connections++;
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    port, connections: () => connections,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
