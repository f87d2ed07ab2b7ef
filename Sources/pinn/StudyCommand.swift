import Foundation

/// `pinn study submit|status|get|list|cancel|delete` against a pinn-server's studies (docs/cli.md, docs/api.md
/// "Studies"). The server expands and validates the study; this prints what it answers.
struct StudyCommand {
    let client: ServiceClient
    let arguments: RemoteArguments

    static let usage = "pinn study submit FILE|- [--shared] | status ID [--json] | get ID [--format json|png] [-o FILE] | list [--json] | cancel ID | delete ID"

    /// The parts of `GET /v1/studies/{id}` the table shows.
    struct Study: Decodable {
        struct Spread: Decodable { let median: Double; let min: Double; let max: Double; let count: Int }
        struct Decade: Decodable { let decade: Int; let reached: Int; let runs: Int; let seconds: Spread? }
        struct Cell: Decodable { let label: String; let runs: [Run]; let finalError: Spread?; let decades: [Decade] }
        struct Run: Decodable { let status: String }
        let id: String
        let name: String?
        let status: String
        let jobs: Int
        let counts: [String: Int]
        let cells: [Cell]
    }

    func run() throws(ClientError) {
        let positionals = arguments.positionals
        guard let sub = positionals.first else { throw .usage("missing arguments: \(Self.usage)") }
        let rest = Array(positionals.dropFirst())
        func id() throws(ClientError) -> String {
            guard rest.count == 1 else { throw .usage("pinn study \(sub) ID") }
            return rest[0]
        }
        switch sub {
        case "submit":
            guard rest.count == 1 else { throw .usage("pinn study submit FILE|- [--shared]") }
            let study = try client.send("POST", "/v1/studies", query: arguments.flags.contains("--shared") ? [("shared", "true")] : [],
                                        body: try RemoteCommand.readSpecFile(rest[0])).checked().decoded(Study.self)
            print(study.id)
            PinnCommand.printError("pinn: study \(study.id): \(study.jobs) jobs in \(study.cells.count) cell(s) queued")
        case "status":
            let response = try client.send("GET", "/v1/studies/\(try id())").checked()
            if arguments.flags.contains("--json") { return RemoteCommand.writeJSON(response.body) }
            Self.printStatus(try response.decoded(Study.self))
        case "get":
            let format = arguments.options["--format"] ?? "json"
            guard format == "json" || format == "png" else { throw .usage("--format for a study: json or png, got \"\(format)\"") }
            let file = arguments.options["-o"] ?? arguments.options["--out"]
            if format == "png" && file == nil && isatty(1) != 0 {
                throw .usage("not writing png to a terminal: give -o FILE or redirect standard output")
            }
            let path = "/v1/studies/\(try id())" + (format == "png" ? "/errors.png" : "")
            let body = try client.send("GET", path, query: arguments.options["--x"].map { [("x", $0)] } ?? []).checked().body
            guard let file else { return format == "png" ? FileHandle.standardOutput.write(body) : RemoteCommand.writeJSON(body) }
            do { try body.write(to: URL(fileURLWithPath: file), options: .atomic) } catch {
                throw .usage("cannot write \(file): \(error.localizedDescription)")
            }
        case "list":
            guard rest.isEmpty else { throw .usage("pinn study list [--json]") }
            let response = try client.send("GET", "/v1/studies").checked()
            if arguments.flags.contains("--json") { return RemoteCommand.writeJSON(response.body) }
            struct Page: Decodable {
                struct Entry: Decodable { let id: String; let name: String?; let status: String; let jobs: Int; let cells: Int; let createdAt: String }
                let studies: [Entry]
            }
            let page = try response.decoded(Page.self)
            RemoteCommand.printTable([["ID", "STATUS", "CELLS", "JOBS", "NAME", "CREATED"]] + page.studies.map {
                [$0.id, $0.status, String($0.cells), String($0.jobs), $0.name ?? "-", $0.createdAt]
            })
        case "cancel":
            let study = try client.send("POST", "/v1/studies/\(try id())/cancel").checked().decoded(Study.self)
            print("study \(study.id): unfinished jobs cancelled")
        case "delete":
            let id = try id()
            _ = try client.send("DELETE", "/v1/studies/\(id)").checked()
            print("study \(id) deleted with its jobs")
        default:
            throw .usage("unknown study command \"\(sub)\": \(Self.usage)")
        }
    }

    /// One line per cell: runs done, the final error's median and range, and the median time to each decade.
    static func printStatus(_ study: Study) {
        print("study \(study.id)" + (study.name.map { " (\($0))" } ?? "") + ": \(study.status), "
              + statusOrder.map { "\(study.counts[$0] ?? 0) \($0)" }.joined(separator: ", "))
        var rows = [["CELL", "DONE", "FINAL L2 MEDIAN [MIN, MAX]", "TIME TO DECADE (MEDIAN s, REACHED)"]]
        for cell in study.cells {
            let done = cell.runs.filter { ["succeeded", "failed", "cancelled"].contains($0.status) }.count
            let final = cell.finalError.map {
                "\(RemoteProgress.scientific($0.median)) [\(RemoteProgress.scientific($0.min)), \(RemoteProgress.scientific($0.max))]"
            } ?? "-"
            let decades = cell.decades.filter { $0.reached > 0 }.map { decade in
                "1e-\(decade.decade): \(decade.seconds.map { String(format: "%.1f", $0.median) } ?? "-") (\(decade.reached)/\(decade.runs))"
            }.joined(separator: ", ")
            rows.append([cell.label, "\(done)/\(cell.runs.count)", final, decades.isEmpty ? "-" : decades])
        }
        RemoteCommand.printTable(rows)
    }

    private static let statusOrder = ["queued", "running", "succeeded", "failed", "cancelled"]
}
