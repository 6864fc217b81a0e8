/** The process logger: pino with the same redaction in both formats, JSON lines by default, readable lines at a terminal. */
import pino, { type Logger } from 'pino';
import { LOG_REDACT } from './log-redact.js';
import { prettyLine } from './log-pretty.js';

export type LogFormat = 'pretty' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['pretty', 'json'];

/** HOOKFLOW_LOG_FORMAT when set, else `pretty` when the output is a terminal and `json` otherwise (files, journald, pipes). */
export const logFormatFor = (configured: LogFormat | undefined, isTTY: boolean): LogFormat => configured ?? (isTTY ? 'pretty' : 'json');

/** Colours only on a real terminal, and never with NO_COLOR set (no-color.org). */
export const useColor = (isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean => isTTY && !env.NO_COLOR;

export interface LoggerOptions {
  level: string;
  format: LogFormat;
  /** 1 (stdout, the server) or 2 (stderr, the one-shot CLI commands). @default 1 */
  fd?: 1 | 2;
  color?: boolean;
  /** Tests: where lines go instead of the file descriptor. */
  sink?: { write(text: string): unknown };
}

/**
 * pino redacts while it serialises, so the pretty stream only ever sees the censored JSON line and reformats it:
 * a secret that is `[Redacted]` in JSON is `[Redacted]` at the terminal too (test/unit/observability/log.test.ts).
 */
export function createLogger(opts: LoggerOptions): Logger {
  const out = opts.sink ?? pino.destination({ fd: opts.fd ?? 1, sync: true });
  const base = { level: opts.level, redact: LOG_REDACT };
  if (opts.format === 'json') return pino(base, out);
  const color = opts.color ?? false;
  return pino(base, { write: (line: string) => out.write(prettyLine(line, color)) });
}
