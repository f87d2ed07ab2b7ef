// A job's history records (losses, slopes, errors) as the charts need them (pure: tested in Tests/DashboardTests).

/** Appends records in (iteration, phase) order, dropping those already held (a phase's last iteration is
 *  recorded once per phase, so the pair is the key). Returns how many were added. */
export function appendRecords(list, records) {
  let added = 0;
  for (const record of records || []) {
    const last = list[list.length - 1];
    if (!last || record.iteration > last.iteration ||
        (record.iteration === last.iteration && (record.phase || 0) > (last.phase || 0))) {
      list.push(record);
      added++;
    }
  }
  return added;
}

/** A marker {x, label} at the first record of every phase after the first. */
export function phaseMarkers(records, phaseName) {
  const markers = [];
  for (let i = 1; i < records.length; i++) {
    if (records[i].phase !== records[i - 1].phase) markers.push({ x: records[i].iteration, label: phaseName(records[i].phase) });
  }
  return markers;
}

/** N-LAAF: every neuron's n·a, laid out layer by layer in a record's `slopes`. Per hidden layer (`layers` are the
 *  widths), the points [iteration, smallest, largest] of its neurons' n·a over the records that hold every neuron. */
export function slopeRanges(records, layers, scale) {
  const neurons = layers.reduce((sum, width) => sum + width, 0);
  const complete = records.filter((r) => r.slopes && r.slopes.length === neurons);
  const ranges = [];
  for (let k = 0, start = 0; k < layers.length; start += layers[k], k++) {
    const end = start + layers[k];
    ranges.push(complete.map((r) => {
      let lo = Infinity, hi = -Infinity;
      for (let i = start; i < end; i++) { const v = r.slopes[i] * scale; if (v < lo) lo = v; if (v > hi) hi = v; }
      return [r.iteration, lo, hi];
    }));
  }
  return ranges;
}
