// chart-layout.js: a chart's extent, legend rows, frame and scales, before anything is drawn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chartExtent, chartLayout, legendItems, legendRows, plottable, strideFor, withAlpha }
  from '../../Sources/PINNService/Dashboard/Web/chart-layout.js';

test('plottable: finite, and positive on a log axis', () => {
  assert.equal(plottable(0, false), true);
  assert.equal(plottable(0, true), false);
  assert.equal(plottable(-1, true), false);
  assert.equal(plottable(NaN, false), false);
  assert.equal(plottable(null, false), false, 'a missing value is a gap');
});

test('chartExtent spans the plottable series points and counts them', () => {
  const series = [{ points: [[0, 1], [1, NaN], [2, 0.5]] }, { points: [[4, -3], [5, 10]] }];
  assert.deepEqual(chartExtent({ series }), { xMin: 0, xMax: 5, yMin: -3, yMax: 10, count: 4 });
  assert.deepEqual(chartExtent({ series, logY: true }), { xMin: 0, xMax: 5, yMin: 0.5, yMax: 10, count: 3 });
});

test('chartExtent widens y for bands and references, which add no points', () => {
  const extent = chartExtent({ series: [{ points: [[1, 2]] }], bands: [{ points: [[3, 1, 4]] }],
    references: [{ y: 9 }, { y: -1 }], logY: true });
  assert.deepEqual(extent, { xMin: 1, xMax: 3, yMin: 1, yMax: 9, count: 1 });
});

test('chartExtent of bands and references alone is an empty chart', () => {
  assert.equal(chartExtent({ bands: [{ points: [[0, 1, 2]] }], references: [{ y: 1 }] }).count, 0);
});

test('legendItems: labelled series, labelled bands, then the ticks if any', () => {
  const items = legendItems({
    series: [{ label: 'pde', color: '#1', dash: [5, 4] }, { color: '#2' }, { label: 'total', color: '#3', width: 2.2 }],
    bands: [{ label: 'min–max', color: '#4' }, { label: '', color: '#5' }],
    ticks: { label: 'resampled', color: '#6', xs: [10] },
  });
  assert.deepEqual(items, [
    { label: 'pde', color: '#1', dash: [5, 4], width: undefined },
    { label: 'total', color: '#3', dash: undefined, width: 2.2 },
    { label: 'min–max', color: '#4', fill: true },
    { label: 'resampled', color: '#6', tick: true },
  ]);
  assert.deepEqual(legendItems({ ticks: { label: 'resampled', color: '#6', xs: [] } }), [], 'no ticks, no entry');
});

test('legendRows wraps items at the width less 20 px; each is 36 px plus its label', () => {
  const items = ['a', 'b', 'c'].map((label) => ({ label }));
  const measure = () => 64; // every item 100 px wide
  assert.deepEqual(legendRows(items, 320, measure).map((row) => row.map((item) => item.label)), [['a', 'b', 'c']]);
  assert.deepEqual(legendRows(items, 319, measure).map((row) => row.map((item) => item.label)), [['a', 'b'], ['c']]);
  assert.equal(legendRows(items, 100, measure).length, 3, 'an item wider than the row still gets a row');
  assert.equal(legendRows(items, 320, measure)[0][0].measure, 100);
  assert.deepEqual(legendRows([], 320, measure), []);
});

test('chartLayout places the plot below the legend and right of the y labels', () => {
  const frame = chartLayout({ width: 600, height: 280, legendRowCount: 2, xLabel: 'iteration', yLabel: 'loss',
    logY: false, extent: { xMin: 0, xMax: 100, yMin: 0, yMax: 10 }, tickWidth: () => 30 });
  assert.equal(frame.top, 12 + 2 * 18 + 8);
  assert.equal(frame.bottom, 280 - 40);
  assert.equal(frame.left, 10 + 18 + 30 + 8);
  assert.equal(frame.right, 600 - 16);
  assert.equal(frame.plotWidth, 600 - 16 - 66);
  assert.equal(frame.X(0), frame.left);
  assert.equal(frame.X(100), frame.right);
  assert.ok(frame.Y(0) < frame.bottom && frame.Y(10) > frame.top, 'the y range is padded inside the frame');
  assert.deepEqual(frame.xTicks.ticks, [0, 20, 40, 60, 80, 100]);
});

test('chartLayout on a log axis, without labels or legend, and a single x', () => {
  const frame = chartLayout({ width: 400, height: 200, legendRowCount: 0, xLabel: '', yLabel: '', logY: true,
    extent: { xMin: 7, xMax: 7, yMin: 0.01, yMax: 1 }, tickWidth: () => 5 });
  assert.equal(frame.top, 12);
  assert.equal(frame.bottom, 200 - 26);
  assert.equal(frame.left, 10 + 10 + 8, 'y labels are given at least 10 px');
  assert.equal(frame.Y(0.01), frame.bottom);
  assert.equal(frame.Y(1), frame.bottom - frame.plotHeight);
  assert.equal(frame.X(7), frame.left + frame.plotWidth / 2, 'a single x is centred in [x − 1, x + 1]');
});

test('strideFor thins a series to at most the given number of points', () => {
  assert.equal(strideFor(100, 20000), 1);
  assert.equal(strideFor(20000, 20000), 1);
  assert.equal(strideFor(20001, 20000), 2);
  assert.equal(strideFor(100000, 20000), 5);
});

test('withAlpha turns #rrggbb into rgba()', () => {
  assert.equal(withAlpha('#1f77b4', 0.16), 'rgba(31,119,180,0.16)');
});
