// The studies (docs/api.md, "Studies"): their list in the sidebar, refreshed with the job list, and a study's page
// (#study=ID): its jobs by status, the cells table (values, runs, median/min/max final error, decades reached) and
// the server's errors.png, refreshed every 2 s until the study is finished. The picture sets data-loaded="true"
// once shown, the table data-rows=N once drawn: scripts/browser_test.py waits for both.
import { expected, getJSON, request } from './api.js';
import { $, el } from './dom.js';
import { formatAgo, formatTime, shortId } from './format.js';
import { cellRows, countsText, studyTitle } from './studies.js';

/** `selected`: the id of the study shown; `key` what was last rendered (cleared to force a render). */
export const studyList = { studies: [], key: '', selected: '', inFlight: false };

export async function refreshStudyList() {
  if (studyList.inFlight) return;
  studyList.inFlight = true;
  try {
    studyList.studies = (await getJSON('/v1/studies?limit=100')).studies || [];
    renderStudyList();
  } catch (error) {
    expected(error);   // shown by the job list's server state
  } finally {
    studyList.inFlight = false;
  }
}

export function renderStudyList() {
  const key = studyList.selected + '|' + studyList.studies.map((study) =>
    [study.id, study.status, JSON.stringify(study.counts)].join(':')).join('|');
  if (key === studyList.key) return;
  studyList.key = key;
  const items = studyList.studies.map((study) => el('li', {},
    el('a', { href: '#study=' + encodeURIComponent(study.id),
      class: 'job-item' + (study.id === studyList.selected ? ' selected' : ''), dataset: { studyId: study.id, status: study.status } },
    el('div', { class: 'job-line' },
      el('span', { class: 'badge ' + badgeClass(study.status), text: study.status }),
      el('span', { class: 'job-name', text: studyTitle(study) })),
    el('div', { class: 'job-sub', text: [shortId(study.id), formatAgo(study.createdAt), countsText(study.counts)].join(' \u00b7 ') }))));
  $('study-list').replaceChildren(...items);
  $('study-list-empty').hidden = items.length > 0;
}

const badgeClass = (status) => 'status-' + (status === 'finished' ? 'succeeded' : status);

const COLUMNS = [['label', 'cell'], ['finished', 'succeeded'], ['median', 'median final error'], ['min', 'min'],
  ['max', 'max'], ['decades', 'decades reached (median time)']];

export class StudyPanel {
  constructor(id) {
    this.id = id;
    this.closed = false;
    this.timer = null;
    this.pictureURL = null;
    this.report = null;
    this.x = $('study-x').value || 'seconds';
  }

  async open() {
    $('study-title').textContent = 'Study ' + shortId(this.id);
    $('study-meta').textContent = 'Loading\u2026';
    $('study-notice').hidden = true;
    $('study-status').textContent = '';
    $('study-cells').replaceChildren();
    $('study-cells').dataset.rows = '';
    const img = $('study-errors-img');
    img.removeAttribute('src');
    img.dataset.loaded = 'false';
    $('study-errors-placeholder').hidden = true;
    await this.refresh();
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.pictureURL) URL.revokeObjectURL(this.pictureURL);
  }

  async refresh() {
    if (this.closed) return;
    try {
      this.report = await getJSON('/v1/studies/' + encodeURIComponent(this.id));
    } catch (error) {
      if (this.closed) return;
      this.showNotice('Could not load the study: ' + expected(error).message);
      if (expected(error).status !== 404) this.timer = setTimeout(() => this.refresh(), 2000);
      return;
    }
    if (this.closed) return;
    $('study-notice').hidden = true;
    this.render();
    await this.loadPicture();
    if (!this.closed && this.report.status !== 'finished') this.timer = setTimeout(() => this.refresh(), 2000);
  }

  render() {
    const report = this.report;
    $('study-title').textContent = studyTitle(report);
    const status = $('study-status');
    status.textContent = report.status;
    status.className = 'badge ' + badgeClass(report.status);
    const seeds = Array.isArray(report.seeds) ? report.seeds.length + ' seeds' : 'the base\u2019s seed';
    $('study-meta').textContent = [shortId(report.id), formatTime(report.createdAt), report.cells.length + ' cells \u00d7 ' + seeds,
      countsText(report.counts)].join(' \u00b7 ');
    $('study-cancel-button').disabled = report.status === 'finished';
    const head = el('tr', {}, COLUMNS.map(([, title]) => el('th', { text: title })));
    const rows = cellRows(report).map((row) => el('tr', { dataset: { cell: String(row.index) } },
      COLUMNS.map(([name]) => el('td', { text: String(row[name]), title: name === 'label' ? row.values : null }))));
    $('study-cells').replaceChildren(el('thead', {}, head), el('tbody', {}, rows));
    $('study-cells').dataset.rows = String(rows.length);
  }

  /** The server's errors.png from a blob URL; a 409 (no evaluation yet) becomes a placeholder. */
  async loadPicture() {
    let blob;
    try {
      const query = '?x=' + encodeURIComponent(this.x) + '&width=960&height=540';
      blob = await (await request('/v1/studies/' + encodeURIComponent(this.id) + '/errors.png' + query)).blob();
    } catch (error) {
      const problem = expected(error);
      if (this.closed || $('study-errors-img').dataset.loaded === 'true') return;
      const placeholder = $('study-errors-placeholder');
      placeholder.textContent = problem.status === 409 ? 'No run has an evaluation yet: the picture appears after the first.'
        : 'Could not load the picture: ' + problem.message;
      placeholder.hidden = false;
      return;
    }
    if (this.closed) return;
    const img = $('study-errors-img');
    const url = URL.createObjectURL(blob);
    const previous = this.pictureURL;
    this.pictureURL = url;
    img.onload = () => {
      if (previous) URL.revokeObjectURL(previous);
      if (this.closed) return;
      img.dataset.loaded = 'true';
      $('study-errors-placeholder').hidden = true;
    };
    img.src = url;
  }

  async changeAxis(x) {
    this.x = x;
    $('study-errors-img').dataset.loaded = 'false';
    await this.loadPicture();
  }

  async cancel() {
    try {
      await request('/v1/studies/' + encodeURIComponent(this.id) + '/cancel', { method: 'POST' });
    } catch (error) {
      this.showNotice('Could not cancel the study: ' + expected(error).message);
      return;
    }
    clearTimeout(this.timer);
    await this.refresh();
  }

  showNotice(text) {
    const notice = $('study-notice');
    notice.textContent = text;
    notice.hidden = false;
  }
}
