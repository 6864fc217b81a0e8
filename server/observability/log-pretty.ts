/**
 * Human-readable log lines for a terminal. It reformats the JSON line pino has already produced — after redaction —
 * so both formats carry exactly the same (censored) values. Pure: `prettyLine(json, color)` → text.
 */

const LEVELS: Readonly<Record<number, { label: string; color: string }>> = {
  10: { label: 'TRACE', color: '\x1b[90m' }, 20: { label: 'DEBUG', color: '\x1b[36m' }, 30: { label: 'INFO ', color: '\x1b[32m' },
  40: { label: 'WARN ', color: '\x1b[33m' }, 50: { label: 'ERROR', color: '\x1b[31m' }, 60: { label: 'FATAL', color: '\x1b[35m' },
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
/** pino's own fields: shown as time, level and message, or left out (pid, hostname, schema version). */
const OWN = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'v']);

const pad2 = (n: number): string => String(n).padStart(2, '0');
const clock = (ms: number): string => {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
};

/** `key=value`: plain words as they are, anything else as JSON (quoted strings, compact objects). */
function field(key: string, value: unknown): string {
  if (typeof value === 'string') return `${key}=${/^[^\s"]+$/.test(value) ? value : JSON.stringify(value)}`;
  return `${key}=${JSON.stringify(value)}`;
}

/** One pino JSON line as `HH:MM:SS.mmm LEVEL message key=value …`, an error's stack indented below it. */
export function prettyLine(json: string, color: boolean): string {
  let o: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(json);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return json.endsWith('\n') ? json : `${json}\n`;
    o = parsed as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = LEVELS[typeof o.level === 'number' ? o.level : 30] ?? { label: String(o.level).toUpperCase().padEnd(5), color: '' };
  const time = typeof o.time === 'number' ? clock(o.time) : '';
  const paint = (code: string, text: string): string => (color && code ? `${code}${text}${RESET}` : text);
  const fields: string[] = [];
  let stack: string | undefined;
  for (const [key, value] of Object.entries(o)) {
    if (OWN.has(key)) continue;
    const err = value as { message?: unknown; stack?: unknown } | null;
    if (key === 'err' && typeof err === 'object' && err !== null && typeof err.stack === 'string') {
      fields.push(field('err', typeof err.message === 'string' ? err.message : err.stack.split('\n')[0]));
      stack = err.stack;
      continue;
    }
    fields.push(field(key, value));
  }
  const msg = typeof o.msg === 'string' ? o.msg : '';
  const head = [paint(DIM, time), paint(level.color, level.label), msg, fields.length ? paint(DIM, fields.join(' ')) : ''].filter((p) => p !== '').join(' ');
  const tail = stack === undefined ? '' : `\n${stack.split('\n').slice(1).map((l) => `    ${l.trim()}`).join('\n')}`;
  return `${head}${tail}\n`;
}
