import Foundation
import HTTPServer
import PINN
import PINNStore
import Testing
@testable import PINNService

/// The docs against the code. The API against the router: every route it registers is an operation of
/// docs/openapi.yaml and is written out in docs/api.md, and neither describes a route the server does not serve. The
/// job spec against its parser: every member the parser accepts (`JobSpecObject`) and every optimiser a phase can
/// name (`JobSpec.OptimizerKind`) is documented in its section. The module map of docs/architecture.md against
/// Package.swift.
@Suite struct DocumentationTests {
    /// `METHOD /path/{parameter}` for every registered route.
    let routes: [String]

    init() throws {
        let store = try SQLiteJobStore.inMemory()
        routes = JobsAPI(store: store, pool: WorkerPool(store: store)).router().patterns
    }

    @Test func everyRouteIsAnOpenAPIOperation() throws {
        let operations = try OpenAPIOperations(Self.document("docs/openapi.yaml"))
        #expect(operations.unreadablePaths.isEmpty,
                "docs/openapi.yaml: no method read under \(operations.unreadablePaths) (write path items as block mappings)")
        for route in routes {
            #expect(operations.all.contains(route), "docs/openapi.yaml lacks the route \(route)")
        }
    }

    @Test func everyOpenAPIOperationIsARoute() throws {
        for operation in try OpenAPIOperations(Self.document("docs/openapi.yaml")).all where !routes.contains(operation) {
            Issue.record("docs/openapi.yaml documents \(operation), which the router does not serve")
        }
    }

    /// Each route has a row of its own in one of docs/api.md's route tables (its first cell, `METHOD /path?query=`),
    /// not merely a mention in passing.
    @Test func everyRouteIsInTheAPIReference() throws {
        let rows = Self.tableRowKeys(try Self.document("docs/api.md"))
        for route in routes {
            let documented = rows.contains { Self.mentions($0, route) }
            #expect(documented, "docs/api.md has no row for the route `\(route)`")
        }
    }

    @Test func everyRouteInTheAPIReferenceIsServed() throws {
        let documented = Self.routeSpans(try Self.document("docs/api.md"))
        #expect(documented.contains("GET /v1/jobs/{id}"), "no route read from docs/api.md: \(documented)")
        for route in documented where !routes.contains(route) {
            Issue.record("docs/api.md documents `\(route)`, which the router does not serve")
        }
    }

    // MARK: - The job spec

    /// Where the members of each kind of spec object are documented: a file, the section (by its heading), and the
    /// prefix the member carries there (`network.layers` in the job's table, bare `history` in the phase's).
    static func documentation(of kind: JobSpecObject) -> (file: String, section: String, prefix: String) {
        switch kind {
        case .job: ("docs/job-spec.md", "Members", "")
        case .network: ("docs/job-spec.md", "Members", "network.")
        case .training: ("docs/job-spec.md", "Members", "training.")
        case .output: ("docs/job-spec.md", "Members", "output.")
        case .phase: ("docs/job-spec.md", "A phase", "")
        case .resampling: ("docs/job-spec.md", "Resampling", "")
        case .causal: ("docs/job-spec.md", "Causal weights", "")
        case .fourier: ("docs/job-spec.md", "Input features", "")
        case .problem, .exactReference: ("docs/problems.md", "Members", "")
        case .equation: ("docs/problems.md", "Equations", "")
        case .condition: ("docs/problems.md", "Conditions", "")
        case .observation: ("docs/problems.md", "Observations", "")
        case .parameter: ("docs/problems.md", "Learned parameters", "")
        }
    }

    @Test(arguments: JobSpecObject.allCases)
    func everySpecMemberIsDocumented(_ kind: JobSpecObject) throws {
        let (file, title, prefix) = Self.documentation(of: kind)
        let section = try #require(Self.section(try Self.document(file), titled: title), "\(file) has no section \"\(title)\"")
        for member in kind.members {
            let documented = section.contains("`\(prefix)\(member)`")
            #expect(documented,
                    "\(file), section \"\(title)\", does not document the \(kind) member `\(prefix)\(member)`")
        }
    }

    @Test(arguments: [("docs/job-spec.md", "A phase"), ("docs/design.md", "§8 Optimisers")])
    func everyOptimizerKindIsDocumented(file: String, title: String) throws {
        let section = try #require(Self.section(try Self.document(file), titled: title), "\(file) has no section \"\(title)\"")
        for kind in JobSpec.OptimizerKind.allCases {
            let named = section.contains("`\(kind.rawValue)`")
            #expect(named, "\(file), section \"\(title)\", does not name the optimiser `\(kind.rawValue)`")
        }
    }

    // MARK: - The module map

    @Test func everyTargetIsInTheModuleMap() throws {
        let map = try #require(Self.section(try Self.document("docs/architecture.md"), titled: "Module map"),
                               "docs/architecture.md has no section \"Module map\"")
        let targets = Self.targets(try Self.document("Package.swift"))
        #expect(targets.contains("PINNNumerics") && targets.contains("pinn-server"), "Package.swift's targets not read: \(targets)")
        let rows = Self.tableRowCells(map, column: 1)
        for target in targets {
            let listed = rows.contains { $0.hasPrefix("`\(target)`") }
            #expect(listed, "docs/architecture.md's module map has no row for the target `\(target)`")
        }
    }

    /// The names of every target `Package.swift` declares (`.target(name: "…"`, `.systemLibrary(`, …).
    static func targets(_ manifest: String) -> [String] {
        let kinds = ["target", "systemLibrary", "executableTarget", "testTarget", "binaryTarget", "plugin", "macro"]
        var names: [String] = []
        for kind in kinds {
            var rest = manifest[...]
            while let found = rest.range(of: ".\(kind)(name: \"") {
                let name = rest[found.upperBound...].prefix { $0 != "\"" }
                names.append(String(name))
                rest = rest[found.upperBound...]
            }
        }
        return names
    }

    // MARK: - Reading the docs

    /// A file of the repository, whose root is three levels above this file (Tests/PINNServiceTests/…).
    static func document(_ path: String) throws -> String {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Whether `text` names `route` as a whole: `GET /v1/jobs/{id}` matches "`GET /v1/jobs/{id}`" and
    /// "GET /v1/jobs/{id}?purge=", not "GET /v1/jobs/{id}/losses" nor "GET /v1/jobs/{id}.png".
    static func mentions(_ text: String, _ route: String) -> Bool {
        var rest = text[...]
        while let found = rest.range(of: route) {
            defer { rest = rest[found.upperBound...] }
            let before = found.lowerBound == text.startIndex ? nil : text[text.index(before: found.lowerBound)]
            if let before, before.isLetter { continue }
            let after = text[found.upperBound...]
            guard let next = after.first else { return true }
            let continuesPath = next.isLetter || next.isNumber || "/{}_-".contains(next)
                || (next == "." && after.dropFirst().first.map { $0.isLetter || $0.isNumber } == true)
            if !continuesPath { return true }
        }
        return false
    }
}

extension DocumentationTests {
    /// The Markdown section whose heading starts with `title` (any level), up to the next heading of the same or a
    /// higher level; nil when there is none. Lines inside fenced code blocks are not headings.
    static func section(_ text: String, titled title: String) -> String? {
        var level: Int?
        var lines: [Substring] = []
        var fenced = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { fenced.toggle() }
            let hashes = line.prefix { $0 == "#" }.count
            let isHeading = !fenced && hashes > 0 && line.dropFirst(hashes).first == " "
            if isHeading {
                if let open = level, hashes <= open { break }
                if level == nil, line.dropFirst(hashes + 1).hasPrefix(title) { level = hashes }
            }
            if level != nil { lines.append(line) }
        }
        return level == nil ? nil : lines.joined(separator: "\n")
    }

    /// Column `column` (from 0) of every row of the Markdown tables in `text`, trimmed; header separators left out.
    static func tableRowCells(_ text: String, column: Int) -> [String] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("|"), !line.hasPrefix("|---") else { return nil }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst()
            guard cells.count > column else { return nil }
            return cells[cells.startIndex + column].trimmingCharacters(in: .whitespaces)
        }
    }

    /// What the first cell of each table row names in code (`GET /v1/jobs?status=` from "| `GET /v1/jobs?status=` |").
    static func tableRowKeys(_ text: String) -> [String] {
        tableRowCells(text, column: 0).compactMap { cell in
            guard cell.hasPrefix("`") else { return nil }
            return String(cell.dropFirst().prefix { $0 != "`" })
        }
    }

    /// The routes a Markdown text writes as code, `METHOD /path` with its query left off (`GET /v1/jobs?status=` →
    /// `GET /v1/jobs`); patterns with a placeholder such as `<picture>` stand for several routes and are skipped.
    static func routeSpans(_ text: String) -> [String] {
        let methods = ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS"]
        let spans = text.split(separator: "\n").flatMap { line in
            line.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        }
        return spans.compactMap { span in
            guard let space = span.firstIndex(of: " "), methods.contains(String(span[..<space])),
                  span[span.index(after: space)...].hasPrefix("/") else { return nil }
            let route = span.prefix { $0 != "?" }
            return route.contains("<") ? nil : String(route)
        }
    }
}

/// The operations of an OpenAPI document as `METHOD /path`, read line by line (there is no YAML parser here):
/// under the top-level `paths:`, a key at indent 2 starting with `/` is a path, and a key at indent 4 naming an
/// HTTP method is one of its operations.
struct OpenAPIOperations {
    private(set) var all: [String] = []
    /// Paths under which no method key was found (a flow-style path item, or a typo in the indentation).
    private(set) var unreadablePaths: [String] = []

    private static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    init(_ yaml: String) {
        var inPaths = false
        var path: String?
        var pathHasMethod = false
        func closePath() {
            if let path, !pathHasMethod { unreadablePaths.append(path) }
            path = nil
        }
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            let content = line.drop { $0 == " " }
            if content.isEmpty || content.hasPrefix("#") { continue }
            let indent = line.count - content.count
            guard let colon = content.firstIndex(of: ":") else { continue }
            let key = content[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
            switch indent {
            case 0:
                closePath()
                inPaths = key == "paths"
            case 2 where inPaths && key.hasPrefix("/"):
                closePath()
                path = key
                pathHasMethod = false
            case 4 where inPaths && Self.methods.contains(key):
                guard let path else { continue }
                all.append(key.uppercased() + " " + path)
                pathHasMethod = true
            default:
                break
            }
        }
        closePath()
    }
}
