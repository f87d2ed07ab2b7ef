// The job list in the sidebar, refreshed every 2 s, and the server's state in the top bar.
import { auth, expected, getJSON } from './api.js';
import { $, el } from './dom.js';
import { formatAgo, formatNumber, shortId } from './format.js';
import { networkSummary, problemName } from './jobs.js';

/** `selected`: the id of the job shown in the panel; `key` is what was last rendered (cleared to force a render). */
export const list = { jobs: [], key: '', filter: '', selected: '', inFlight: false };

export async function refreshJobList() {
  if (list.inFlight) return;
  list.inFlight = true;
  try {
    const query = '?limit=100' + (list.filter ? '&status=' + encodeURIComponent(list.filter) : '');
    const page = await getJSON('/v1/jobs' + query);
    list.jobs = page.jobs || [];
    setServerState(list.jobs, null);
    renderJobList();
  } catch (error) {
    setServerState(null, expected(error));
  } finally {
    list.inFlight = false;
  }
}

function setServerState(jobs, error) {
  const node = $('server-state');
  if (error) {
    node.textContent = error.status === 0 ? 'server unreachable'
      : error.status === 401 ? (auth.token ? 'API token refused' : 'API token needed') : 'job list: ' + error.message;
    node.classList.add('down');
    return;
  }
  node.classList.remove('down');
  const running = jobs.filter((job) => job.status === 'running').length;
  const queued = jobs.filter((job) => job.status === 'queued').length;
  node.textContent = 'connected \u00b7 ' + running + ' running \u00b7 ' + queued + ' queued';
}

export function renderJobList() {
  const key = list.selected + '|' + list.jobs.map((job) => [job.id, job.status, job.progress && job.progress.iteration,
    job.error && job.error.relativeL2].join(':')).join('|');
  if (key === list.key) return;
  list.key = key;
  const items = list.jobs.map(jobItem);
  $('job-list').replaceChildren(...items);
  $('job-list-empty').hidden = items.length > 0;
}

function jobItem(job) {
  const progress = job.progress || {};
  const fraction = progress.totalIterations ? Math.min(1, progress.iteration / progress.totalIterations) : 0;
  const details = [shortId(job.id), formatAgo(job.createdAt)];
  if (job.error && Number.isFinite(job.error.relativeL2)) details.push('L2 ' + formatNumber(job.error.relativeL2, 2));
  const running = job.status === 'running';
  return el('li', {},
    el('a', { href: '#job=' + encodeURIComponent(job.id), class: 'job-item' + (job.id === list.selected ? ' selected' : ''),
      dataset: { jobId: job.id, status: job.status }, title: networkSummary(job.spec) },
    el('div', { class: 'job-line' },
      el('span', { class: 'badge status-' + job.status, text: job.status }),
      el('span', { class: 'job-name', text: problemName(job.spec) }),
      running ? el('span', { class: 'job-percent', text: Math.floor(fraction * 100) + '%' }) : null),
    el('div', { class: 'job-sub', text: details.join(' \u00b7 ') }),
    running ? el('div', { class: 'job-mini' }, el('div', { style: 'width:' + (fraction * 100).toFixed(1) + '%' })) : null));
}
