// A solution grid (GET /v1/jobs/{id}/solution) cut along its first axis (pure: tested in Tests/DashboardTests).
import { formatNumber } from './format.js';

/** A solution grid by output: `{"u": [[...]]}` from current servers, a bare grid from older ones. */
export function solutionGrid(solution, group, output) {
  if (!solution) return null;
  if (group === 'value') return solution[output] || null;
  const value = solution[group];
  if (!value) return null;
  return Array.isArray(value) ? value : value[output] || null;
}

/** Default cut positions: 0, 1/4, 1/2, 3/4 and 1 of the first axis' range (t for time-dependent problems). */
export function defaultCuts(values) {
  const lo = values[0], hi = values[values.length - 1];
  return [0, 0.25, 0.5, 0.75, 1].map((f) => formatNumber(lo + f * (hi - lo), 4)).join(', ');
}

/** The grid rows nearest the values in `text` (separated by commas, semicolons or spaces; others ignored), each
 *  once, in the order first asked for. */
export function cutRows(rows, text) {
  const wanted = text.split(/[,;\s]+/).map(Number.parseFloat).filter(Number.isFinite);
  const indices = [];
  for (const value of wanted) {
    let best = 0;
    rows.forEach((row, i) => { if (Math.abs(row - value) < Math.abs(rows[best] - value)) best = i; });
    if (rows.length && !indices.includes(best)) indices.push(best);
  }
  return indices;
}
