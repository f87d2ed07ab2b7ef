// The submit form: a preset as the starting spec, the JSON editor with a line gutter, and every issue the server
// reports shown beside the field it names, its line marked in the editor.
import { background, expected, getJSON, request } from './api.js';
import { $, debounce, el } from './dom.js';
import { shortId } from './format.js';
import { list, refreshJobList } from './job-list.js';
import { jsonErrorLine, jsonLines, locateField } from './json-lines.js';

const LINE_HEIGHT = 20;
const EDITOR_PADDING = 8;
const editor = { issues: [], summary: '', dirty: false, presets: [] };

/** Line numbers beside the editor; `flagged` maps a line to its issues' text. */
function renderGutter(flagged) {
  const textarea = $('spec-editor');
  const count = textarea.value.split('\n').length;
  const gutter = $('spec-gutter');
  if (gutter.childElementCount !== count) {
    const rows = [];
    for (let n = 1; n <= count; n++) rows.push(el('div', { text: n }));
    rows.push(el('div', { text: '' }), el('div', { text: '' }));
    gutter.replaceChildren(...rows);
  }
  const marked = flagged || new Map();
  Array.from(gutter.children).forEach((row, index) => {
    const issue = marked.get(index + 1);
    row.classList.toggle('flagged', Boolean(issue));
    if (issue) row.title = issue; else row.removeAttribute('title');
  });
  gutter.scrollTop = textarea.scrollTop;
}

function positionMarks() {
  const textarea = $('spec-editor');
  for (const mark of $('spec-marks').children) {
    mark.style.top = (EDITOR_PADDING + (Number(mark.dataset.line) - 1) * LINE_HEIGHT - textarea.scrollTop) + 'px';
  }
  $('spec-gutter').scrollTop = textarea.scrollTop;
}

function selectLine(line) {
  const textarea = $('spec-editor');
  const lines = textarea.value.split('\n');
  let start = 0;
  for (let n = 1; n < line && n <= lines.length; n++) start += lines[n - 1].length + 1;
  const end = start + (lines[line - 1] || '').length;
  textarea.focus();
  textarea.setSelectionRange(start, end);
  textarea.scrollTop = Math.max(0, (line - 1) * LINE_HEIGHT - textarea.clientHeight / 3);
  positionMarks();
}

/** The issues by field path, each group with its messages and the line the server gave, if any. */
function groupIssues(issues) {
  const groups = new Map();
  for (const issue of issues) {
    const field = issue.field || '$';
    if (!groups.has(field)) groups.set(field, { messages: [], line: issue.line || null });
    groups.get(field).messages.push(issue.message || '');
  }
  return groups;
}

function issueGroupNode(field, group, located) {
  const where = located ? (located.exact ? 'line ' + located.line : 'near line ' + located.line)
    : field === '$' ? 'whole spec' : 'not in the text';
  return el('div', { class: 'issue-group', dataset: { field } },
    el('button', { type: 'button', class: 'issue-field', title: located ? 'Show in the editor' : '',
      onclick: () => { if (located) selectLine(located.line); } },
    el('code', { text: field }), el('span', { class: 'issue-line', text: where })),
    el('ul', {}, group.messages.map((message) => el('li', { text: message }))));
}

/** Shows the issues grouped by field path beside the editor and marks the line each field is on. */
function renderIssues() {
  const box = $('spec-issues');
  const marks = $('spec-marks');
  if (!editor.issues.length && !editor.summary) {
    box.classList.remove('has-issues');
    box.replaceChildren(el('p', { class: 'muted', text: 'Problems with the spec appear here, each beside the field ' +
      'it names; the line is marked in the editor.' }));
    marks.replaceChildren();
    renderGutter(null);
    return;
  }
  const lines = jsonLines($('spec-editor').value);
  const flagged = new Map();
  const markNodes = [];
  const groupNodes = [];
  for (const [field, group] of groupIssues(editor.issues)) {
    const located = group.line ? { line: group.line, exact: true } : locateField(lines, field);
    if (located) {
      const text = field + ': ' + group.messages.join('; ');
      flagged.set(located.line, flagged.has(located.line) ? flagged.get(located.line) + '\n' + text : text);
      markNodes.push(el('div', { class: located.exact ? '' : 'nearest', dataset: { line: located.line } }));
    }
    groupNodes.push(issueGroupNode(field, group, located));
  }
  box.classList.add('has-issues');
  box.replaceChildren(el('p', { class: 'issues-summary', text: editor.summary || 'The spec has problems.' }), ...groupNodes);
  marks.replaceChildren(...markNodes);
  renderGutter(flagged);
  positionMarks();
}

function showIssues(summary, issues) {
  editor.summary = summary;
  editor.issues = issues || [];
  renderIssues();
  const first = Array.from($('spec-marks').children).map((mark) => Number(mark.dataset.line)).sort((a, b) => a - b)[0];
  const textarea = $('spec-editor');
  if (first && ((first - 1) * LINE_HEIGHT < textarea.scrollTop || first * LINE_HEIGHT > textarea.scrollTop + textarea.clientHeight)) {
    textarea.scrollTop = Math.max(0, (first - 1) * LINE_HEIGHT - textarea.clientHeight / 3);
    positionMarks();
  }
}

function setSubmitStatus(text, kind) {
  const node = $('submit-status');
  node.textContent = text;
  node.className = kind === 'ok' ? 'submit-ok' : kind === 'error' ? 'submit-error' : 'muted';
}

/** Fills the preset menu; an empty editor gets the Burgers preset (or the first). */
export async function loadPresets() {
  const select = $('preset-select');
  try {
    const body = await getJSON('/v1/presets');
    editor.presets = body.presets || [];
    select.replaceChildren(...editor.presets.map((preset) => el('option', { value: preset.name, text: preset.name })));
    const initial = editor.presets.some((preset) => preset.name === 'burgers') ? 'burgers' : (editor.presets[0] || {}).name;
    if (initial) {
      select.value = initial;
      if (!$('spec-editor').value.trim()) await loadPreset(initial);
      else showPresetSummary(initial);
    }
  } catch (error) {
    select.replaceChildren(el('option', { value: '', text: 'presets unavailable' }));
    $('preset-summary').textContent = expected(error).message;
  }
}

function showPresetSummary(name) {
  const preset = editor.presets.find((p) => p.name === name);
  $('preset-summary').textContent = preset ? preset.summary || '' : '';
}

async function loadPreset(name) {
  if (!name) return;
  showPresetSummary(name);
  try {
    const spec = await getJSON('/v1/presets/' + encodeURIComponent(name));
    $('spec-editor').value = JSON.stringify(spec, null, 2) + '\n';
    $('spec-editor').scrollTop = 0;
    editor.dirty = false;
    showIssues('', []);
    setSubmitStatus('', '');
  } catch (error) {
    setSubmitStatus('Could not load the preset: ' + expected(error).message, 'error');
  }
}

/** Parses the editor's text, or shows where it is not JSON. */
function parseEditor() {
  const text = $('spec-editor').value;
  try {
    return { text, spec: JSON.parse(text) };
  } catch (error) {
    showIssues('The spec is not valid JSON.', [{ field: '$', message: error.message, line: jsonErrorLine(text, error) }]);
    setSubmitStatus('Not submitted: fix the JSON first.', 'error');
    return null;
  }
}

async function submitSpec() {
  const parsed = parseEditor();
  if (!parsed) return;
  const button = $('submit-button');
  button.disabled = true;
  setSubmitStatus('Submitting\u2026', '');
  try {
    const path = '/v1/jobs' + ($('shared-input').checked ? '?shared=true' : '');
    const response = await request(path, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: parsed.text });
    const job = await response.json();
    showIssues('', []);
    setSubmitStatus('Submitted job ' + shortId(job.id) + '.', 'ok');
    list.key = '';
    background(refreshJobList());
    location.hash = '#job=' + encodeURIComponent(job.id);
  } catch (error) {
    const problem = expected(error);
    showIssues(problem.message, problem.issues);
    setSubmitStatus('Not submitted (' + (problem.status || 'no answer') + ').', 'error');
  } finally {
    button.disabled = false;
  }
}

function formatEditor() {
  const parsed = parseEditor();
  if (!parsed) return;
  $('spec-editor').value = JSON.stringify(parsed.spec, null, 2) + '\n';
  renderIssues();
}

export function setUpSubmitForm() {
  const textarea = $('spec-editor');
  const relocate = debounce(() => renderIssues(), 250);
  textarea.addEventListener('input', () => { editor.dirty = true; renderGutter(null); relocate(); });
  textarea.addEventListener('scroll', positionMarks);
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); background(submitSpec()); }
  });
  $('preset-select').addEventListener('change', (event) => {
    const name = event.target.value;
    if (editor.dirty && !window.confirm('Replace your edits with the preset "' + name + '"?')) return;
    background(loadPreset(name));
  });
  $('submit-button').addEventListener('click', () => background(submitSpec()));
  $('format-button').addEventListener('click', formatEditor);
  renderGutter(null);
}
