// format.js: how numbers, durations and times are shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DASH, formatAgo, formatDuration, formatNumber, formatTime, shortId } from '../../Sources/PINNService/Dashboard/Web/format.js';

test('formatNumber shows missing and non-finite values as a dash', () => {
  for (const value of [null, undefined, NaN, Infinity, -Infinity]) assert.equal(formatNumber(value), DASH);
  assert.equal(DASH, '\u2013');
});

test('formatNumber keeps three significant digits between 1e-3 and 1e5', () => {
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(3.14159), '3.14');
  assert.equal(formatNumber(-0.0123456), '-0.0123');
  assert.equal(formatNumber(0.001), '0.001');
  assert.equal(formatNumber(99999), '100000', 'rounded to 3 digits, still under the exponential threshold');
  assert.equal(formatNumber(12345.6), '12300');
  assert.equal(formatNumber(2.5, 5), '2.5');
});

test('formatNumber turns exponential outside [1e-3, 1e5), without a plus sign', () => {
  assert.equal(formatNumber(1.23456e-4), '1.23e-4');
  assert.equal(formatNumber(123456), '1.23e5');
  assert.equal(formatNumber(-5e7), '-5.00e7');
  assert.equal(formatNumber(6.02214e23, 5), '6.0221e23');
});

test('formatDuration counts seconds, then minutes, then hours', () => {
  assert.equal(formatDuration(undefined), DASH);
  assert.equal(formatDuration(0.4), '< 1 s');
  assert.equal(formatDuration(42.4), '42 s');
  assert.equal(formatDuration(59.6), '1 min');
  assert.equal(formatDuration(185), '3 min 5 s');
  assert.equal(formatDuration(7620), '2 h 7 min');
});

test('formatTime shows a dash for a missing or unreadable time', () => {
  assert.equal(formatTime(''), DASH);
  assert.equal(formatTime('not a date'), DASH);
  assert.equal(formatTime('2026-12-07T10:00:00Z'), new Date('2026-12-07T10:00:00Z').toLocaleString());
});

test('formatAgo says how long ago, from just now to hours, then the date', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  assert.equal(formatAgo('2026-12-07T11:59:30Z', now), 'just now');
  assert.equal(formatAgo('2026-12-07T11:55:00Z', now), '5 min ago');
  assert.equal(formatAgo('2026-12-07T09:00:00Z', now), '3 h ago');
  assert.equal(formatAgo('2026-12-01T12:00:00Z', now), new Date('2026-12-01T12:00:00Z').toLocaleDateString());
  assert.equal(formatAgo('garbage', now), '');
});

test('shortId is the first eight characters', () => {
  assert.equal(shortId('0123456789abcdef'), '01234567');
  assert.equal(shortId(42), '42');
});
