/// The dashboard's page: the static skeleton the script fills in. Element ids are the script's hooks and the
/// browser test's (`progress-bar`, `loss-chart`, `error-chart`, `slope-chart`, `cut-chart`, `solution-img`, …).
extension DashboardAssets {
    static let html: String = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>pinn-service dashboard</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/app.css">
<script src="/dashboard/app.js" defer></script>
</head>
<body>
<header class="topbar">
  <a class="brand" href="#new">pinn-service</a>
  <span class="tagline">physics-informed neural networks with locally adaptive activations</span>
  <span id="server-state" class="server-state">connecting&hellip;</span>
  <form id="token-form" class="token-form" autocomplete="off"
        title="The API token of this server, if it has tokens; kept in this browser (localStorage)">
    <label for="token-input">API token</label>
    <input id="token-input" type="password" placeholder="none" spellcheck="false" size="16">
    <button type="submit">Use</button>
    <span id="token-state" class="token-state muted" aria-live="polite"></span>
  </form>
  <a class="button primary" href="#new" id="new-job-link">New job</a>
</header>

<div class="layout">
  <aside class="sidebar" aria-label="Jobs">
    <div class="sidebar-head">
      <h2>Jobs</h2>
      <select id="job-filter" aria-label="Show jobs with status">
        <option value="">all</option>
        <option value="running">running</option>
        <option value="queued">queued</option>
        <option value="succeeded">succeeded</option>
        <option value="failed">failed</option>
        <option value="cancelled">cancelled</option>
      </select>
    </div>
    <ul id="job-list" class="job-list"></ul>
    <p id="job-list-empty" class="muted empty-note" hidden>No jobs yet: submit one.</p>
  </aside>

  <main class="content">
    <section id="submit-view" class="view" hidden>
      <h1>New job</h1>
      <div class="card">
        <div class="preset-row">
          <label for="preset-select">Start from a preset</label>
          <select id="preset-select"><option value="">loading&hellip;</option></select>
          <p id="preset-summary" class="muted"></p>
        </div>
        <p class="muted hint">The job spec as JSON (docs/job-spec.md). Every member has a default, so
          <code>{"problem": "burgers"}</code> alone is a complete job. Problems are data: edit the equations, conditions
          and parameters, or give a problem of your own (docs/problems.md).</p>
        <div class="editor-layout">
          <div class="editor" id="spec-editor-frame">
            <div class="editor-gutter" id="spec-gutter" aria-hidden="true"></div>
            <div class="editor-body">
              <div class="editor-marks" id="spec-marks" aria-hidden="true"></div>
              <textarea id="spec-editor" spellcheck="false" wrap="off" autocomplete="off"
                        aria-label="Job spec (JSON)" aria-describedby="spec-issues"></textarea>
            </div>
          </div>
          <aside id="spec-issues" class="issues" aria-live="polite">
            <p class="muted">Problems with the spec appear here, each beside the field it names; the line is marked in
              the editor.</p>
          </aside>
        </div>
        <div class="form-actions">
          <button id="submit-button" class="primary" type="button">Submit</button>
          <button id="format-button" type="button">Format JSON</button>
          <label class="shared-choice" title="With API tokens, a job is visible to its owner only unless shared">
            <input id="shared-input" type="checkbox"> shared</label>
          <span id="submit-status" class="muted" aria-live="polite"></span>
        </div>
      </div>
    </section>

    <section id="job-view" class="view" hidden>
      <div class="job-head">
        <div class="job-heading">
          <h1 id="job-title">Job</h1>
          <p id="job-meta" class="muted"></p>
        </div>
        <div class="job-actions">
          <span id="job-status" class="badge"></span>
          <span id="stream-state" class="stream-state muted"></span>
          <button id="cancel-button" class="danger" type="button">Cancel</button>
        </div>
      </div>
      <p id="job-notice" class="notice" hidden></p>

      <div id="job-body">
        <div class="card">
          <div class="progress" id="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"
               aria-labelledby="progress-label">
            <div id="progress-bar" class="progress-bar"></div>
          </div>
          <div id="progress-label" class="progress-label"></div>
          <dl id="job-stats" class="stats"></dl>
        </div>

        <div class="charts">
          <figure class="card chart-card">
            <figcaption>Loss terms <span class="muted">mean squares, log scale</span></figcaption>
            <canvas id="loss-chart" class="chart"></canvas>
          </figure>
          <figure class="card chart-card">
            <figcaption>Error against the exact solution <span class="muted">relative L2, log scale</span></figcaption>
            <canvas id="error-chart" class="chart"></canvas>
          </figure>
          <figure class="card chart-card">
            <figcaption>Slopes <span id="slope-caption" class="muted">n&middot;&#257; per hidden layer</span></figcaption>
            <canvas id="slope-chart" class="chart"></canvas>
          </figure>
          <figure class="card chart-card" id="learned-card" hidden>
            <figcaption>Learned parameters <span class="muted">dashed: the value of the exact solution</span></figcaption>
            <canvas id="learned-chart" class="chart"></canvas>
          </figure>
        </div>

        <div class="card">
          <div class="card-head">
            <h2>Solution</h2>
            <label id="output-picker" hidden>output <select id="output-select"></select></label>
            <span id="solution-note" class="muted"></span>
          </div>
          <div class="heatmaps">
            <figure class="heatmap">
              <figcaption>Network</figcaption>
              <div class="heatmap-frame">
                <img id="solution-img" alt="Heatmap of the network's solution">
                <p id="solution-placeholder" class="placeholder" hidden></p>
              </div>
            </figure>
            <figure class="heatmap">
              <figcaption>Exact solution</figcaption>
              <div class="heatmap-frame">
                <img id="exact-img" alt="Heatmap of the exact solution">
                <p id="exact-placeholder" class="placeholder" hidden></p>
              </div>
            </figure>
            <figure class="heatmap">
              <figcaption>Error |network &minus; exact|</figcaption>
              <div class="heatmap-frame">
                <img id="error-img" alt="Heatmap of the pointwise error">
                <p id="error-placeholder" class="placeholder" hidden></p>
              </div>
            </figure>
          </div>
        </div>

        <div class="card">
          <div class="card-head">
            <h2>Line cuts</h2>
            <span id="cut-controls">
              <label for="cut-times">at <span id="cut-axis">t</span> =</label>
              <input id="cut-times" type="text" value="0, 0.25, 0.5, 0.75, 1" size="28"
                     title="Comma-separated values, each snapped to the nearest grid row">
            </span>
            <span class="muted">solid: network, dashed: exact</span>
          </div>
          <canvas id="cut-chart" class="chart chart-wide"></canvas>
        </div>

        <div class="card">
          <h2>Downloads</h2>
          <div id="downloads" class="downloads"></div>
        </div>
      </div>
    </section>
  </main>
</div>
</body>
</html>
"""#
}
