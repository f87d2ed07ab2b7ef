// studies.js: a study's report as the study page shows it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DASH } from '../../Sources/PINNService/Dashboard/Web/format.js';
import { cellRows, cellValues, countsText, decadesText, studyTitle } from '../../Sources/PINNService/Dashboard/Web/studies.js';

const report = {
  name: 'modes', jobs: 5, counts: { queued: 1, running: 0, succeeded: 3, failed: 1, cancelled: 0 },
  cells: [
    { index: 0, label: 'network.adaptive=fixed', values: { 'network.adaptive': 'fixed', 'network.layers': [8, 8] },
      runs: [{ status: 'succeeded' }, { status: 'succeeded' }, { status: 'failed' }],
      finalError: { median: 0.0123456, min: 0.01, max: 0.02, count: 2 },
      decades: [{ decade: 1, threshold: 0.1, reached: 2, runs: 3, seconds: { median: 12.2, min: 10, max: 14, count: 2 } },
        { decade: 2, threshold: 0.01, reached: 0, runs: 3, seconds: null }] },
    { index: 1, label: 'network.adaptive=layer', values: { 'network.adaptive': 'layer', 'network.layers': [8, 8] },
      runs: [{ status: 'succeeded' }, { status: 'queued' }], finalError: null,
      decades: [{ decade: 1, threshold: 0.1, reached: 0, runs: 2, seconds: null }] },
  ],
};

test('cellRows gives one row per cell with the final error spread and the decades reached', () => {
  const rows = cellRows(report);
  assert.equal(rows.length, 2);
  assert.deepEqual(rows[0], { index: 0, label: 'network.adaptive=fixed',
    values: 'network.adaptive = fixed, network.layers = [8,8]', runs: 3, finished: '2 of 3 (1 failed)',
    median: '0.0123', min: '0.01', max: '0.02', decades: '1e-1: 2/3 (12 s)' });
  assert.equal(rows[1].median, DASH, 'no succeeded run yet: no spread');
  assert.equal(rows[1].finished, '1 of 2');
  assert.equal(rows[1].decades, DASH);
  assert.deepEqual(cellRows(null), []);
});

test('cellValues sorts the paths and shows a cell without variations as a dash', () => {
  assert.equal(cellValues({ values: { b: true, a: 0.5 } }), 'a = 0.5, b = true');
  assert.equal(cellValues({ values: {} }), DASH);
});

test('decadesText lists only the decades some run reached', () => {
  assert.equal(decadesText(report.cells[0]), '1e-1: 2/3 (12 s)');
  assert.equal(decadesText({ decades: [{ decade: 1, reached: 1, runs: 1, seconds: null }] }), '1e-1: 1/1');
});

test('countsText names the non-zero statuses in life-cycle order', () => {
  assert.equal(countsText(report.counts), '1 queued \u00b7 3 succeeded \u00b7 1 failed');
  assert.equal(countsText({}), 'no jobs');
});

test('studyTitle is the name, else the size', () => {
  assert.equal(studyTitle(report), 'modes');
  assert.equal(studyTitle({ cells: 3, jobs: 15 }), 'Study of 3 cells, 15 jobs');
  assert.equal(studyTitle({ cells: [{}], jobs: 2 }), 'Study of 1 cell, 2 jobs');
});
