import Foundation
import HTTPServer
import Testing
import PINNStore
@testable import PINNService

/// The dashboard as the router serves it: the files of Sources/PINNService/Dashboard/Web, byte for byte, from the
/// binary (the EmbedDashboard plugin), each module the page imports among them, nothing else under /dashboard/.
@Suite struct DashboardAssetsTests {
    static let web = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/PINNService/Dashboard/Web")

    let router: Router

    init() throws {
        let store = try SQLiteJobStore.inMemory()
        router = JobsAPI(store: store, pool: WorkerPool(store: store)).router()
    }

    func get(_ path: String) -> HTTPResponse {
        router.respond(to: HTTPRequest(method: "GET", path: path))
    }

    /// The relative imports of an ES module (`import … from './x.js'`, `import './x.js'`).
    static func imports(of source: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: #"^import\s+(?:[^'"]*?\s+from\s+)?'\./([^']+)'"#,
                                               options: [.anchorsMatchLines])
        let range = NSRange(source.startIndex..., in: source)
        return pattern.matches(in: source, range: range).map { String(source[Range($0.range(at: 1), in: source)!]) }
    }

    @Test func thePageIsServedAtTheRootAndLoadsItsStyleAndModule() throws {
        let page = get("/")
        #expect(page.status == 200)
        #expect(page.headers["Content-Type"] == "text/html; charset=utf-8")
        let html = String(decoding: page.body, as: UTF8.self)
        #expect(html.contains(#"<link rel="stylesheet" href="/dashboard/app.css">"#))
        #expect(html.contains(#"<script type="module" src="/dashboard/app.js"></script>"#))
        #expect(get("/dashboard/app.css").headers["Content-Type"] == "text/css; charset=utf-8")
    }

    @Test func everyFileIsServedByteForByteWithItsMediaType() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.web.path)
            .filter { ["html", "css", "js"].contains(($0 as NSString).pathExtension) }
        #expect(files.count > 10)
        for file in files {
            let response = get(file == "index.html" ? "/" : "/dashboard/" + file)
            #expect(response.status == 200, "\(file)")
            #expect(response.headers["Content-Type"] == DashboardAssets.contentTypes[(file as NSString).pathExtension])
            #expect(Data(response.body) == (try Data(contentsOf: Self.web.appendingPathComponent(file))),
                    "\(file) is served as it is in the repository")
        }
    }

    @Test func everyModuleIsImportedFromTheEntryModuleAndServed() throws {
        var reached: Set<String> = []
        var pending = ["app.js"]
        while let module = pending.popLast() {
            guard reached.insert(module).inserted else { continue }
            let response = get("/dashboard/" + module)
            try #require(response.status == 200, "\(module), imported by the page, is not served")
            #expect(response.headers["Content-Type"] == "text/javascript; charset=utf-8")
            pending += Self.imports(of: String(decoding: response.body, as: UTF8.self))
        }
        let modules = try FileManager.default.contentsOfDirectory(atPath: Self.web.path).filter { $0.hasSuffix(".js") }
        #expect(reached == Set(modules), "a module in Dashboard/Web that the page never loads")
    }

    @Test func aNameNotAmongTheFilesIs404() {
        for path in ["/dashboard/missing.js", "/dashboard/package.json", "/dashboard/..", "/dashboard/%2e%2e%2fPackage.swift"] {
            #expect(get(path).status == 404, "\(path)")
        }
    }
}
