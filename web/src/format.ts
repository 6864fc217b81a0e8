/** PURE: words and numbers for people: a message as a sentence, plurals, spans of time, how long ago. */

/** A server message as a sentence: capital first letter, a full stop. */
export const sentence = (m: string): string => {
  const t = m.trim();
  if (t === '') return t;
  const s = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
};

/** "1 attempt", "3 attempts". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A span of time for people: "850 ms", "13.3 s", "2 min 5 s", "1 h 4 min". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ''}`;
}

/** "just now", "5 min ago", "3 h ago", else the date and time. */
export function formatWhen(t: number, now = Date.now()): string {
  const ago = now - t;
  if (ago < 45_000 && ago > -60_000) return 'just now';
  if (ago < 3_600_000 && ago > 0) return `${Math.round(ago / 60_000)} min ago`;
  if (ago < 86_400_000 && ago > 0) return `${Math.round(ago / 3_600_000)} h ago`;
  return new Date(t).toLocaleString();
}
