// Line charts drawn on canvas: drawChart lays a chart out (chart-layout.js), then draws its grid and axes, the
// data clipped to the plot, and the legend. Every chart sets data-drawn="true" and data-points=N after drawing:
// scripts/browser_test.py waits for both.
import { formatTick } from './axes.js';
import { chartExtent, chartLayout, legendItems, legendRows, plottable, strideFor, withAlpha } from './chart-layout.js';

export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf',
  '#bcbd22', '#7f7f7f'];
const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const SMALL_FONT = '9px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const MAX_POINTS_PER_SERIES = 20000;

/** Sizes the canvas to its CSS box at the device's pixel ratio; drawing then uses CSS pixels. */
function prepareCanvas(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(240, Math.round(canvas.clientWidth || 600));
  const height = Math.max(140, Math.round(canvas.clientHeight || 280));
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, width, height };
}

/** Marks a canvas for the browser test: drawn, and how many data points it shows. */
function markDrawn(canvas, points) {
  canvas.dataset.drawn = 'true';
  canvas.dataset.points = String(points);
}

/** Clears a chart and its marks, so nothing stale is shown (or tested). */
export function resetChart(canvas) {
  canvas.dataset.drawn = 'false';
  canvas.dataset.points = '0';
  const ctx = canvas.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
}

/**
 * Draws a line chart.
 *   series:     [{label, color, points: [[x, y], ...], dash?: [..], width?}]  (non-finite y, or y <= 0 on a log
 *               axis, leave a gap)
 *   bands:      [{label?, color, points: [[x, lo, hi], ...]}]  filled between lo and hi
 *   markers:    [{x, label}]  dashed vertical lines (phase changes)
 *   ticks:      {label, color, xs: [..]}  short marks under the plot (resamples)
 *   references: [{y, color, label}]  dashed horizontal lines
 */
export function drawChart(canvas, options) {
  const chart = Object.assign({ series: [], bands: [], markers: [], ticks: null, references: [], logY: false,
    xLabel: '', yLabel: '', empty: 'No data yet.' }, options);
  const { ctx, width, height } = prepareCanvas(canvas);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.font = FONT;
  const extent = chartExtent(chart);
  if (extent.count === 0) {
    drawEmpty(ctx, width, height, chart.empty);
    markDrawn(canvas, 0);
    return;
  }
  // Legend rows along the top, so no line hides behind them.
  const rows = legendRows(legendItems(chart), width, (text) => ctx.measureText(text).width);
  const frame = chartLayout({ width, height, legendRowCount: rows.length, xLabel: chart.xLabel, yLabel: chart.yLabel,
    logY: chart.logY, extent, tickWidth: (tick) => tickLabelWidth(ctx, tick) });
  drawGrid(ctx, frame);
  drawAxisTitles(ctx, frame, chart, height);
  ctx.save();
  ctx.beginPath();
  ctx.rect(frame.left, frame.top, frame.plotWidth + 1, frame.plotHeight + 1);
  ctx.clip();
  drawMarkers(ctx, frame, chart.markers);
  drawReferences(ctx, frame, chart.references, chart.logY);
  drawBands(ctx, frame, chart.bands, chart.logY);
  for (const s of chart.series) drawSeries(ctx, frame, s, chart.logY);
  if (chart.ticks) drawXTicks(ctx, frame, chart.ticks);
  ctx.restore();
  drawLegend(ctx, rows);
  markDrawn(canvas, extent.count);
}

function drawEmpty(ctx, width, height, text) {
  ctx.strokeStyle = '#dde3ea';
  ctx.setLineDash([4, 4]);
  ctx.strokeRect(10.5, 10.5, width - 21, height - 21);
  ctx.setLineDash([]);
  ctx.fillStyle = '#6b7785';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, width / 2, height / 2);
}

function tickLabelWidth(ctx, tick) {
  ctx.font = FONT;
  let width = ctx.measureText(tick.base).width;
  if (tick.exponent) {
    ctx.font = SMALL_FONT;
    width += ctx.measureText(tick.exponent).width + 1;
    ctx.font = FONT;
  }
  return width;
}

/** A y tick's label, right-aligned at `right`, its exponent raised in the small font. */
function drawTickLabel(ctx, tick, right, y) {
  const left = right - tickLabelWidth(ctx, tick);
  ctx.font = FONT;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(tick.base, left, y);
  if (tick.exponent) {
    const baseWidth = ctx.measureText(tick.base).width;
    ctx.font = SMALL_FONT;
    ctx.fillText(tick.exponent, left + baseWidth + 1, y - 5);
    ctx.font = FONT;
  }
}

function horizontalLine(ctx, frame, y) {
  ctx.beginPath(); ctx.moveTo(frame.left, y); ctx.lineTo(frame.right, y); ctx.stroke();
}

function verticalLine(ctx, x, from, to) {
  ctx.beginPath(); ctx.moveTo(x, from); ctx.lineTo(x, to); ctx.stroke();
}

/** Minor and major grid lines, the tick labels of both axes and the plot's border. */
function drawGrid(ctx, frame) {
  const { top, bottom, left, plotWidth, plotHeight, yAxis, xTicks, X, Y } = frame;
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#f3f5f8';
  for (const value of yAxis.minor) {
    const y = Math.round(Y(value)) + 0.5;
    if (y >= top && y <= bottom) horizontalLine(ctx, frame, y);
  }
  ctx.strokeStyle = '#e6eaef';
  ctx.fillStyle = '#5b6673';
  for (const tick of yAxis.ticks) {
    const y = Math.round(Y(tick.value)) + 0.5;
    if (y < top - 0.5 || y > bottom + 0.5) continue;
    horizontalLine(ctx, frame, y);
    drawTickLabel(ctx, tick, left - 6, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const value of xTicks.ticks) {
    const x = Math.round(X(value)) + 0.5;
    verticalLine(ctx, x, top, bottom);
    ctx.fillText(formatTick(value, xTicks.step), x, bottom + 5);
  }
  ctx.strokeStyle = '#b9c2cc';
  ctx.strokeRect(left + 0.5, top + 0.5, plotWidth, plotHeight);
}

/** The x axis' title under the plot, the y axis' title turned along its left side. */
function drawAxisTitles(ctx, frame, { xLabel, yLabel }, height) {
  ctx.fillStyle = '#3d4751';
  ctx.textAlign = 'center';
  if (xLabel) {
    ctx.textBaseline = 'bottom';
    ctx.fillText(xLabel, frame.left + frame.plotWidth / 2, height - 4);
  }
  if (yLabel) {
    ctx.save();
    ctx.translate(14, frame.top + frame.plotHeight / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText(yLabel, 0, 0);
    ctx.restore();
  }
}

function drawMarkers(ctx, frame, markers) {
  for (const marker of markers) {
    const x = Math.round(frame.X(marker.x)) + 0.5;
    ctx.strokeStyle = '#9aa5b1';
    ctx.setLineDash([4, 3]);
    verticalLine(ctx, x, frame.top, frame.bottom);
    ctx.setLineDash([]);
    if (marker.label) {
      ctx.fillStyle = '#6b7785';
      ctx.textAlign = 'left';
      ctx.textBaseline = 'top';
      ctx.fillText(marker.label, x + 4, frame.top + 3);
    }
  }
}

function drawReferences(ctx, frame, references, logY) {
  for (const reference of references) {
    if (!plottable(reference.y, logY)) continue;
    const y = Math.round(frame.Y(reference.y)) + 0.5;
    ctx.strokeStyle = reference.color;
    ctx.lineWidth = 1.25;
    ctx.setLineDash([6, 4]);
    horizontalLine(ctx, frame, y);
    ctx.setLineDash([]);
    if (reference.label) {
      ctx.fillStyle = reference.color;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'bottom';
      ctx.fillText(reference.label, frame.right - 4, y - 2);
    }
  }
}

function drawBands(ctx, frame, bands, logY) {
  const { X, Y } = frame;
  for (const band of bands) {
    const points = band.points.filter((p) => Number.isFinite(p[0]) && plottable(p[1], logY) && plottable(p[2], logY));
    if (points.length < 2) continue;
    ctx.fillStyle = withAlpha(band.color, 0.16);
    ctx.beginPath();
    points.forEach((p, i) => (i ? ctx.lineTo(X(p[0]), Y(p[2])) : ctx.moveTo(X(p[0]), Y(p[2]))));
    for (let i = points.length - 1; i >= 0; i--) ctx.lineTo(X(points[i][0]), Y(points[i][1]));
    ctx.closePath();
    ctx.fill();
  }
}

/** One series as a line with gaps at unplottable points; a series of one point is a dot. */
function drawSeries(ctx, frame, s, logY) {
  const stride = strideFor(s.points.length, MAX_POINTS_PER_SERIES);
  ctx.lineJoin = 'round';
  ctx.strokeStyle = s.color;
  ctx.fillStyle = s.color;
  ctx.lineWidth = s.width || 1.6;
  ctx.setLineDash(s.dash || []);
  ctx.beginPath();
  let pen = false, drawn = 0, lastX = 0, lastY = 0;
  for (let i = 0; i < s.points.length; i += stride) {
    const [x, y] = s.points[i];
    if (!Number.isFinite(x) || !plottable(y, logY)) { pen = false; continue; }
    lastX = frame.X(x); lastY = frame.Y(y);
    if (pen) ctx.lineTo(lastX, lastY); else ctx.moveTo(lastX, lastY);
    pen = true;
    drawn++;
  }
  ctx.stroke();
  ctx.setLineDash([]);
  if (drawn === 1) { ctx.beginPath(); ctx.arc(lastX, lastY, 3, 0, 2 * Math.PI); ctx.fill(); }
}

/** Short marks rising from the x axis (where points were resampled). */
function drawXTicks(ctx, frame, ticks) {
  ctx.strokeStyle = ticks.color;
  ctx.lineWidth = 1.5;
  for (const value of ticks.xs) verticalLine(ctx, Math.round(frame.X(value)) + 0.5, frame.bottom, frame.bottom - 6);
}

function drawLegend(ctx, rows) {
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  rows.forEach((items, r) => {
    let x = 10;
    const y = 10 + r * 18 + 7;
    for (const item of items) {
      drawSwatch(ctx, item, x, y);
      ctx.fillStyle = '#3d4751';
      ctx.fillText(item.label, x + 22, y);
      x += item.measure;
    }
  });
}

/** A legend item's sample: a filled box (band), a tick, or a line in the series' dash and width. */
function drawSwatch(ctx, item, x, y) {
  ctx.strokeStyle = item.color;
  ctx.fillStyle = item.color;
  if (item.fill) {
    ctx.fillStyle = withAlpha(item.color, 0.3);
    ctx.fillRect(x, y - 5, 18, 10);
  } else if (item.tick) {
    ctx.lineWidth = 1.5;
    verticalLine(ctx, x + 9, y + 5, y - 5);
  } else {
    ctx.lineWidth = item.width || 1.6;
    ctx.setLineDash(item.dash || []);
    ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + 18, y); ctx.stroke();
    ctx.setLineDash([]);
  }
}
