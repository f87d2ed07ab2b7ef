// pinn-service dashboard: a single-page app over the v1 API (docs/api.md). ES modules, no framework, no build
// step, no network beyond this server. Charts are drawn by hand on canvas (chart.js); a running job's records
// arrive over its event stream (Server-Sent Events). Every chart sets data-drawn="true" and data-points=N after
// drawing, and every heatmap that loaded sets data-loaded="true": scripts/browser_test.py waits for both.
// This module routes between the submit form (#new) and a job's panel (#job=ID) and starts the page.
import { background } from './api.js';
import { $, debounce } from './dom.js';
import { shortId } from './format.js';
import { list, refreshJobList, renderJobList } from './job-list.js';
import { JobPanel, PICTURES } from './job-panel.js';
import { loadPresets, setUpSubmitForm } from './submit-form.js';
import { setUpTokenForm } from './token-form.js';

let panel = null;

function closePanel() {
  if (panel) panel.close();
  panel = null;
}

function route() {
  const match = /^#job=(.+)$/.exec(location.hash);
  if (match) {
    const id = decodeURIComponent(match[1]);
    if (!panel || panel.id !== id) {
      closePanel();
      panel = new JobPanel(id);
      $('submit-view').hidden = true;
      $('job-view').hidden = false;
      background(panel.open());
    }
    document.title = 'Job ' + shortId(id) + ' \u00b7 pinn-service';
  } else {
    closePanel();
    $('job-view').hidden = true;
    $('submit-view').hidden = false;
    document.title = 'New job \u00b7 pinn-service';
  }
  list.selected = panel ? panel.id : '';
  list.key = '';
  renderJobList();
}

/** A new token: everything shown is asked for again. */
function reload() {
  closePanel();
  route();
  background(refreshJobList());
  background(loadPresets());
}

function setUpJobControls() {
  $('job-filter').addEventListener('change', (event) => {
    list.filter = event.target.value;
    list.key = '';
    background(refreshJobList());
  });
  $('cancel-button').addEventListener('click', () => { if (panel) background(panel.cancel()); });
  $('output-select').addEventListener('change', (event) => {
    if (!panel) return;
    panel.output = event.target.value;
    for (const name of PICTURES) $(name + '-img').dataset.loaded = 'false';
    background(panel.refreshSolution());
  });
  const recut = debounce(() => { if (panel) panel.render('cuts'); }, 300);
  $('cut-times').addEventListener('input', () => { if (panel) panel.cutsEdited = true; recut(); });
  window.addEventListener('resize', debounce(() => { if (panel && panel.view) panel.renderCharts(); }, 200));
}

setUpTokenForm(reload);
setUpSubmitForm();
setUpJobControls();
window.addEventListener('hashchange', route);
route();
background(refreshJobList());
setInterval(() => background(refreshJobList()), 2000);
background(loadPresets());
