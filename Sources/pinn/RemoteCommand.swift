import Foundation

/// The client commands: `pinn submit|watch|status|list|cancel|delete|get|presets` against a pinn-server (docs/cli.md).
/// Messages go to standard error prefixed `pinn: `, data to standard output; the exit status says what happened.
enum RemoteCommand {
    static let usage = """
    client of a pinn-server (--server URL anywhere in the arguments, or PINN_SERVER; its API token, if it needs
    one: PINN_TOKEN, or --token TOKEN, which other users of the machine can see):
           pinn submit SPEC.json [--wait] [--shared]  submit a job, print its id; --wait: then show its progress;
                                                      --shared: every token holder may see it (not cancel it)
           pinn watch ID                              progress bar (loss terms, error, ETA) until the job ends
           pinn status ID [--json]                    a job's status, progress, latest loss terms and error
           pinn list [--status S] [--limit N] [--json]  jobs, newest first: id, status, problem, progress, L2
           pinn cancel ID                             cancel a queued or running job (its data stays)
           pinn delete ID                             remove a job and all its data (cancelling it if it runs)
           pinn get ID solution|exact|error|losses|slopes|errors|model [--format json|csv|npy|png|onnx] [-o FILE] [--NAME VALUE…]
                                                      download a result (default json, to standard output);
                                                      --NAME VALUE goes to the server as a query (--nx 256 --nt 101)
           pinn presets [--json]                      with a server: the server's presets
           pinn study submit FILE|- [--shared]        submit a study (a base spec, variations, seeds), print its id
           pinn study status ID [--json]              per cell: runs finished, final error (median, min–max)
           pinn study get ID [--format json|png] [-o FILE]  the study's report, or its error curves as a PNG
           pinn study list [--json] | cancel ID | delete ID  studies; cancel its unfinished jobs; remove it and its jobs
    --wait and watch end with a summary line on standard output; Ctrl-C stops watching only (exit 130):
    the job keeps running on the server.
    Exit status: 0 success (--wait, watch: the job succeeded); 1 the job failed or was cancelled; 2 usage error;
    3 server unreachable; 4 the server refused the request (4xx: its message and every `field: message`);
    5 server error (5xx) or an unreadable answer. See docs/cli.md.
    """

    static func run(_ command: String, _ arguments: [String],
                    environment: [String: String] = ProcessInfo.processInfo.environment) -> Int32 {
        do {
            return try dispatch(command, arguments, environment: environment)
        } catch {
            PinnCommand.printError("pinn: \(error)")
            if case .usage = error { PinnCommand.printError("run pinn --help for the usage") }
            return error.exitStatus
        }
    }

    private static func dispatch(_ command: String, _ arguments: [String],
                                 environment: [String: String]) throws(ClientError) -> Int32 {
        let parsed: RemoteArguments
        switch command {
        case "submit": parsed = try RemoteArguments(arguments, flags: ["--wait", "--shared"])
        case "status", "presets": parsed = try RemoteArguments(arguments, flags: ["--json"])
        case "list": parsed = try RemoteArguments(arguments, flags: ["--json"], options: ["--status", "--limit"])
        case "get": parsed = try RemoteArguments(arguments, options: ["--format", "-o", "--out"], passThrough: true)
        case "study": parsed = try RemoteArguments(arguments, flags: ["--shared", "--json"], options: ["--format", "-o", "--out", "--x"])
        default: parsed = try RemoteArguments(arguments)
        }
        if parsed.wantsHelp {
            print(PinnCommand.usage)
            return ClientError.ExitStatus.success
        }
        let client = try ServiceClient(server: try parsed.server(environment: environment),
                                       token: parsed.token(environment: environment))
        switch command {
        case "submit":
            let path = try parsed.expectPositionals(1, "pinn submit SPEC.json [--wait] [--shared]")[0]
            return try submit(client, spec: try readSpecFile(path), wait: parsed.flags.contains("--wait"),
                              shared: parsed.flags.contains("--shared"))
        case "watch":
            return try JobWatcher(client: client, id: try parsed.expectPositionals(1, "pinn watch ID")[0]).run()
        case "status":
            try status(client, id: try parsed.expectPositionals(1, "pinn status ID [--json]")[0], json: parsed.flags.contains("--json"))
        case "list":
            _ = try parsed.expectPositionals(0, "pinn list [--status S] [--limit N] [--json]")
            try list(client, status: parsed.options["--status"], limit: parsed.options["--limit"], json: parsed.flags.contains("--json"))
        case "cancel":
            try cancel(client, id: try parsed.expectPositionals(1, "pinn cancel ID")[0])
        case "delete":
            let id = try parsed.expectPositionals(1, "pinn delete ID")[0]
            _ = try client.send("DELETE", "/v1/jobs/\(id)").checked()
            print("job \(id) deleted")
        case "get":
            let names = try parsed.expectPositionals(2, "pinn get ID solution|exact|error|losses|slopes|errors|model [--format F] [-o FILE]")
            let download = try ResultDownload(id: names[0], resource: names[1], format: parsed.options["--format"],
                                              query: parsed.passedThrough)
            try download.run(client, to: parsed.options["-o"] ?? parsed.options["--out"])
        case "presets":
            _ = try parsed.expectPositionals(0, "pinn presets [--json]")
            try presets(client, json: parsed.flags.contains("--json"))
        case "study":
            try StudyCommand(client: client, arguments: parsed).run()
        default:
            throw .usage("unknown command \"\(command)\"")
        }
        return ClientError.ExitStatus.success
    }

    // MARK: - Commands

    /// POST the spec as it is (the server validates it and names every bad field); print the id.
    private static func submit(_ client: ServiceClient, spec: Data, wait: Bool, shared: Bool) throws(ClientError) -> Int32 {
        let job = try client.send("POST", "/v1/jobs", query: shared ? [("shared", "true")] : [], body: spec)
            .checked().decoded(RemoteJob.self)
        print(job.id)
        fflush(nil)  // a script reading the id from a pipe gets it now, not when the job ends
        guard wait else { return ClientError.ExitStatus.success }
        return try JobWatcher(client: client, id: job.id).run()
    }

    private static func status(_ client: ServiceClient, id: String, json: Bool) throws(ClientError) {
        let response = try client.send("GET", "/v1/jobs/\(id)").checked()
        let job = try response.decoded(RemoteJob.self)
        if json { return writeJSON(response.body) }
        var rows: [(String, String)] = [("id", job.id), ("status", job.status.rawValue), ("problem", job.problemName)]
        rows.append(("progress", "\(job.percent)% (\(job.phaseLabel), iteration \(job.progress.iteration)/\(job.progress.totalIterations))"))
        if let total = job.loss?["total"] {
            let terms = job.lossTerms.map { "\($0.name) \(RemoteProgress.scientific($0.value))" }.joined(separator: ", ")
            rows.append(("loss", RemoteProgress.scientific(total) + (terms.isEmpty ? "" : " [\(terms)]")))
        }
        if let error = job.error { rows.append(("L2", RemoteProgress.scientific(error.relativeL2))) }
        if let created = job.createdAt { rows.append(("created", created)) }
        if let started = job.startedAt { rows.append(("started", started)) }
        if let finished = job.finishedAt { rows.append(("finished", finished)) }
        if let elapsed = job.elapsedSeconds { rows.append(("elapsed", String(format: "%.1f s", elapsed))) }
        if let eta = job.etaSeconds, job.status == .running { rows.append(("ETA", RemoteProgress.duration(eta))) }
        if let failure = job.failure { rows.append(("failure", failure)) }
        for (name, value) in rows { print(name.padding(toLength: 10, withPad: " ", startingAt: 0) + value) }
    }

    private static func list(_ client: ServiceClient, status: String?, limit: String?, json: Bool) throws(ClientError) {
        let query = [("status", status), ("limit", limit)].compactMap { name, value in value.map { (name: name, value: $0) } }
        let response = try client.send("GET", "/v1/jobs", query: query).checked()
        let page = try response.decoded(RemoteJob.Page.self)
        if json { return writeJSON(response.body) }
        let rows = [["ID", "STATUS", "PROBLEM", "PROGRESS", "L2", "CREATED"]] + page.jobs.map { job in
            [job.id, job.status.rawValue, job.problemName, "\(job.percent)%",
             job.error.map { RemoteProgress.scientific($0.relativeL2) } ?? "-", job.createdAt ?? "-"]
        }
        printTable(rows)
    }

    private static func cancel(_ client: ServiceClient, id: String) throws(ClientError) {
        let job = try client.send("POST", "/v1/jobs/\(id)/cancel").checked().decoded(RemoteJob.self)
        // A running job stops within an iteration; the answer may still say running.
        print("job \(job.id) " + (job.status == .cancelled ? "cancelled" : "cancelling (was \(job.status.rawValue))"))
    }

    private static func presets(_ client: ServiceClient, json: Bool) throws(ClientError) {
        struct Presets: Decodable {
            struct Preset: Decodable { let name: String; let summary: String }
            let presets: [Preset]
        }
        let response = try client.send("GET", "/v1/presets").checked()
        let list = try response.decoded(Presets.self)
        if json { return writeJSON(response.body) }
        for preset in list.presets { print(preset.name.padding(toLength: 18, withPad: " ", startingAt: 0) + preset.summary) }
    }

    // MARK: - Input and output

    /// The spec's bytes as written (`-` is standard input); the server checks them.
    static func readSpecFile(_ path: String) throws(ClientError) -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        guard let data = FileManager.default.contents(atPath: path) else { throw .usage("cannot read \(path)") }
        return data
    }

    static func writeJSON(_ body: Data) {
        FileHandle.standardOutput.write(body)
        if body.last != UInt8(ascii: "\n") { FileHandle.standardOutput.write(Data("\n".utf8)) }
    }

    static func printTable(_ rows: [[String]]) {
        guard let columns = rows.first?.count else { return }
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let cells = zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
            print(cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }
}
