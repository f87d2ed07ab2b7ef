// pinn-service dashboard: a single-page app over the v1 API (docs/api.md). ES modules, no framework, no build
// step, no network beyond this server. Charts are drawn by hand on canvas (chart.js); a running job's records
// arrive over its event stream (Server-Sent Events). Every chart sets data-drawn="true" and data-points=N after
// drawing, and every heatmap that loaded sets data-loaded="true": scripts/browser_test.py waits for both.
// This module routes between the submit form (#new), a job's panel (#job=ID) and a study's page (#study=ID), and
// starts the page.
import { background } from './api.js';
import { $, debounce } from './dom.js';
import { shortId } from './format.js';
import { list, refreshJobList, renderJobList } from './job-list.js';
import { JobPanel, PICTURES } from './job-panel.js';
import { StudyPanel, refreshStudyList, renderStudyList, studyList } from './study-panel.js';
import { loadPresets, setUpSubmitForm } from './submit-form.js';
import { setUpTokenForm } from './token-form.js';

let panel = null;
let studyPanel = null;

function closePanel() {
  if (panel) panel.close();
  panel = null;
}

function closeStudyPanel() {
  if (studyPanel) studyPanel.close();
  studyPanel = null;
}

function show(view) {
  for (const name of ['submit-view', 'job-view', 'study-view']) $(name).hidden = name !== view;
}

function route() {
  const match = /^#job=(.+)$/.exec(location.hash);
  const study = /^#study=(.+)$/.exec(location.hash);
  if (match) {
    closeStudyPanel();
    const id = decodeURIComponent(match[1]);
    if (!panel || panel.id !== id) {
      closePanel();
      panel = new JobPanel(id);
      show('job-view');
      background(panel.open());
    }
    document.title = 'Job ' + shortId(id) + ' \u00b7 pinn-service';
  } else if (study) {
    closePanel();
    const id = decodeURIComponent(study[1]);
    if (!studyPanel || studyPanel.id !== id) {
      closeStudyPanel();
      studyPanel = new StudyPanel(id);
      show('study-view');
      background(studyPanel.open());
    }
    document.title = 'Study ' + shortId(id) + ' \u00b7 pinn-service';
  } else {
    closePanel();
    closeStudyPanel();
    show('submit-view');
    document.title = 'New job \u00b7 pinn-service';
  }
  list.selected = panel ? panel.id : '';
  list.key = '';
  renderJobList();
  studyList.selected = studyPanel ? studyPanel.id : '';
  studyList.key = '';
  renderStudyList();
}

function refreshLists() {
  background(refreshJobList());
  background(refreshStudyList());
}

/** A new token: everything shown is asked for again. */
function reload() {
  closePanel();
  closeStudyPanel();
  route();
  refreshLists();
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
  $('study-cancel-button').addEventListener('click', () => { if (studyPanel) background(studyPanel.cancel()); });
  $('study-x').addEventListener('change', (event) => { if (studyPanel) background(studyPanel.changeAxis(event.target.value)); });
  window.addEventListener('resize', debounce(() => { if (panel && panel.view) panel.renderCharts(); }, 200));
}

setUpTokenForm(reload);
setUpSubmitForm();
setUpJobControls();
window.addEventListener('hashchange', route);
route();
refreshLists();
setInterval(refreshLists, 2000);
background(loadPresets());
