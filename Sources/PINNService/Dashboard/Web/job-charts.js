// A job's charts from its panel's records: losses, errors, slopes, learned parameters and the solution's line cuts.
import { $ } from './dom.js';
import { PALETTE, drawChart } from './chart.js';
import { formatNumber } from './format.js';
import { hasExactSolution, isFinished, learnedParameterNames, problemOf } from './jobs.js';
import { slopeRanges } from './records.js';
import { cutRows, defaultCuts, solutionGrid } from './solution.js';

const colour = (index) => PALETTE[index % PALETTE.length];

export function renderLosses(panel) {
  const records = panel.losses;
  const series = panel.terms.map((term, index) => ({
    label: term, color: colour(index), points: records.map((r) => [r.iteration, r.terms ? r.terms[index] : NaN]),
  }));
  const network = panel.spec.network || {};
  if (network.slopeRecovery && network.adaptive && network.adaptive !== 'fixed') {
    series.push({ label: 'S(a)', color: '#8c97a3', dash: [5, 4], points: records.map((r) => [r.iteration, r.slopeRecovery]) });
  }
  series.push({ label: 'total', color: '#1d2733', width: 2.2, points: records.map((r) => [r.iteration, r.total]) });
  const resampled = records.filter((r) => r.resampled).map((r) => r.iteration);
  drawChart($('loss-chart'), {
    series, logY: true, xLabel: 'iteration', yLabel: 'loss', markers: panel.phaseMarkers(records),
    ticks: { label: 'points resampled', color: '#e8590c', xs: resampled },
    empty: panel.view && panel.view.status === 'queued' ? 'Queued: no loss records yet.' : 'No loss records yet.',
  });
}

export function renderErrors(panel) {
  const records = panel.errors;
  const outputs = panel.errorOutputs.length ? panel.errorOutputs
    : records.length ? Object.keys(records[0].outputs || {}) : (problemOf(panel.spec).outputs || ['u']);
  const series = outputs.map((output, index) => ({
    label: output, color: colour(index),
    points: records.map((r) => [r.iteration,
      r.outputs && r.outputs[output] ? r.outputs[output].relativeL2 : outputs.length === 1 ? r.relativeL2 : NaN]),
  }));
  if (outputs.length > 1) {
    series.push({ label: 'all outputs', color: '#1d2733', width: 2.2, points: records.map((r) => [r.iteration, r.relativeL2]) });
  }
  const every = (panel.spec.training || {}).evaluateEvery;
  let empty = 'No error records yet.';
  if (!hasExactSolution(panel.spec)) empty = 'This problem has no exact solution to compare with.';
  else if (panel.view && !isFinished(panel.view.status)) {
    empty = every ? 'No evaluation yet: the error is measured every ' + every + ' iterations.' : 'The error is measured at the end.';
  }
  drawChart($('error-chart'), {
    series, logY: true, xLabel: 'iteration', yLabel: 'relative L2 error', markers: panel.phaseMarkers(records), empty,
  });
}

const SLOPE_CAPTIONS = {
  fixed: 'fixed activation: n\u00b7a = 1 throughout',
  global: 'n\u00b7a, one slope for the whole network',
  layer: 'n\u00b7a per hidden layer (L-LAAF)',
  neuron: 'n\u00b7\u0101 per hidden layer; band: min\u2013max over its neurons (N-LAAF)',
};

export function renderSlopes(panel) {
  const network = panel.spec.network || {};
  const adaptive = panel.slopeInfo.adaptive || network.adaptive || 'fixed';
  const scale = panel.slopeInfo.scale || network.scale || 1;
  const layers = network.layers || [];
  const records = panel.slopes;
  const last = records[records.length - 1];
  const count = last && last.layerMeans ? last.layerMeans.length : 0;
  const series = [];
  for (let k = 0; k < count; k++) {
    series.push({ label: 'layer ' + (k + 1), color: colour(k),
      points: records.map((r) => [r.iteration, r.layerMeans ? r.layerMeans[k] : NaN]) });
  }
  // N-LAAF: a band per layer from its smallest to its largest neuron's n·a.
  const hasNeurons = layers.some((width) => width > 0);
  const bands = adaptive === 'neuron' && hasNeurons ? slopeRanges(records, layers, scale).map((points, k) =>
    ({ label: k === 0 ? 'per-neuron min\u2013max' : '', color: colour(k), points })) : [];
  $('slope-caption').textContent = SLOPE_CAPTIONS[adaptive] || 'n\u00b7\u0101 per hidden layer';
  drawChart($('slope-chart'), {
    series, bands, xLabel: 'iteration', yLabel: 'n\u00b7\u0101', markers: panel.phaseMarkers(records),
    empty: adaptive === 'fixed' ? 'Fixed activation: no trainable slopes.' : 'No slope records yet.',
  });
}

/** The learned parameters of an inverse problem against their exact values; log scale when they span > 30×. */
export function renderLearned(panel) {
  const names = learnedParameterNames(panel.spec, panel.losses);
  const card = $('learned-card');
  card.hidden = names.length === 0;
  if (!names.length) return;
  const exact = problemOf(panel.spec).exact || {};
  const series = names.map((name, index) => ({ label: name, color: colour(index),
    points: panel.losses.map((r) => [r.iteration, r.learned ? r.learned[name] : NaN]) }));
  const references = names.filter((name) => typeof exact[name] === 'number').map((name) => ({
    y: exact[name], color: colour(names.indexOf(name)), label: name + ' = ' + formatNumber(exact[name], 4) }));
  const values = series.flatMap((s) => s.points.map((p) => p[1])).concat(references.map((r) => r.y)).filter(Number.isFinite);
  const positive = values.length > 0 && values.every((v) => v > 0);
  const logY = positive && Math.max(...values) / Math.min(...values) > 30;
  drawChart($('learned-chart'), {
    series, references, logY, xLabel: 'iteration', yLabel: 'value', markers: panel.phaseMarkers(panel.losses),
    empty: 'No records of the learned parameters yet.',
  });
}

/** One input: the solution as a line; two: a line per cut of the first axis, dashed the exact solution's. */
export function renderCuts(panel) {
  const canvas = $('cut-chart');
  const solution = panel.solution;
  if (!solution) {
    drawChart(canvas, { series: [], empty: panel.solutionMessage });
    return;
  }
  const axes = solution.axes || [];
  const values = solutionGrid(solution, 'value', panel.output);
  const exact = solutionGrid(solution, 'exact', panel.output);
  if (axes.length === 1 && values) {
    $('cut-controls').hidden = true;
    const xs = solution[axes[0]] || [];
    const series = [{ label: panel.output, color: PALETTE[0], points: xs.map((x, j) => [x, values[j]]) }];
    if (exact) series.push({ label: 'exact', color: PALETTE[0], dash: [6, 4], width: 1.2, points: xs.map((x, j) => [x, exact[j]]) });
    drawChart(canvas, { series, xLabel: axes[0], yLabel: panel.output });
    return;
  }
  if (axes.length !== 2 || !values) {
    drawChart(canvas, { series: [], empty: 'Line cuts are drawn for problems with one or two inputs.' });
    return;
  }
  $('cut-controls').hidden = false;
  const rows = solution[axes[0]] || [];
  const xs = solution[axes[1]] || [];
  $('cut-axis').textContent = axes[0];
  const input = $('cut-times');
  if (!panel.cutsEdited) input.value = defaultCuts(rows);
  const series = [];
  cutRows(rows, input.value).slice(0, PALETTE.length).forEach((i, n) => {
    const color = colour(n);
    series.push({ label: axes[0] + ' = ' + formatNumber(rows[i], 4), color, points: xs.map((x, j) => [x, values[i][j]]) });
    if (exact) series.push({ color, dash: [6, 4], width: 1.2, points: xs.map((x, j) => [x, exact[i][j]]) });
  });
  drawChart(canvas, { series, xLabel: axes[1], yLabel: panel.output,
    empty: 'Give the ' + axes[0] + ' values to cut at, separated by commas.' });
}
