// What a study's report (GET /v1/studies/{id}, docs/api.md "Studies") shows as: the cells table's rows, the
// decades reached, the counts line (pure: tested in Tests/DashboardTests).
import { DASH, formatDuration, formatNumber } from './format.js';

/** A cell's varied values as text: `network.adaptive = layer, network.slopeRecovery = true`. */
export function cellValues(cell) {
  const values = Object.entries((cell && cell.values) || {});
  if (values.length === 0) return DASH;
  return values.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, value]) => path + ' = ' + (typeof value === 'string' ? value : JSON.stringify(value))).join(', ');
}

/** How many of a cell's runs reached each decade 10⁻ᵈ it lists, with their median seconds to it:
 *  `1e-1: 3/3 (12 s), 1e-2: 1/3 (40 s)`; a dash when no run reached 10⁻¹. */
export function decadesText(cell) {
  const reached = ((cell && cell.decades) || []).filter((decade) => decade.reached > 0);
  if (reached.length === 0) return DASH;
  return reached.map((decade) => '1e-' + decade.decade + ': ' + decade.reached + '/' + decade.runs +
    (decade.seconds ? ' (' + formatDuration(decade.seconds.median) + ')' : '')).join(', ');
}

/** One row of the cells table per cell, in the report's order: its label and values, the runs by status, the
 *  final error's median, min and max (over the succeeded runs; dashes before one), and the decades reached. */
export function cellRows(report) {
  return ((report && report.cells) || []).map((cell) => {
    const runs = cell.runs || [];
    const spread = cell.finalError;
    const succeeded = runs.filter((run) => run.status === 'succeeded').length;
    const failed = runs.filter((run) => run.status === 'failed').length;
    return {
      index: cell.index,
      label: cell.label,
      values: cellValues(cell),
      runs: runs.length,
      finished: succeeded + ' of ' + runs.length + (failed ? ' (' + failed + ' failed)' : ''),
      median: spread ? formatNumber(spread.median) : DASH,
      min: spread ? formatNumber(spread.min) : DASH,
      max: spread ? formatNumber(spread.max) : DASH,
      decades: decadesText(cell),
    };
  });
}

/** The jobs by status, the non-zero ones in life-cycle order: `3 running · 5 queued · 12 succeeded`. */
export function countsText(counts) {
  const order = ['running', 'queued', 'succeeded', 'failed', 'cancelled'];
  const parts = order.filter((status) => counts && counts[status] > 0).map((status) => counts[status] + ' ' + status);
  return parts.length ? parts.join(' \u00b7 ') : 'no jobs';
}

/** A study's name, or its cell and job counts when it has none. */
export function studyTitle(study) {
  if (study && study.name) return study.name;
  const cells = study && Array.isArray(study.cells) ? study.cells.length : study && study.cells;
  return 'Study of ' + (cells || 0) + ' cell' + (cells === 1 ? '' : 's') + ', ' + ((study && study.jobs) || 0) + ' jobs';
}
