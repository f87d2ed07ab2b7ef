// Numbers, durations and times as the dashboard shows them (pure: tested in Tests/DashboardTests).

/** What a missing or non-finite value shows as. */
export const DASH = '\u2013';

/** `digits` significant digits; plain between 1e-3 and 1e5, otherwise exponential without the `+` (1.23e7). */
export function formatNumber(value, digits = 3) {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e5) return String(Number(value.toPrecision(digits)));
  return value.toExponential(digits - 1).replace('e+', 'e');
}

/** Seconds as `< 1 s`, `42 s`, `3 min 5 s`, `2 h 7 min`. */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
  if (seconds < 1) return '< 1 s';
  const s = Math.round(seconds);
  if (s < 60) return s + ' s';
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return minutes + ' min' + (s % 60 ? ' ' + (s % 60) + ' s' : '');
  return Math.floor(minutes / 60) + ' h ' + (minutes % 60) + ' min';
}

/** An ISO 8601 time in the browser's locale. */
export function formatTime(iso) {
  if (!iso) return DASH;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? DASH : date.toLocaleString();
}

/** How long before `now` (milliseconds since the epoch) an ISO 8601 time was: `just now`, `5 min ago`, `3 h ago`,
 *  then the date. */
export function formatAgo(iso, now = Date.now()) {
  const seconds = (now - Date.parse(iso)) / 1000;
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return Math.round(seconds / 60) + ' min ago';
  if (seconds < 86400) return Math.round(seconds / 3600) + ' h ago';
  return new Date(iso).toLocaleDateString();
}

/** A job id's first eight characters, as the job list shows it. */
export const shortId = (id) => String(id).slice(0, 8);
