import Foundation

/// `pinn get ID WHAT --format F [-o FILE]`: which route and query serve a job's result in a format, and where the
/// bytes go. JSON and CSV come from `/v1/jobs/ID/WHAT?format=F`, PNG from `/v1/jobs/ID/WHAT.png`, the model as ONNX
/// from `/v1/jobs/ID/model.onnx`; `exact` and `error` (|u − exact|) are pictures or `.npy` grids of the solution route.
struct ResultDownload {
    enum Resource: String, CaseIterable {
        case solution, exact, error, losses, slopes, errors, model
        var formats: [Format] {
            switch self {
            case .solution: [.json, .csv, .npy, .png]
            case .exact, .error: [.npy, .png]
            case .losses, .slopes, .errors: [.json, .csv, .png]
            case .model: [.json, .onnx]
            }
        }
    }

    enum Format: String, CaseIterable {
        case json, csv, npy, png, onnx
        /// Bytes a terminal should not be sent.
        var isBinary: Bool { self == .npy || self == .png || self == .onnx }
    }

    let id: String
    let resource: Resource
    let format: Format
    /// Extra query parameters for the server (`nx=256`, `every=10`, `width=1200`, `output=u`).
    let query: [(name: String, value: String)]

    init(id: String, resource name: String, format formatName: String?,
         query: [(name: String, value: String)]) throws(ClientError) {
        guard let resource = Resource(rawValue: name) else {
            throw .usage("unknown result \"\(name)\" (one of \(Resource.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let format = Format(rawValue: formatName ?? "json"), resource.formats.contains(format) else {
            throw .usage("--format for \(name): one of \(resource.formats.map(\.rawValue).joined(separator: ", ")), got \"\(formatName ?? "")\"")
        }
        self.id = id
        self.resource = resource
        self.format = format
        self.query = query
    }

    /// `exact` and `error` are the solution route's other quantities: `exact.png`/`error.png`, or
    /// `solution?format=npy&quantity=exact|absoluteError`.
    var path: String {
        if format == .png || format == .onnx { return "/v1/jobs/\(id)/\(resource.rawValue).\(format.rawValue)" }
        return "/v1/jobs/\(id)/" + (resource == .exact || resource == .error ? "solution" : resource.rawValue)
    }

    var fullQuery: [(name: String, value: String)] {
        var fixed: [(name: String, value: String)] = format == .csv || format == .npy ? [("format", format.rawValue)] : []
        if format == .npy && resource == .exact { fixed.append(("quantity", "exact")) }
        if format == .npy && resource == .error { fixed.append(("quantity", "absoluteError")) }
        return fixed + query
    }

    /// Downloads to `file`, or to standard output (binary formats only when it is not a terminal: checked first,
    /// so nothing is fetched in vain).
    func run(_ client: ServiceClient, to file: String?) throws(ClientError) {
        if file == nil && format.isBinary && isatty(1) != 0 {
            throw .usage("not writing \(format.rawValue) to a terminal: give -o FILE or redirect standard output")
        }
        let body = try client.send("GET", path, query: fullQuery).checked().body
        guard let file else {
            FileHandle.standardOutput.write(body)
            if !format.isBinary && body.last != UInt8(ascii: "\n") { FileHandle.standardOutput.write(Data("\n".utf8)) }
            return
        }
        do {
            try body.write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw .usage("cannot write \(file): \(error.localizedDescription)")
        }
    }
}
