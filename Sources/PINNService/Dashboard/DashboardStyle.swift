/// The dashboard's style sheet: a light theme, a job list beside the job's panel, one column on narrow screens.
extension DashboardAssets {
    static let style: String = #"""
:root {
  --bg: #f5f7fa;
  --card: #ffffff;
  --text: #1d2733;
  --muted: #6b7785;
  --line: #dde3ea;
  --accent: #2563eb;
  --accent-soft: #e8efff;
  --danger: #c62828;
  --danger-soft: #fdecec;
  --queued: #8a6d00;
  --queued-soft: #fff6d6;
  --running: #1d4ed8;
  --running-soft: #e3ecff;
  --succeeded: #17803d;
  --succeeded-soft: #e2f5e9;
  --failed: #b42318;
  --failed-soft: #fde8e6;
  --cancelled: #5f6b78;
  --cancelled-soft: #eceff3;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace;
  --radius: 8px;
}

* { box-sizing: border-box; }

html, body { margin: 0; padding: 0; }

body {
  background: var(--bg);
  color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}

h1 { font-size: 1.45rem; margin: 0 0 0.2rem; font-weight: 600; }
h2 { font-size: 1.05rem; margin: 0 0 0.6rem; font-weight: 600; }
code { font-family: var(--mono); font-size: 0.92em; }
a { color: var(--accent); }
.muted { color: var(--muted); }
[hidden] { display: none !important; }

button, .button, select, input[type="text"], input[type="password"] {
  font: inherit;
  border: 1px solid var(--line);
  border-radius: 6px;
  background: #fff;
  color: var(--text);
  padding: 0.35rem 0.75rem;
}
button, .button { cursor: pointer; text-decoration: none; display: inline-block; }
button:hover, .button:hover { border-color: #b8c2ce; background: #f8fafc; }
button:disabled { cursor: default; opacity: 0.5; }
button.primary, .button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.primary:hover, .button.primary:hover { background: #1d4fd0; }
button.danger { color: var(--danger); border-color: #f0b8b8; }
button.danger:hover:not(:disabled) { background: var(--danger-soft); }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }

/* Top bar and layout */

.topbar {
  display: flex;
  align-items: center;
  gap: 1rem;
  padding: 0.6rem 1.25rem;
  background: #fff;
  border-bottom: 1px solid var(--line);
  position: sticky;
  top: 0;
  z-index: 5;
}
.brand { font-weight: 700; font-size: 1.1rem; color: var(--text); text-decoration: none; }
.tagline { color: var(--muted); flex: 1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.server-state { color: var(--muted); font-size: 0.85rem; white-space: nowrap; }
.server-state.down { color: var(--danger); font-weight: 600; }
.token-form { display: flex; align-items: center; gap: 0.4rem; font-size: 0.85rem; white-space: nowrap; }
.token-form input { width: 11rem; padding: 0.25rem 0.5rem; font-family: var(--mono); }
.token-form button { padding: 0.25rem 0.6rem; }
.token-form.refused input { border-color: var(--danger); }
.token-form.refused .token-state { color: var(--danger); font-weight: 600; }
.shared-choice { display: inline-flex; align-items: center; gap: 0.3rem; color: var(--muted); }

.layout {
  display: grid;
  grid-template-columns: 300px minmax(0, 1fr);
  min-height: calc(100vh - 52px);
}

.sidebar {
  border-right: 1px solid var(--line);
  background: #fbfcfd;
  padding: 1rem 0.75rem;
  position: sticky;
  top: 52px;
  height: calc(100vh - 52px);
  overflow-y: auto;
}
.sidebar-head { display: flex; align-items: center; justify-content: space-between; margin-bottom: 0.5rem; }
.sidebar-head h2 { margin: 0; }
.sidebar-head select { padding: 0.2rem 0.4rem; font-size: 0.85rem; }

.content { padding: 1.25rem 1.5rem 3rem; min-width: 0; }

.card {
  background: var(--card);
  border: 1px solid var(--line);
  border-radius: var(--radius);
  padding: 1rem 1.1rem;
  margin: 0 0 1rem;
  box-shadow: 0 1px 2px rgba(16, 24, 40, 0.04);
}
.card-head { display: flex; align-items: center; flex-wrap: wrap; gap: 0.6rem; margin-bottom: 0.75rem; }
.card-head h2 { margin: 0 0.5rem 0 0; }

/* Job list */

.job-list { list-style: none; margin: 0; padding: 0; }
.job-item {
  display: block;
  padding: 0.55rem 0.65rem;
  margin-bottom: 0.35rem;
  border: 1px solid transparent;
  border-radius: 6px;
  color: var(--text);
  text-decoration: none;
}
.job-item:hover { background: #f0f4f9; }
.job-item.selected { background: var(--accent-soft); border-color: #bcd0fb; }
.job-line { display: flex; align-items: center; gap: 0.5rem; }
.job-name { font-weight: 600; flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.job-percent { font-size: 0.8rem; color: var(--muted); font-variant-numeric: tabular-nums; }
.job-sub { font-size: 0.78rem; color: var(--muted); margin-top: 0.15rem; font-variant-numeric: tabular-nums; }
.job-mini { height: 3px; background: var(--line); border-radius: 2px; margin-top: 0.35rem; overflow: hidden; }
.job-mini > div { height: 100%; background: var(--running); }
.empty-note { padding: 0.5rem; }

.badge {
  display: inline-block;
  padding: 0.05rem 0.5rem;
  border-radius: 999px;
  font-size: 0.75rem;
  font-weight: 600;
  letter-spacing: 0.01em;
  white-space: nowrap;
}
.status-queued { color: var(--queued); background: var(--queued-soft); }
.status-running { color: var(--running); background: var(--running-soft); }
.status-succeeded { color: var(--succeeded); background: var(--succeeded-soft); }
.status-failed { color: var(--failed); background: var(--failed-soft); }
.status-cancelled { color: var(--cancelled); background: var(--cancelled-soft); }

/* Submit form and the spec editor */

.preset-row { display: flex; flex-wrap: wrap; align-items: center; gap: 0.6rem; margin-bottom: 0.5rem; }
.preset-row label { font-weight: 600; }
.preset-row p { margin: 0; flex-basis: 100%; }
.hint { margin: 0.25rem 0 0.75rem; }

.editor-layout { display: grid; grid-template-columns: minmax(0, 1.6fr) minmax(240px, 1fr); gap: 1rem; align-items: start; }

.editor {
  display: flex;
  border: 1px solid var(--line);
  border-radius: 6px;
  overflow: hidden;
  background: #fff;
  height: 520px;
  font: 13px/20px var(--mono);
}
.editor:focus-within { border-color: var(--accent); }
.editor-gutter {
  flex: none;
  width: 3.2em;
  padding: 8px 0;
  text-align: right;
  color: #9aa5b1;
  background: #f6f8fa;
  border-right: 1px solid var(--line);
  overflow: hidden;
  user-select: none;
}
.editor-gutter div { padding-right: 0.5em; height: 20px; }
.editor-gutter div.flagged { color: #fff; background: var(--danger); font-weight: 700; }
.editor-body { position: relative; flex: 1; min-width: 0; }
.editor-marks { position: absolute; inset: 0; overflow: hidden; pointer-events: none; }
.editor-marks div { position: absolute; left: 0; right: 0; height: 20px; background: rgba(198, 40, 40, 0.12);
  border-left: 3px solid var(--danger); }
.editor-marks div.nearest { background: rgba(198, 40, 40, 0.06); border-left-style: dashed; }
.editor-body textarea {
  position: absolute;
  inset: 0;
  width: 100%;
  height: 100%;
  margin: 0;
  border: 0;
  padding: 8px 10px;
  resize: none;
  font: inherit;
  color: var(--text);
  background: transparent;
  white-space: pre;
  overflow: auto;
  tab-size: 2;
}
.editor-body textarea:focus { outline: none; }

.issues {
  border: 1px solid var(--line);
  border-radius: 6px;
  padding: 0.75rem;
  background: #fcfcfd;
  max-height: 520px;
  overflow-y: auto;
}
.issues p { margin: 0; }
.issues.has-issues { border-color: #f0b8b8; background: #fffafa; }
.issues-summary { font-weight: 600; color: var(--danger); margin-bottom: 0.6rem !important; }
.issue-group { margin-bottom: 0.6rem; }
.issue-field {
  display: flex;
  width: 100%;
  align-items: baseline;
  gap: 0.5rem;
  padding: 0.25rem 0.4rem;
  border: 0;
  border-radius: 4px;
  background: var(--danger-soft);
  color: var(--danger);
  text-align: left;
}
.issue-field code { font-weight: 600; word-break: break-all; }
.issue-line { margin-left: auto; font-size: 0.78rem; white-space: nowrap; color: #8a3b3b; }
.issue-group ul { margin: 0.3rem 0 0 0; padding-left: 1.2rem; }
.issue-group li { margin: 0.15rem 0; }

.form-actions { display: flex; align-items: center; gap: 0.6rem; margin-top: 0.9rem; }
.submit-ok { color: var(--succeeded) !important; }
.submit-error { color: var(--danger) !important; }

/* The job panel */

.job-head { display: flex; align-items: flex-start; justify-content: space-between; gap: 1rem; margin-bottom: 0.9rem; }
.job-heading { min-width: 0; }
.job-heading p { margin: 0; word-break: break-all; }
.job-actions { display: flex; align-items: center; gap: 0.6rem; flex: none; }
.job-actions .badge { font-size: 0.85rem; padding: 0.2rem 0.7rem; }
.stream-state { font-size: 0.8rem; }
.stream-state.live { color: var(--succeeded); }

.notice { background: var(--failed-soft); color: var(--failed); border: 1px solid #f3c2bd; border-radius: var(--radius);
  padding: 0.6rem 0.9rem; margin: 0 0 1rem; white-space: pre-wrap; }
.notice.info { background: var(--accent-soft); color: #1e3a8a; border-color: #c7d7fb; }

.progress { height: 14px; background: #e9edf2; border-radius: 7px; overflow: hidden; }
.progress-bar { height: 100%; width: 0; background: var(--running); border-radius: 7px; transition: width 0.4s ease; }
.progress-bar.status-succeeded { background: #22a055; }
.progress-bar.status-failed { background: #d92d20; }
.progress-bar.status-cancelled { background: #98a2b3; }
.progress-bar.status-queued { background: #e0b000; }
.progress-label { margin-top: 0.45rem; font-variant-numeric: tabular-nums; }

.stats { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 0.5rem 1rem; margin: 0.8rem 0 0; }
.stats div { min-width: 0; }
.stats dt { font-size: 0.75rem; color: var(--muted); text-transform: uppercase; letter-spacing: 0.03em; }
.stats dd { margin: 0; font-variant-numeric: tabular-nums; font-weight: 600; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }

.charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 0 1rem; }
.chart-card { margin: 0 0 1rem; }
.chart-card figcaption { font-weight: 600; margin-bottom: 0.4rem; }
.chart-card figcaption .muted { font-weight: 400; font-size: 0.85rem; margin-left: 0.3rem; }
canvas.chart { display: block; width: 100%; height: 280px; }
canvas.chart-wide { height: 320px; }

.heatmaps { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 1rem; }
.heatmap { margin: 0; }
.heatmap figcaption { font-weight: 600; margin-bottom: 0.35rem; }
.heatmap-frame {
  position: relative;
  aspect-ratio: 8 / 5;
  border: 1px solid var(--line);
  border-radius: 6px;
  background: #fafbfc;
  overflow: hidden;
}
.heatmap-frame img { display: block; width: 100%; height: 100%; object-fit: contain; }
.heatmap-frame img:not([src]) { visibility: hidden; }
.placeholder {
  position: absolute;
  inset: 0;
  margin: 0;
  display: flex;
  align-items: center;
  justify-content: center;
  text-align: center;
  padding: 1rem;
  color: var(--muted);
  background: repeating-linear-gradient(45deg, #fafbfc, #fafbfc 10px, #f2f4f7 10px, #f2f4f7 20px);
}

#cut-times { font-family: var(--mono); font-size: 0.9rem; }

.downloads { display: flex; flex-wrap: wrap; gap: 0.75rem 1.5rem; }
.download-group { display: flex; align-items: center; flex-wrap: wrap; gap: 0.35rem; }
.download-group span { font-weight: 600; margin-right: 0.2rem; }
.download-group a { padding: 0.2rem 0.55rem; font-size: 0.85rem; }

/* Narrow screens: one column */

@media (max-width: 1100px) {
  .charts { grid-template-columns: minmax(0, 1fr); }
  .editor-layout { grid-template-columns: minmax(0, 1fr); }
}
@media (max-width: 860px) {
  .layout { grid-template-columns: minmax(0, 1fr); }
  .sidebar { position: static; height: auto; max-height: 40vh; border-right: 0; border-bottom: 1px solid var(--line); }
  .heatmaps { grid-template-columns: minmax(0, 1fr); }
  .tagline { display: none; }
  .content { padding: 1rem; }
  .job-head { flex-direction: column; }
}
"""#
}
