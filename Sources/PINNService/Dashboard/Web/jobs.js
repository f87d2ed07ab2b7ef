// What the page reads from a job's spec and status (pure: tested in Tests/DashboardTests).

const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);
export const isFinished = (status) => FINISHED.has(status);

/** The spec's inline problem, or {} for a preset named by a string. */
export function problemOf(spec) {
  return spec && typeof spec.problem === 'object' && spec.problem !== null ? spec.problem : {};
}

/** The preset's name, the inline problem's name, or what stands for them. */
export function problemName(spec) {
  if (!spec) return 'job';
  if (typeof spec.problem === 'string') return spec.problem;
  return problemOf(spec).name || 'inline problem';
}

const ADAPTIVE_NAMES = { fixed: 'fixed activation', global: 'global slope', layer: 'L-LAAF', neuron: 'N-LAAF' };

/** The network in a few words: `3×20 tanh, N-LAAF (n = 10)`, or `10-20-10 sin, fixed activation`. */
export function networkSummary(spec) {
  const network = (spec && spec.network) || {};
  const layers = network.layers || [];
  if (!layers.length) return '';
  const shape = layers.every((w) => w === layers[0]) ? layers.length + '\u00d7' + layers[0] : layers.join('-');
  const adaptive = network.adaptive || 'fixed';
  const scale = adaptive !== 'fixed' && network.scale ? ' (n = ' + network.scale + ')' : '';
  return shape + ' ' + (network.activation || 'tanh') + ', ' + (ADAPTIVE_NAMES[adaptive] || adaptive) + scale;
}

export function hasExactSolution(spec) {
  const exact = problemOf(spec).exact;
  return exact !== undefined && exact !== null;
}

/** The problem's learned parameters: those the spec marks `learn`, else the first loss record's `learned`. */
export function learnedParameterNames(spec, records) {
  const names = [];
  const parameters = problemOf(spec).parameters || {};
  for (const [name, value] of Object.entries(parameters)) {
    if (value && typeof value === 'object' && value.learn) names.push(name);
  }
  for (const record of records) {
    for (const name of Object.keys(record.learned || {})) if (!names.includes(name)) names.push(name);
    if (names.length) break;
  }
  return names;
}

/**
 * A phase's optimiser (`adam`, `lbfgs`, …) by its index in the spec, else `phase n`. A time-marched job
 * (`training.timeWindows`) counts phases across windows: phase p is the schedule's p mod its length, in window
 * ⌊p / length⌋ (`adam, window 2`).
 */
export function phaseName(spec, phase) {
  const training = (spec && spec.training) || {};
  const phases = training.phases || [];
  const windows = training.timeWindows || 1;
  if (windows > 1 && phases.length && phase < windows * phases.length) {
    return phases[phase % phases.length].optimizer + ', window ' + (Math.floor(phase / phases.length) + 1);
  }
  return phases[phase] ? phases[phase].optimizer : 'phase ' + (phase + 1);
}
