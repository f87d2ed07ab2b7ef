// axes.js: tick steps, tick labels, linear and log-scale axes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTick, linearAxis, linearTicks, logAxis, niceStep } from '../../Sources/PINNService/Dashboard/Web/axes.js';

const close = (actual, expected, message) => assert.ok(Math.abs(actual - expected) < 1e-12, message + ': ' + actual);

test('niceStep is 1, 2 or 5 times a power of ten', () => {
  assert.equal(niceStep(10, 10), 1);
  assert.equal(niceStep(10, 5), 2);
  assert.equal(niceStep(10, 2), 5);
  assert.equal(niceStep(1, 4), 0.2);
  assert.equal(niceStep(700, 1), 1000, 'a raw step of 7 or more rounds up to the next power');
  assert.equal(niceStep(3000, 2), 2000, 'fractions from 1.5 to 3 give 2');
});

test('linearTicks are the multiples of the step inside the range, with an exact zero', () => {
  assert.deepEqual(linearTicks(0, 10, 5), { ticks: [0, 2, 4, 6, 8, 10], step: 2 });
  const { ticks, step } = linearTicks(-0.3, 0.3, 6);
  assert.equal(step, 0.1);
  assert.equal(ticks.length, 7);
  assert.equal(ticks[3], 0, 'the tick at zero is 0, not a rounding residue');
  close(ticks[0], -0.3, 'first tick');
  close(ticks[6], 0.3, 'last tick');
});

test('formatTick gives as many decimals as the step needs', () => {
  assert.equal(formatTick(0, 0.5), '0');
  assert.equal(formatTick(2.5, 0.5), '2.5');
  assert.equal(formatTick(3, 1), '3');
  assert.equal(formatTick(0.25, 0.05), '0.25');
  assert.equal(formatTick(1500, 500), '1500');
});

test('formatTick turns exponential for large values and tiny steps', () => {
  assert.equal(formatTick(2000000, 1000000), '2e6');
  assert.equal(formatTick(2500000, 500000), '2.5e6');
  assert.equal(formatTick(0.00003, 0.00001), '3e-5');
});

test('logAxis spans whole decades and labels each power of ten', () => {
  const axis = logAxis(0.003, 0.7, 100);
  assert.deepEqual(axis.ticks.map((t) => [t.value, t.base, t.exponent]),
    [[0.001, '10', '-3'], [0.01, '10', '-2'], [0.1, '10', '-1'], [1, '10', '0']]);
  close(axis.toUnit(0.001), 0, 'the lowest decade');
  close(axis.toUnit(1), 1, 'the highest decade');
  close(axis.toUnit(0.01), 1 / 3, 'one decade of three');
  assert.equal(axis.minor.length, 3 * 8, '2…9 times each power below the top one');
});

test('logAxis widens a range inside one decade to three', () => {
  const axis = logAxis(100, 100, 50);
  assert.deepEqual(axis.ticks.map((t) => t.value), [10, 100, 1000]);
});

test('logAxis labels 2 and 5 times the powers over at most two decades on a tall plot', () => {
  const axis = logAxis(0.2, 8, 200);
  assert.deepEqual(axis.ticks.map((t) => t.base + '^' + t.exponent),
    ['10^-1', '2\u00b710^-1', '5\u00b710^-1', '10^0', '2\u00b710^0', '5\u00b710^0', '10^1']);
  assert.equal(axis.minor.includes(2), false, 'a labelled value is no minor line');
  assert.equal(axis.minor.includes(3), true);
});

test('logAxis labels every other decade when they would crowd, and drops minor lines past six decades', () => {
  const axis = logAxis(1e-8, 1, 52);
  assert.deepEqual(axis.ticks.map((t) => t.exponent), ['-8', '-4', '0']);
  assert.deepEqual(axis.minor, []);
});

test('linearAxis pads the range by 6% each side', () => {
  const axis = linearAxis(0, 100, 5);
  close(axis.toUnit(-6), 0, 'the padded bottom');
  close(axis.toUnit(106), 1, 'the padded top');
  assert.deepEqual(axis.ticks.map((t) => t.base), ['0', '20', '40', '60', '80', '100']);
  assert.deepEqual(axis.minor, []);
});

test('linearAxis around a single value pads by 10% of it, or by 1 at zero', () => {
  close(linearAxis(5, 5, 4).toUnit(5), 0.5, 'the value is centred');
  close(linearAxis(5, 5, 4).toUnit(4.5), 0, '10% below');
  close(linearAxis(0, 0, 4).toUnit(-1), 0, '1 below zero');
});
