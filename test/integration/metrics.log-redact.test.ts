/** The logger's redact paths: auth headers, cookies and credential fields never reach a log line. */
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import pino from 'pino';
import { LOG_REDACT } from '../../server/observability/log-redact.js';

describe('log redaction', () => {
  it('censors authorization, cookies and credential fields at any of the logged shapes', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, cb) { lines.push(chunk.toString()); cb(); } });
    const log = pino({ redact: LOG_REDACT }, sink);
    log.info({ executionId: 'exe_1', headers: { authorization: 'Bearer SECRET-A', cookie: 'sid=SECRET-B', 'x-api-key': 'SECRET-C', accept: 'json' } }, 'one');
    log.info({ req: { headers: { authorization: 'Basic SECRET-D', 'set-cookie': 'SECRET-E' } } }, 'two');
    log.info({ user: { password: 'SECRET-F' }, token: 'SECRET-G', cfg: { secretKey: 'SECRET-H', apiToken: 'SECRET-I' }, smtp: { pass: 'SECRET-J' } }, 'three');
    const text = lines.join('');
    expect(text).not.toMatch(/SECRET-/);
    expect(text).toContain('"executionId":"exe_1"');
    expect(text).toContain('"accept":"json"');
    expect(text.match(/\[Redacted\]/g)?.length).toBe(10);
  });
});
