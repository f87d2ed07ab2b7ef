// A job's panel: its header, progress and numbers, the charts kept up to date over the job's event stream (or by
// polling when the stream is refused), the solution's pictures and line cuts, downloads and cancel.
import { auth, background, expected, getJSON, request } from './api.js';
import { resetChart } from './chart.js';
import { $, el } from './dom.js';
import { EventStream } from './event-stream.js';
import { formatDuration, formatNumber, formatTime, shortId } from './format.js';
import { list, refreshJobList } from './job-list.js';
import { renderCuts, renderErrors, renderLearned, renderLosses, renderSlopes } from './job-charts.js';
import { hasExactSolution, isFinished, networkSummary, phaseName, problemName, problemOf } from './jobs.js';
import { appendRecords, phaseMarkers } from './records.js';

const CHART_IDS = ['loss-chart', 'error-chart', 'slope-chart', 'learned-chart', 'cut-chart'];
export const PICTURES = ['solution', 'exact', 'error'];
const PICTURE_REFRESH_MS = 10000;

/** Clears what the previous job left on the page, so nothing stale is shown (or tested). */
function resetJobView(id) {
  $('job-view').dataset.jobId = id;
  $('job-title').textContent = 'Job ' + shortId(id);
  $('job-meta').textContent = id;
  $('job-status').textContent = '';
  $('job-status').className = 'badge';
  $('stream-state').textContent = '';
  $('job-notice').hidden = true;
  $('job-body').hidden = false;
  $('cut-controls').hidden = false;
  $('cut-times').value = '0, 0.25, 0.5, 0.75, 1';
  $('progress-bar').style.width = '0';
  $('progress-label').textContent = 'Loading\u2026';
  $('job-stats').replaceChildren();
  $('learned-card').hidden = true;
  $('downloads').replaceChildren();
  $('solution-note').textContent = '';
  $('output-picker').hidden = true;
  $('cancel-button').disabled = true;
  for (const chart of CHART_IDS) resetChart($(chart));
  for (const name of PICTURES) {
    const img = $(name + '-img');
    img.removeAttribute('src');
    img.dataset.loaded = 'false';
    $(name + '-placeholder').hidden = true;
  }
}

/** Saves what `path` answers as `file`, fetched with the token. */
async function downloadWithToken(path, file) {
  try {
    const blob = await (await request(path)).blob();
    const url = URL.createObjectURL(blob);
    const anchor = el('a', { href: url, download: file, hidden: true });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (error) {
    showNotice('Could not download ' + file + ': ' + expected(error).message);
  }
}

function showNotice(text, kind) {
  const notice = $('job-notice');
  notice.textContent = text;
  notice.className = 'notice' + (kind === 'info' ? ' info' : '');
  notice.hidden = !text;
}

const DOWNLOADS = [
  ['Solution', [['JSON', '/solution', 'solution.json'], ['CSV', '/solution?format=csv', 'solution.csv'],
    ['NumPy', '/solution?format=npy', 'solution.npy']]],
  ['Losses', [['JSON', '/losses', 'losses.json'], ['CSV', '/losses?format=csv', 'losses.csv']]],
  ['Slopes', [['JSON', '/slopes', 'slopes.json'], ['CSV', '/slopes?format=csv', 'slopes.csv']]],
  ['Errors', [['JSON', '/errors', 'errors.json'], ['CSV', '/errors?format=csv', 'errors.csv']]],
  ['Model', [['JSON', '/model', 'model.json'], ['ONNX', '/model.onnx', 'model.onnx']]],
  ['Pictures', ['solution', 'exact', 'error', 'losses', 'slopes', 'errors'].map((p) => [p + '.png', '/' + p + '.png', p + '.png'])],
];

const RENDERERS = { losses: [renderLosses, renderLearned], slopes: [renderSlopes], errors: [renderErrors], cuts: [renderCuts] };

export class JobPanel {
  constructor(id) {
    this.id = id;
    this.base = '/v1/jobs/' + encodeURIComponent(id);
    this.view = null;
    this.spec = {};
    this.terms = [];
    this.losses = [];
    this.slopeInfo = {};
    this.slopes = [];
    this.errorOutputs = [];
    this.errors = [];
    this.solution = null;
    this.solutionMessage = 'Loading the solution\u2026';
    this.output = 'u';
    this.cutsEdited = false;
    this.source = null;
    this.timers = [];
    this.pending = new Set();
    this.renderTimer = null;
    this.finishing = false;
    this.closed = false;
    this.objectURLs = {};
  }

  // Life cycle

  async open() {
    resetJobView(this.id);
    let view;
    try {
      view = await getJSON(this.base);
    } catch (error) {
      if (this.closed) return;
      const problem = expected(error);
      $('progress-label').textContent = '';
      showNotice(problem.status === 404 ? 'There is no job with id ' + this.id + '.' : problem.message);
      $('job-body').hidden = true;
      return;
    }
    if (this.closed) return;
    this.view = view;
    this.spec = view.spec || {};
    const outputs = problemOf(this.spec).outputs || ['u'];
    this.output = outputs[0];
    this.setUpOutputs(outputs);
    this.renderStatus();
    this.renderDownloads();
    await this.loadHistories();
    if (this.closed) return;
    this.renderCharts();
    if (!isFinished(view.status)) {
      this.connect();
      this.every(PICTURE_REFRESH_MS, () => this.refreshSolution());
    }
    background(this.refreshSolution());
  }

  close() {
    this.closed = true;
    if (this.source) this.source.close();
    this.source = null;
    this.stopTimers();
    clearTimeout(this.renderTimer);
    for (const url of Object.values(this.objectURLs)) URL.revokeObjectURL(url);
  }

  /** Runs `task` every `ms` while the panel is open, never two at once. */
  every(ms, task) {
    let running = false;
    this.timers.push(setInterval(() => {
      if (running || this.closed) return;
      running = true;
      background(Promise.resolve().then(task).finally(() => { running = false; }));
    }, ms));
  }

  stopTimers() {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  async fetchHistory(path) {
    try {
      return await getJSON(this.base + path);
    } catch (error) {
      expected(error);
      return null;
    }
  }

  /** Takes in what the history routes answered (their records, and the terms, slope kind or outputs); `add`
   *  appends a kind's records. */
  takeHistories([losses, slopes, errors], add) {
    if (losses) { this.terms = losses.terms || this.terms; add('losses', losses.records); }
    if (slopes) { this.slopeInfo = { adaptive: slopes.adaptive, scale: slopes.scale }; add('slopes', slopes.records); }
    if (errors) { this.errorOutputs = errors.outputs || this.errorOutputs; add('errors', errors.records); }
  }

  /** The histories so far, before the charts are first drawn. */
  async loadHistories() {
    const answers = await Promise.all(['/losses', '/slopes', '/errors'].map((p) => this.fetchHistory(p)));
    if (this.closed) return;
    this.takeHistories(answers, (kind, records) => appendRecords(this[kind], records));
  }

  // Live updates

  /** Opens the event stream, starting just before the oldest of the histories' last records (the pair
   *  (iteration, phase) drops what is already held). */
  connect() {
    const lasts = [this.losses, this.slopes, this.errors].filter((l) => l.length).map((l) => l[l.length - 1].iteration);
    const since = lasts.length ? Math.min(...lasts) - 1 : -1;
    this.setStreamState('connecting\u2026');
    const source = new EventStream(this.base + '/events' + (since >= 0 ? '?since=' + since : ''), {
      open: () => this.setStreamState('live'),
      event: (name, data) => this.onEvent(source, name, data),
      trouble: (error, fatal) => this.onStreamTrouble(source, error, fatal),
    });
    this.source = source;
  }

  onEvent(source, name, data) {
    const records = { loss: 'losses', slopes: 'slopes', error: 'errors' };
    if (name === 'status') this.onStatus(JSON.parse(data));
    else if (records[name]) this.addRecords(records[name], [JSON.parse(data)]);
    else if (name === 'end') {
      source.close();
      if (this.source === source) this.source = null;
      this.setStreamState('');
      const end = data ? JSON.parse(data) : {};
      if (end.status && this.view) this.view.status = end.status;
      background(this.finish());
    }
  }

  onStreamTrouble(source, error, fatal) {
    if (this.closed || this.source !== source) return;
    if (fatal) {
      // The server refused the stream (a 401, or an older server without /events): poll instead.
      if (error.status === 401) showNotice('No live updates: ' + error.message);
      this.source = null;
      this.setStreamState('polling');
      this.every(2000, async () => this.onStatus(await getJSON(this.base)));
      this.every(5000, () => this.pollHistories());
    } else {
      this.setStreamState('reconnecting\u2026');
    }
  }

  setStreamState(text) {
    const node = $('stream-state');
    node.textContent = text ? '\u25cf ' + text : '';
    node.classList.toggle('live', text === 'live');
    node.title = text === 'live' ? 'Updates arrive over the event stream' : '';
  }

  async pollHistories() {
    const from = (records) => (records.length ? '?from=' + records[records.length - 1].iteration : '');
    const answers = await Promise.all([
      this.fetchHistory('/losses' + from(this.losses)),
      this.fetchHistory('/slopes' + from(this.slopes)),
      this.fetchHistory('/errors' + from(this.errors))]);
    if (this.closed) return;
    this.takeHistories(answers, (kind, records) => this.addRecords(kind, records));
  }

  addRecords(kind, records) {
    if (this.closed) return;
    if (appendRecords(this[kind], records)) this.scheduleRender(kind);
  }

  onStatus(view) {
    if (this.closed || !view) return;
    const previous = this.view ? this.view.status : null;
    this.view = Object.assign({}, this.view, view, { spec: this.spec });
    this.renderStatus();
    if (isFinished(view.status)) {
      background(this.finish());
    } else if (previous === 'queued' && view.status === 'running') {
      background(this.refreshSolution());
    }
  }

  /** Once the job has finished: stop listening, then show its final records, view, solution and pictures. */
  async finish() {
    if (this.finishing || this.closed) return;
    this.finishing = true;
    if (this.source) { this.source.close(); this.source = null; }
    this.stopTimers();
    this.setStreamState('');
    try {
      this.view = Object.assign({}, await getJSON(this.base), { spec: this.spec });
    } catch (error) {
      expected(error);
    }
    if (this.closed) return;
    this.renderStatus();
    await this.pollHistories();
    await this.refreshSolution();
  }

  scheduleRender(kind) {
    this.pending.add(kind);
    if (this.renderTimer) return;
    this.renderTimer = setTimeout(() => {
      this.renderTimer = null;
      if (this.closed) return;
      const kinds = Array.from(this.pending);
      this.pending.clear();
      for (const each of kinds) this.render(each);
    }, 150);
  }

  render(kind) {
    for (const draw of RENDERERS[kind]) draw(this);
    if (kind === 'losses' || kind === 'errors') this.renderStats();
  }

  renderCharts() {
    for (const kind of ['losses', 'slopes', 'errors', 'cuts']) this.render(kind);
  }

  phaseMarkers(records) {
    return phaseMarkers(records, (phase) => phaseName(this.spec, phase));
  }

  // Header, progress and numbers

  renderStatus() {
    this.renderHeader();
    this.renderProgress();
    this.renderStats();
  }

  renderHeader() {
    const view = this.view;
    $('job-title').textContent = problemName(this.spec);
    const access = view.owner ? 'owner ' + view.owner + (view.shared ? ', shared' : '') : view.shared ? 'shared' : '';
    $('job-meta').textContent = [this.id, networkSummary(this.spec), access].filter(Boolean).join(' \u00b7 ');
    const badge = $('job-status');
    badge.textContent = view.status;
    badge.className = 'badge status-' + view.status;
    $('cancel-button').disabled = isFinished(view.status);
    if (view.status === 'failed') showNotice('The job failed: ' + (view.failure || 'no reason given'));
    else if (view.status === 'cancelled') showNotice('The job was cancelled.', 'info');
  }

  renderProgress() {
    const view = this.view;
    const progress = view.progress || {};
    const iteration = progress.iteration || 0;
    const total = progress.totalIterations || 0;
    const phases = (this.spec.training || {}).phases || [];
    let fraction = total > 0 ? Math.min(1, iteration / total) : 0;
    if (view.status === 'succeeded') fraction = 1;
    const bar = $('progress-bar');
    bar.style.width = (fraction * 100).toFixed(2) + '%';
    bar.className = 'progress-bar status-' + view.status;
    $('progress').setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
    const counted = 'iteration ' + iteration.toLocaleString() + ' / ' + total.toLocaleString();
    const phase = 'phase ' + ((progress.phase || 0) + 1) + ' of ' + Math.max(phases.length, 1) + ' (' +
      phaseName(this.spec, progress.phase || 0) + ')';
    let text;
    switch (view.status) {
      case 'queued': text = 'Queued: waiting for a worker.'; break;
      case 'running':
        text = 'Running \u00b7 ' + phase + ' \u00b7 ' + counted + ' (' + Math.floor(fraction * 100) + '%) \u00b7 ETA ' +
          formatDuration(view.etaSeconds);
        break;
      case 'succeeded':
        text = 'Succeeded \u00b7 ' + iteration.toLocaleString() + ' iterations in ' + formatDuration(view.elapsedSeconds);
        break;
      default:
        text = (view.status === 'failed' ? 'Failed' : 'Cancelled') + ' at ' + phase + ', ' + counted;
    }
    $('progress-label').textContent = text;
  }

  renderStats() {
    const view = this.view;
    if (!view) return;
    const items = [];
    const loss = view.loss || {};
    if (Number.isFinite(loss.total)) items.push(['total loss', formatNumber(loss.total)]);
    const names = this.terms.filter((name) => name in loss).concat(Object.keys(loss).filter((name) =>
      name !== 'total' && !this.terms.includes(name)));
    for (const name of names) items.push([name, formatNumber(loss[name])]);
    const error = view.error || (this.errors.length ? this.errors[this.errors.length - 1] : null);
    if (error && Number.isFinite(error.relativeL2)) items.push(['relative L2', formatNumber(error.relativeL2)]);
    const last = this.losses[this.losses.length - 1];
    const learned = (last && last.learned) || {};
    for (const [name, value] of Object.entries(learned)) items.push([name + ' (learned)', formatNumber(value, 5)]);
    items.push(['elapsed', formatDuration(view.elapsedSeconds)]);
    if (view.status === 'running') items.push(['ETA', formatDuration(view.etaSeconds)]);
    items.push(['created', formatTime(view.createdAt)]);
    if (view.finishedAt) items.push(['finished', formatTime(view.finishedAt)]);
    $('job-stats').replaceChildren(...items.map(([label, value]) =>
      el('div', {}, el('dt', { text: label }), el('dd', { text: value, title: value }))));
  }

  // The solution: pictures and line cuts

  setUpOutputs(outputs) {
    const select = $('output-select');
    select.replaceChildren(...outputs.map((name) => el('option', { value: name, text: name })));
    select.value = this.output;
    $('output-picker').hidden = outputs.length < 2;
  }

  async refreshSolution() {
    if (this.closed || !this.view) return;
    if (this.view.status === 'queued') {
      for (const name of PICTURES) this.showPlaceholder(name, 'Queued: the solution appears after the first checkpoint.');
      this.solutionMessage = 'Queued: no solution yet.';
      this.render('cuts');
      return;
    }
    const inputs = (problemOf(this.spec).inputs || []).length;
    if (inputs > 2) {
      // A grid over three inputs is large; its pictures are the server's to choose, its cuts are not drawn.
      this.solutionMessage = 'Line cuts are drawn for problems with one or two inputs.';
      this.render('cuts');
    }
    if (inputs === 1) {
      for (const name of PICTURES) this.showPlaceholder(name, 'One input: the solution is the line plot below.');
      await this.loadSolution();
      return;
    }
    await Promise.all([this.loadPictures(), inputs > 2 ? null : this.loadSolution()]);
  }

  /** The heatmaps at the frame's width (at least 560 px: the server draws its text in pixels; CSS scales down). */
  async loadPictures() {
    const frame = $('solution-img').parentElement;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(560, Math.min(1600, Math.round((frame.clientWidth || 360) * ratio)));
    const query = '?output=' + encodeURIComponent(this.output) + '&width=' + width + '&height=' + Math.round(width * 5 / 8);
    const exact = hasExactSolution(this.spec);
    await Promise.all([
      this.loadPicture('solution', this.base + '/solution.png' + query),
      exact ? this.loadPicture('exact', this.base + '/exact.png' + query)
        : this.showPlaceholder('exact', 'This problem has no exact solution.'),
      exact ? this.loadPicture('error', this.base + '/error.png' + query)
        : this.showPlaceholder('error', 'No exact solution, so no error to show.'),
    ]);
  }

  showPlaceholder(name, text) {
    const img = $(name + '-img');
    if (img.dataset.loaded === 'true') return;
    const placeholder = $(name + '-placeholder');
    placeholder.textContent = text;
    placeholder.hidden = false;
  }

  /** What to show where the solution is missing: `problem` is the ApiError of asking for it. */
  missingSolution(problem, what) {
    if (problem.status !== 409) return null;
    return this.view && isFinished(this.view.status) ? 'The job ended before its network was saved.'
      : 'No checkpoint yet: ' + what + ' after the first one.';
  }

  /** Fetches a picture and shows it from a blob URL, so an answer without one (409 before the first
   *  checkpoint, 404 without an exact solution) becomes a placeholder instead of a broken image. */
  async loadPicture(name, url) {
    let blob;
    try {
      blob = await (await request(url)).blob();
    } catch (error) {
      const problem = expected(error);
      if (this.closed) return;
      this.showPlaceholder(name, this.missingSolution(problem, 'the picture appears')
        || (problem.status === 404 ? problem.message.replace(/^./, (c) => c.toUpperCase()) + '.'
          : 'Could not load the picture: ' + problem.message));
      return;
    }
    if (this.closed) return;
    this.showPicture(name, blob);
  }

  showPicture(name, blob) {
    const img = $(name + '-img');
    const url = URL.createObjectURL(blob);
    const previous = this.objectURLs[name];
    this.objectURLs[name] = url;
    img.onload = () => {
      if (previous) URL.revokeObjectURL(previous);
      if (this.closed) return;
      img.dataset.loaded = 'true';
      $(name + '-placeholder').hidden = true;
    };
    img.onerror = () => {
      if (!this.closed) this.showPlaceholder(name, 'The server sent a picture the browser cannot show.');
    };
    img.src = url;
  }

  async loadSolution() {
    try {
      const solution = await getJSON(this.base + '/solution');
      if (this.closed) return;
      this.solution = solution;
      const notes = [];
      if (solution.final === false) {
        const at = Number.isFinite(solution.iteration) ? ' (iteration ' + solution.iteration + ')' : '';
        notes.push('from the latest checkpoint' + at);
      }
      if (Number.isFinite(solution.relativeL2)) notes.push('relative L2 ' + formatNumber(solution.relativeL2));
      $('solution-note').textContent = notes.join(' \u00b7 ');
    } catch (error) {
      const problem = expected(error);
      if (this.closed) return;
      this.solutionMessage = this.missingSolution(problem, 'the cuts appear') || 'No solution: ' + problem.message;
    }
    this.render('cuts');
  }

  // Downloads and cancel

  renderDownloads() {
    const name = shortId(this.id);
    // A plain link cannot carry the token: with one set, the click fetches the bytes and saves them instead.
    const link = (label, path, file) => el('a', { class: 'button', href: this.base + path, download: name + '-' + file, text: label,
      onclick: (event) => {
        if (!auth.token) return;
        event.preventDefault();
        background(downloadWithToken(this.base + path, name + '-' + file));
      } });
    $('downloads').replaceChildren(...DOWNLOADS.map(([title, links]) =>
      el('div', { class: 'download-group' }, el('span', { text: title }), links.map(([label, path, file]) => link(label, path, file)))));
  }

  async cancel() {
    if (!window.confirm('Cancel job ' + shortId(this.id) + ' (' + problemName(this.spec) + ')?')) return;
    const button = $('cancel-button');
    button.disabled = true;
    try {
      const view = await (await request(this.base + '/cancel', { method: 'POST' })).json();
      this.onStatus(view);
      list.key = '';
      background(refreshJobList());
    } catch (error) {
      showNotice('Could not cancel: ' + expected(error).message);
      button.disabled = this.view ? isFinished(this.view.status) : false;
    }
  }
}
