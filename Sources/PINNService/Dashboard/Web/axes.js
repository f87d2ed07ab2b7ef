// A chart's axes: round tick steps, linear and log-scale y axes with their labels (pure: tested in
// Tests/DashboardTests). An axis is {toUnit, ticks, minor}: `toUnit` maps a value to [0, 1] of the plot's extent,
// each tick is {value, base, exponent} (the label is `base` with `exponent` raised), `minor` are unlabelled lines.

/** Round steps: 1, 2 or 5 times a power of ten, about `count` of them over `span`. */
export function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const fraction = raw / power;
  return (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) * power;
}

/** The multiples of a nice step within [lo, hi] (an exact 0 where one falls near zero). */
export function linearTicks(lo, hi, count) {
  const step = niceStep(hi - lo, count);
  const first = Math.ceil(lo / step - 1e-9);
  const ticks = [];
  for (let i = first; i * step <= hi + step * 1e-9; i++) ticks.push(Math.abs(i * step) < step * 1e-9 ? 0 : i * step);
  return { ticks, step };
}

/** A tick's label: as many decimals as the step needs; exponential for large values or tiny steps. */
export function formatTick(value, step) {
  if (value === 0) return '0';
  const magnitude = Math.max(Math.abs(value), step);
  if (magnitude >= 1e6 || step < 1e-4) {
    return value.toExponential(Math.max(0, Math.round(-Math.log10(step / magnitude)))).replace('e+', 'e');
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(Math.min(decimals, 8));
}

/** A log-scale y axis over whole decades around [min, max] (min > 0), labelled 10^k; a label every so many decades
 *  that they stay 26 px apart in `plotHeight`. */
export function logAxis(min, max, plotHeight) {
  let lo = Math.floor(Math.log10(min));
  let hi = Math.ceil(Math.log10(max));
  if (hi === lo) { lo -= 1; hi += 1; }
  const decades = hi - lo;
  const every = Math.max(1, Math.ceil(decades / Math.max(2, Math.floor(plotHeight / 26))));
  const ticks = [];
  const minor = [];
  // Over one or two decades the powers of ten alone say little: 2 and 5 times them are labelled too.
  const fine = decades <= 2 && plotHeight >= 120;
  for (let k = lo; k <= hi; k++) {
    const power = Math.pow(10, k);
    if ((k - lo) % every === 0) ticks.push({ value: power, base: '10', exponent: String(k) });
    if (decades <= 6 && k < hi) {
      for (let m = 2; m <= 9; m++) {
        if (fine && (m === 2 || m === 5)) ticks.push({ value: m * power, base: m + '\u00b710', exponent: String(k) });
        else minor.push(m * power);
      }
    }
  }
  return {
    toUnit: (value) => (Math.log10(value) - lo) / (hi - lo),
    ticks,
    minor,
  };
}

/** A linear y axis over [min, max] padded by 6% each side (10% of the value, or 1, when min = max). */
export function linearAxis(min, max, count) {
  const pad = min === max ? Math.abs(min) * 0.1 || 1 : (max - min) * 0.06;
  const lo = min - pad;
  const hi = max + pad;
  const { ticks, step } = linearTicks(lo, hi, count);
  return {
    toUnit: (value) => (value - lo) / (hi - lo),
    ticks: ticks.map((value) => ({ value, base: formatTick(value, step), exponent: '' })),
    minor: [],
  };
}
