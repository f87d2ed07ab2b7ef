import Foundation
import HTTPServer
import PINNStore
import Testing
@testable import PINNService

/// The API documents against the router: every route it registers is an operation of docs/openapi.yaml and is
/// written out in docs/api.md, and docs/openapi.yaml describes no route the server does not serve.
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

    @Test func everyRouteIsInTheAPIReference() throws {
        let text = try Self.document("docs/api.md")
        for route in routes {
            #expect(Self.mentions(text, route), "docs/api.md lacks the route `\(route)`")
        }
    }

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
