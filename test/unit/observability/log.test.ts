/** Log formats: pretty at a terminal, JSON otherwise, HOOKFLOW_LOG_FORMAT to force; the same redaction in both. */
import { describe, expect, it } from 'vitest';
import { createLogger, logFormatFor, useColor, type LogFormat } from '../../../server/observability/log.js';
import { prettyLine } from '../../../server/observability/log-pretty.js';
import { loadConfig } from '../../../server/config.js';

function capture(format: LogFormat): { text: () => string; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const log = createLogger({ level: 'info', format, sink: { write: (t: string) => lines.push(t) } });
  return { text: () => lines.join(''), log };
}

/** The shapes metrics.log-redact.test.ts checks, logged through the real logger in one format. */
function logSecrets(log: ReturnType<typeof createLogger>): void {
  log.info({ executionId: 'exe_1', headers: { authorization: 'Bearer SECRET-A', cookie: 'sid=SECRET-B', 'x-api-key': 'SECRET-C', accept: 'json' } }, 'one');
  log.info({ req: { headers: { authorization: 'Basic SECRET-D', 'set-cookie': 'SECRET-E' } } }, 'two');
  log.info({ user: { password: 'SECRET-F' }, token: 'SECRET-G', cfg: { secretKey: 'SECRET-H', apiToken: 'SECRET-I' }, smtp: { pass: 'SECRET-J' } }, 'three');
}

describe('log redaction is the same in both formats', () => {
  it.each(['json', 'pretty'] as const)('%s: every secret is [Redacted], the rest is kept', (format) => {
    const c = capture(format);
    logSecrets(c.log);
    const text = c.text();
    expect(text).not.toMatch(/SECRET-/);
    expect(text.match(/\[Redacted\]/g)?.length).toBe(10);
    expect(text).toContain('exe_1');
    expect(text).toContain('"accept":"json"');
  });

  it('pretty is the JSON line reformatted: same fields and values, one line per entry', () => {
    const json = capture('json');
    const pretty = capture('pretty');
    for (const c of [json, pretty]) logSecrets(c.log);
    const jsonLines = json.text().trim().split('\n').map((l) => JSON.parse(l));
    const prettyLines = pretty.text().trim().split('\n');
    expect(prettyLines).toHaveLength(jsonLines.length);
    expect(prettyLines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO  one executionId=exe_1 headers=\{"authorization":"\[Redacted\]","cookie":"\[Redacted\]","x-api-key":"\[Redacted\]","accept":"json"\}$/);
    expect(prettyLines.join('\n')).not.toMatch(/"pid"|hostname/);
  });
});

describe('prettyLine', () => {
  const at = new Date(2026, 11, 4, 9, 5, 7, 42).getTime();
  it('shows time, level, message and the other fields; strings with spaces quoted', () => {
    const line = prettyLine(JSON.stringify({ level: 40, time: at, pid: 1, hostname: 'h', msg: 'no owner yet', setupUrl: 'http://127.0.0.1:8080/setup?token=abc', note: 'two words', n: 3 }), false);
    expect(line).toBe('09:05:07.042 WARN  no owner yet setupUrl=http://127.0.0.1:8080/setup?token=abc note="two words" n=3\n');
  });
  it('puts an error\'s message on the line and its stack below, indented', () => {
    const line = prettyLine(JSON.stringify({ level: 50, time: at, msg: 'step failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at a (x.js:1:1)\n    at b (y.js:2:2)' } }), false);
    expect(line).toBe('09:05:07.042 ERROR step failed err=boom\n    at a (x.js:1:1)\n    at b (y.js:2:2)\n');
  });
  it('colours only when asked, and passes a line that is not JSON through', () => {
    expect(prettyLine(JSON.stringify({ level: 30, time: at, msg: 'hi' }), true)).toContain('\x1b[32mINFO ');
    expect(prettyLine(JSON.stringify({ level: 30, time: at, msg: 'hi' }), false)).not.toContain('\x1b[');
    expect(prettyLine('not json', false)).toBe('not json\n');
  });
});

describe('choosing the format', () => {
  it('is pretty at a terminal and JSON otherwise, unless HOOKFLOW_LOG_FORMAT says', () => {
    expect(logFormatFor(undefined, true)).toBe('pretty');
    expect(logFormatFor(undefined, false)).toBe('json');
    expect(logFormatFor('json', true)).toBe('json');
    expect(logFormatFor('pretty', false)).toBe('pretty');
    expect(useColor(true, {})).toBe(true);
    expect(useColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(false, {})).toBe(false);
  });
  it('HOOKFLOW_LOG_FORMAT takes pretty or json (any case) and names itself otherwise', () => {
    expect(loadConfig({ HOOKFLOW_LOG_FORMAT: 'JSON' }).logFormat).toBe('json');
    expect(loadConfig({ HOOKFLOW_LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadConfig({}).logFormat).toBeUndefined();
    expect(() => loadConfig({ HOOKFLOW_LOG_FORMAT: 'text' })).toThrow('HOOKFLOW_LOG_FORMAT: must be pretty or json, got "text"');
  });
});
