// Where a chart's parts go, before anything is drawn: the data's extent, the legend's rows, the plot's frame and
// its scales (pure: text widths come from a `measure` function; tested in Tests/DashboardTests).
import { linearAxis, linearTicks, logAxis } from './axes.js';

/** Whether y can be plotted: finite, and positive on a log axis. */
export const plottable = (y, logY) => Number.isFinite(y) && (!logY || y > 0);

/** The range of the plottable points of `series` and `bands` ([x, lo, hi]) and of the `references`' y, and how many
 *  series points there are (`count`: 0 means an empty chart). */
export function chartExtent({ series = [], bands = [], references = [], logY = false }) {
  const extent = { xMin: Infinity, xMax: -Infinity, yMin: Infinity, yMax: -Infinity, count: 0 };
  const extend = (x, y) => {
    if (!Number.isFinite(x) || !plottable(y, logY)) return false;
    extent.xMin = Math.min(extent.xMin, x);
    extent.xMax = Math.max(extent.xMax, x);
    extent.yMin = Math.min(extent.yMin, y);
    extent.yMax = Math.max(extent.yMax, y);
    return true;
  };
  for (const s of series) for (const point of s.points) if (extend(point[0], point[1])) extent.count++;
  for (const band of bands) for (const point of band.points) { extend(point[0], point[1]); extend(point[0], point[2]); }
  for (const reference of references) {
    if (plottable(reference.y, logY)) {
      extent.yMin = Math.min(extent.yMin, reference.y);
      extent.yMax = Math.max(extent.yMax, reference.y);
    }
  }
  return extent;
}

/** The legend's entries: labelled series (a line), labelled bands (a filled box), the x ticks when there are any. */
export function legendItems({ series = [], bands = [], ticks = null }) {
  const items = series.filter((s) => s.label).map((s) => ({ label: s.label, color: s.color, dash: s.dash, width: s.width }));
  for (const band of bands) if (band.label) items.push({ label: band.label, color: band.color, fill: true });
  if (ticks && ticks.xs.length) items.push({ label: ticks.label, color: ticks.color, tick: true });
  return items;
}

/** The legend's items in rows no wider than `width` − 20; each item is 22 px of swatch, its label and 14 px of
 *  space wide (`measure`). */
export function legendRows(items, width, measure) {
  const rows = [];
  let row = [], rowWidth = 0;
  for (const item of items) {
    const entry = Object.assign({}, item, { measure: 22 + measure(item.label) + 14 });
    if (row.length && rowWidth + entry.measure > width - 20) { rows.push(row); row = []; rowWidth = 0; }
    row.push(entry);
    rowWidth += entry.measure;
  }
  if (row.length) rows.push(row);
  return rows;
}

/** The plot's frame in CSS pixels (legend rows above it, x labels below, y tick labels left of it) and its scales:
 *  `X`, `Y` map data to pixels, `yAxis` and `xTicks` are the axes (axes.js). `tickWidth` measures a y tick label. */
export function chartLayout({ width, height, legendRowCount, xLabel, yLabel, logY, extent, tickWidth }) {
  const top = 12 + legendRowCount * 18 + (legendRowCount ? 8 : 0);
  const bottom = height - (xLabel ? 40 : 26);
  const plotHeight = Math.max(20, bottom - top);
  const yAxis = logY ? logAxis(extent.yMin, extent.yMax, plotHeight)
    : linearAxis(extent.yMin, extent.yMax, Math.max(2, Math.floor(plotHeight / 45)));
  const labelWidth = Math.max(...yAxis.ticks.map(tickWidth), 10);
  const left = 10 + (yLabel ? 18 : 0) + labelWidth + 8;
  const right = width - 16;
  const plotWidth = Math.max(20, right - left);
  let { xMin, xMax } = extent;
  if (xMin === xMax) { xMin -= 1; xMax += 1; }
  const xTicks = linearTicks(xMin, xMax, Math.max(2, Math.floor(plotWidth / 90)));
  return {
    top, bottom, left, right, plotWidth, plotHeight, yAxis, xTicks,
    X: (x) => left + (x - xMin) / (xMax - xMin) * plotWidth,
    Y: (y) => bottom - yAxis.toUnit(y) * plotHeight,
  };
}

/** Every `stride`-th point, so a series draws at most `maxPoints` of them. */
export const strideFor = (length, maxPoints) => Math.max(1, Math.ceil(length / maxPoints));

/** `#rrggbb` with an alpha, as rgba(). */
export function withAlpha(color, alpha) {
  const hex = color.replace('#', '');
  const r = parseInt(hex.slice(0, 2), 16), g = parseInt(hex.slice(2, 4), 16), b = parseInt(hex.slice(4, 6), 16);
  return 'rgba(' + r + ',' + g + ',' + b + ',' + alpha + ')';
}
