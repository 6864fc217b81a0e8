/**
 * Under a schedule node's form: its next runs in the flow's time zone, or why the params do not make a schedule yet.
 * The same croner the server fires with (nodes/schedule.ts); the save-time check stays the server's.
 */
import { nextRuns, type ScheduleFields } from './schedule-runs';

export function SchedulePreview({ params }: { params: Record<string, unknown> }) {
  const p = params as ScheduleFields;
  const tz = p.timezone || 'UTC';
  const runs = nextRuns(p, Date.now());
  let fmt: Intl.DateTimeFormat | undefined;
  try { fmt = new Intl.DateTimeFormat('en-GB', { timeZone: tz, dateStyle: 'medium', timeStyle: 'medium' }); } catch { fmt = undefined; }
  if (!fmt) return <p className="small muted" data-testid="schedule-preview">Not a schedule yet: "{tz}" is not a time zone.</p>;
  if (typeof runs === 'string') return <p className="small muted" data-testid="schedule-preview">Not a schedule yet: {runs}.</p>;
  return <p className="small muted" data-testid="schedule-preview">Next runs ({tz}): {runs.length ? runs.map((t) => (fmt as Intl.DateTimeFormat).format(t)).join(' · ') : 'none'}</p>;
}
