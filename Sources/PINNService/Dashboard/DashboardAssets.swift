/// The live dashboard served at `GET /`: one HTML page, its script and its style sheet, embedded in the binary so
/// the service needs no CDN, no network and no build step to show it. Plain HTML, CSS and ES2020 JavaScript over
/// the v1 API (docs/api.md): the job list, the submit form with every spec issue beside its field, and per job the
/// progress, loss, error, slope and learned-parameter charts (drawn on canvas, updated over the job's event
/// stream), the solution, exact and error heatmaps, line cuts, downloads and cancel.
///
/// Served as `/` (`html`, text/html), `/dashboard/app.js` (`script`, text/javascript) and `/dashboard/app.css`
/// (`style`, text/css), all UTF-8. `scripts/browser-test.sh` checks the page in headless Chromium.
enum DashboardAssets {}
