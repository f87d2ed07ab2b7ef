import HTTPServer

/// The live dashboard: one HTML page, its style sheet and its ES modules (Dashboard/Web), embedded in the binary at
/// build time by the EmbedDashboard plugin (`embeddedFiles`), so the service needs no CDN, no network and no file
/// beside it to show it. Plain HTML, CSS and JavaScript over the v1 API (docs/api.md): the job list, the submit
/// form with every spec issue beside its field, and per job the progress, loss, error, slope and learned-parameter
/// charts (drawn on canvas, updated over the job's event stream), the solution, exact and error heatmaps, line
/// cuts, downloads and cancel.
///
/// Served as `/` (index.html) and `/dashboard/{file}` (app.js, the modules it imports, app.css), all UTF-8.
/// The modules' pure functions are tested with `node --test` (Tests/DashboardTests), the page in headless Chromium
/// (`scripts/browser-test.sh`).
enum DashboardAssets {
    /// The media types of the files served, by extension.
    static let contentTypes = [
        "html": "text/html; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "css": "text/css; charset=utf-8",
    ]

    /// The answer for the file `name` of Dashboard/Web; a 404 for a name it does not hold.
    static func response(for name: String) throws -> HTTPResponse {
        guard let file = files[name] else {
            throw HTTPError(status: 404, message: "the dashboard has no file \"\(name)\"")
        }
        return .bytes(contentType: file.contentType, file.bytes)
    }

    private static let files: [String: (contentType: String, bytes: [UInt8])] =
        embeddedFiles.reduce(into: [:]) { files, file in
            let type = contentTypes[String(file.key.split(separator: ".").last ?? "")] ?? "text/plain; charset=utf-8"
            files[file.key] = (type, Array(file.value.utf8))
        }
}
