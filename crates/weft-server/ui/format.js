// Formatting, without the DOM: times and durations, short renderings of
// values, and source positions.

/**
 * A parked run: one this build cannot read (`unreadable_*`) or whose step
 * panicked (`engine_panic`); its error's code says which.
 */
export function unreadable(run) {
  return run.status === 'failed' && /^(unreadable_|engine_panic$)/.test(run.error?.code || '');
}

/** Milliseconds since the epoch, of a number or an RFC 3339 text. */
export function parseTime(t) {
  return typeof t === 'number' ? t : Date.parse(t);
}

/** "12 s", "5 min", "3 h", "2 d". */
export function span(ms) {
  const s = Math.abs(ms) / 1000;
  if (s < 1) return ms === 0 ? '0 s' : `${Math.round(Math.abs(ms))} ms`;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = s / 60;
  if (m < 60) return `${Math.round(m)} min`;
  const hr = m / 60;
  if (hr < 48) return `${hr < 10 ? hr.toFixed(1) : Math.round(hr)} h`;
  return `${Math.round(hr / 24)} d`;
}

/** "just now", "5 min ago", "in 3 h". */
export function ago(t) {
  const d = Date.now() - parseTime(t);
  if (Math.abs(d) < 1000) return 'just now';
  return d >= 0 ? `${span(d)} ago` : `in ${span(d)}`;
}

/** An age: "<1 s", "12 s", "5 min". */
export function age(t) {
  const d = Date.now() - parseTime(t);
  return d < 1000 ? '<1 s' : span(d);
}

/** "in 5 min", or "5 min ago" once past. */
export function until(t) {
  const d = parseTime(t) - Date.now();
  return d >= 0 ? `in ${span(d)}` : `${span(d)} ago`;
}

/** The date and time in the browser's locale. */
export function absolute(t) {
  const d = new Date(parseTime(t));
  return Number.isNaN(d.getTime()) ? String(t) : d.toLocaleString();
}

/** The time of day, and how far away it is. */
export function timeText(t) {
  return `${new Date(parseTime(t)).toLocaleTimeString()} (${until(t)})`;
}

/** A value as JSON text, indented. */
export function json(v, indent = 2) {
  return JSON.stringify(v, null, indent);
}

/** A short one-line rendering of a value. */
export function preview(v, max = 80) {
  const s = JSON.stringify(v);
  if (s === undefined) return '';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A run's `position` (`file:line`) as {file, line}, or null. */
export function splitPosition(p) {
  if (!p) return null;
  const i = p.lastIndexOf(':');
  return i < 0 ? null : { file: p.slice(0, i), line: Number(p.slice(i + 1)) };
}

/** The text of `line` (1-based) of `file` in a loaded version, or ''. */
export function lineOf(version, file, line) {
  const f = version?.files?.find((x) => x.name === file);
  return f ? (f.text.split('\n')[line - 1] || '').trim() : '';
}
