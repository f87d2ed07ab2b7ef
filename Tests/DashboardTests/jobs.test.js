// jobs.js, records.js and solution.js: what the page reads from a job's spec, records and solution.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasExactSolution, isFinished, learnedParameterNames, networkSummary, phaseName, problemName, problemOf }
  from '../../Sources/PINNService/Dashboard/Web/jobs.js';
import { appendRecords, phaseMarkers, slopeRanges } from '../../Sources/PINNService/Dashboard/Web/records.js';
import { cutRows, defaultCuts, solutionGrid } from '../../Sources/PINNService/Dashboard/Web/solution.js';

const inverse = { problem: { name: 'heat-inverse', parameters: { k: { value: 1, learn: true }, c: 2 }, exact: { k: 0.5 } } };

test('isFinished: succeeded, failed and cancelled', () => {
  assert.deepEqual(['queued', 'running', 'succeeded', 'failed', 'cancelled'].map(isFinished), [false, false, true, true, true]);
});

test('problemName: the preset, the inline problem\'s name, or a stand-in', () => {
  assert.equal(problemName({ problem: 'burgers' }), 'burgers');
  assert.equal(problemName(inverse), 'heat-inverse');
  assert.equal(problemName({ problem: { equations: [] } }), 'inline problem');
  assert.equal(problemName(null), 'job');
  assert.deepEqual(problemOf({ problem: 'burgers' }), {});
});

test('networkSummary: the shape, the activation and the kind of adaptive slope', () => {
  assert.equal(networkSummary({ network: { layers: [20, 20, 20], adaptive: 'neuron', scale: 10 } }), '3\u00d720 tanh, N-LAAF (n = 10)');
  assert.equal(networkSummary({ network: { layers: [10, 20], activation: 'sin' } }), '10-20 sin, fixed activation');
  assert.equal(networkSummary({ network: { layers: [8], adaptive: 'fixed', scale: 10 } }), '1\u00d78 tanh, fixed activation');
  assert.equal(networkSummary({ network: { layers: [8], adaptive: 'rowwise' } }), '1\u00d78 tanh, rowwise');
  assert.equal(networkSummary({}), '');
});

test('hasExactSolution: only an inline problem with an exact member says so', () => {
  assert.equal(hasExactSolution(inverse), true);
  assert.equal(hasExactSolution({ problem: { exact: null } }), false);
  assert.equal(hasExactSolution({ problem: 'burgers' }), false);
});

test('learnedParameterNames: those marked learn, else the first record\'s learned values', () => {
  assert.deepEqual(learnedParameterNames(inverse, [{ learned: { k: 1, z: 2 } }]), ['k', 'z']);
  assert.deepEqual(learnedParameterNames({ problem: 'burgers' }, [{}, { learned: { nu: 0.01 } }, { learned: { q: 1 } }]), ['nu']);
  assert.deepEqual(learnedParameterNames({ problem: 'burgers' }, []), []);
});

test('phaseName: the phase\'s optimiser, else its number', () => {
  const spec = { training: { phases: [{ optimizer: 'adam' }, { optimizer: 'lbfgs' }] } };
  assert.equal(phaseName(spec, 1), 'lbfgs');
  assert.equal(phaseName(spec, 2), 'phase 3');
  assert.equal(phaseName({}, 0), 'phase 1');
});

test('phaseName: a time-marched job counts phases across windows', () => {
  const spec = { training: { timeWindows: 3, phases: [{ optimizer: 'adam' }, { optimizer: 'ssbroyden' }] } };
  assert.equal(phaseName(spec, 0), 'adam, window 1');
  assert.equal(phaseName(spec, 3), 'ssbroyden, window 2');
  assert.equal(phaseName(spec, 4), 'adam, window 3');
  assert.equal(phaseName(spec, 6), 'phase 7');
});

test('appendRecords keeps (iteration, phase) order and drops what is already held', () => {
  const list = [{ iteration: 10, phase: 0 }];
  const added = appendRecords(list, [{ iteration: 5, phase: 0 }, { iteration: 10, phase: 0 }, { iteration: 10, phase: 1 },
    { iteration: 20, phase: 1 }, { iteration: 15, phase: 1 }]);
  assert.equal(added, 2);
  assert.deepEqual(list.map((r) => [r.iteration, r.phase]), [[10, 0], [10, 1], [20, 1]]);
  assert.equal(appendRecords(list, undefined), 0);
  assert.equal(appendRecords([], [{ iteration: 0 }]), 1, 'a missing phase counts as 0');
});

test('phaseMarkers: one at the first record of each later phase', () => {
  const records = [0, 0, 1, 1, 2].map((phase, i) => ({ iteration: i * 10, phase }));
  assert.deepEqual(phaseMarkers(records, (phase) => 'p' + phase), [{ x: 20, label: 'p1' }, { x: 40, label: 'p2' }]);
  assert.deepEqual(phaseMarkers([], String), []);
});

test('slopeRanges: per layer, the smallest and largest n·a of its neurons over complete records', () => {
  const records = [
    { iteration: 0, slopes: [0.1, 0.2, 0.3, 0.05, 0.15] },
    { iteration: 5, slopes: [0.1, 0.2] },
    { iteration: 10, slopes: [0.4, 0.1, 0.2, 0.3, 0.3] },
  ];
  const ranges = slopeRanges(records, [3, 2], 10);
  assert.equal(ranges.length, 2);
  const rounded = (points) => points.map(([x, lo, hi]) => [x, Math.round(lo * 1e9) / 1e9, Math.round(hi * 1e9) / 1e9]);
  assert.deepEqual(rounded(ranges[0]), [[0, 1, 3], [10, 1, 4]]);
  assert.deepEqual(rounded(ranges[1]), [[0, 0.5, 1.5], [10, 3, 3]]);
});

test('solutionGrid reads values by output, exact and error by output or as a bare grid', () => {
  const solution = { u: [[1]], exact: { u: [[2]] }, error: [[3]] };
  assert.deepEqual(solutionGrid(solution, 'value', 'u'), [[1]]);
  assert.deepEqual(solutionGrid(solution, 'exact', 'u'), [[2]]);
  assert.deepEqual(solutionGrid(solution, 'error', 'u'), [[3]]);
  assert.equal(solutionGrid(solution, 'exact', 'v'), null);
  assert.equal(solutionGrid(solution, 'value', 'v'), null);
  assert.equal(solutionGrid(null, 'value', 'u'), null);
});

test('defaultCuts: 0, ¼, ½, ¾ and 1 of the axis\' range', () => {
  assert.equal(defaultCuts([0, 0.5, 1]), '0, 0.25, 0.5, 0.75, 1');
  assert.equal(defaultCuts([-1, 1]), '-1, -0.5, 0, 0.5, 1');
  assert.equal(defaultCuts([0, 0.99]), '0, 0.2475, 0.495, 0.7425, 0.99');
});

test('cutRows: the nearest row to each value asked for, once each, in the order asked', () => {
  const rows = [0, 0.25, 0.5, 0.75, 1];
  assert.deepEqual(cutRows(rows, '0.5, 0, 1'), [2, 0, 4]);
  assert.deepEqual(cutRows(rows, '0.3;0.26 0.9'), [1, 4], 'separators , ; and spaces; 0.3 and 0.26 share a row');
  assert.deepEqual(cutRows(rows, 'soon, 7'), [4], 'words are skipped, values beyond snap to the end');
  assert.deepEqual(cutRows([], '0.5'), []);
});
