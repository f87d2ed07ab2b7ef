import Foundation
import Testing
@testable import PINNStore

/// The stores the contract tests run against. Every behavioural test takes a `StoreKind` argument
/// (`@Test(arguments: StoreKind.contract)`), so one suite is the contract of both.
///
/// PostgreSQL needs a server: `PINN_TEST_POSTGRES_URL` names a throwaway database
/// (`scripts/postgres-test-cluster.sh start` prints one). When it is unset, `contract` is SQLite alone and
/// `PostgresStoreTests` — the suite that carries `StoreKind.postgresIsAvailable` as its `.enabled(if:)` trait — is
/// reported skipped, so a run without a server says so rather than passing quietly.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static let postgresURL: PostgresURL? = ProcessInfo.processInfo.environment["PINN_TEST_POSTGRES_URL"]
        .flatMap { $0.isEmpty ? nil : PostgresURL($0) }
    static var postgresIsAvailable: Bool { postgresURL != nil }

    /// The kinds the contract tests run against here.
    static var contract: [StoreKind] { postgresIsAvailable ? allCases : [.sqlite] }

    var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }

    /// A fresh, empty store of this kind: an SQLite file in a new directory, or a new schema of the test database
    /// (tests run in parallel, so none shares data with another).
    func make(checkpointsKept: Int = 3) throws -> StoreUnderTest {
        switch self {
        case .sqlite:
            let path = StoreFixtures.temporaryPath()
            return try StoreUnderTest(kind: self, open: { try SQLiteJobStore(path: path, checkpointsKept: checkpointsKept) },
                                      close: { ($0 as? SQLiteJobStore)?.close() },
                                      count: { table, column, jobID in
                                          let db = try SQLiteConnection(path: path)
                                          return try db.rows("SELECT COUNT(*) FROM \(sql: table) WHERE \(sql: column) = \(jobID)") {
                                              $0.int(0)
                                          }.first ?? 0
                                      })
        case .postgres:
            let url = try PostgresTestDatabase.freshSchema()
            return try StoreUnderTest(kind: self, open: { try PostgresJobStore(url: url, checkpointsKept: checkpointsKept) },
                                      close: { ($0 as? PostgresJobStore)?.close() },
                                      count: { table, column, jobID in
                                          let db = try PostgresConnection(url: url, lockTimeout: .seconds(5))
                                          return try db.rows("SELECT COUNT(*) FROM \(sql: table) WHERE \(sql: column) = \(jobID)") {
                                              $0.int(0)
                                          }.first ?? 0
                                      })
        }
    }
}

/// A store with what the contract tests need beside the protocol: reopening its data (a restarted server) and
/// counting its rows through a connection of its own, so a check does not trust the store's own queries.
struct StoreUnderTest {
    let kind: StoreKind
    let store: any JobStore
    private let open: () throws -> any JobStore
    private let close: (any JobStore) -> Void
    private let count: (_ table: String, _ column: String, _ jobID: String) throws -> Int

    init(kind: StoreKind, open: @escaping () throws -> any JobStore, close: @escaping (any JobStore) -> Void,
         count: @escaping (String, String, String) throws -> Int) throws {
        self.kind = kind
        self.open = open
        self.close = close
        self.count = count
        store = try open()
    }

    /// Closes the store and opens its data again, as a server does after a restart.
    func reopened() throws -> any JobStore {
        close(store)
        return try open()
    }

    /// Another store on the same data, this one left open (a "crash" drops the first without closing it).
    func openedAgain() throws -> any JobStore { try open() }

    /// The rows of `table` that belong to the job.
    func rowCount(_ table: String, jobID: String) throws -> Int {
        try count(table, table == "jobs" ? "id" : "job_id", jobID)
    }
}

/// Schemas of the test database: each store under test gets one of its own, named on its URL's `search_path`.
enum PostgresTestDatabase {
    /// A new, empty schema and the URL whose sessions use it.
    static func freshSchema() throws -> PostgresURL {
        let base = try #require(StoreKind.postgresURL, "PINN_TEST_POSTGRES_URL is unset")
        let schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // A schema's name cannot be a statement parameter; this one is generated here from hex digits only.
        try PostgresConnection(url: base, lockTimeout: .seconds(5)).run("CREATE SCHEMA \(sql: schema)")
        return try url(base, searchPath: schema)
    }

    /// `base` with `options=-c search_path=…` added (percent-encoded, as libpq decodes URL parameters).
    static func url(_ base: PostgresURL, searchPath schema: String) throws -> PostgresURL {
        let separator = base.text.contains("?") ? "&" : "?"
        return try #require(PostgresURL(base.text + separator + "options=-csearch_path%3D" + schema))
    }

    /// A connection of the test's own to the test database (outside any schema of a store under test).
    static func administrator() throws -> PostgresConnection {
        try PostgresConnection(url: try #require(StoreKind.postgresURL), lockTimeout: .seconds(5))
    }
}
