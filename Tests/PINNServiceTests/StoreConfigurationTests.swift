import Foundation
import PINNStore
import Testing
@testable import PINNService

/// `store` selects PostgreSQL (`PINN_STORE`, the config file, `--store`); without it the server keeps the SQLite
/// file at `storePath` and needs no database server. A store URL's password is never shown.
@Suite struct StoreConfigurationTests {
    static func load(environment: [String: String] = [:], arguments: [String] = []) throws -> ServiceConfiguration {
        try ServiceConfiguration.load(arguments: arguments, environment: environment,
                                      defaultFile: "/nonexistent/pinn-server.json")
    }

    @Test func withoutAStoreURLTheServerOpensTheSQLiteFile() throws {
        var configuration = try Self.load()
        #expect(configuration.store == nil && configuration.storeLocation == "data/pinn.sqlite")
        configuration.storePath = FileManager.default.temporaryDirectory
            .appendingPathComponent("pinn-store-config-\(UUID().uuidString)/jobs.sqlite").path
        #expect(try configuration.openStore() is SQLiteJobStore)
    }

    @Test func aPostgresURLFromTheEnvironmentSelectsPostgreSQLAndIsLoggedWithoutItsPassword() throws {
        let configuration = try Self.load(environment: ["PINN_STORE": "postgresql://pinn:hunter2@db.example/jobs",
                                                        "PINN_STORE_CONNECTIONS": "8"])
        #expect(configuration.store?.text == "postgresql://pinn:hunter2@db.example/jobs")
        #expect(configuration.storeConnections == 8)
        #expect(configuration.storeLocation == "postgresql://pinn:***@db.example/jobs")
        let logged = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
        #expect(logged.contains("pinn:***@db.example") && !logged.contains("hunter2"))
    }

    @Test func aFlagMayNameADatabaseButNotCarryAPassword() throws {
        let socket = try Self.load(arguments: ["--store", "postgres:///jobs?host=/run/postgresql"])
        #expect(socket.store?.text == "postgres:///jobs?host=/run/postgresql")
        let error = #expect(throws: ConfigurationError.self) {
            try Self.load(arguments: ["--store", "postgresql://pinn:hunter2@db/jobs"])
        }
        let message = error?.description ?? ""
        #expect(message.contains("store: a URL with a password is not accepted as a flag") && !message.contains("hunter2"))
    }

    @Test func anythingButAPostgresURLIsRefusedWithoutEchoingIt() throws {
        let error = #expect(throws: ConfigurationError.self) { try Self.load(environment: ["PINN_STORE": "mysql://u:hunter2@h/db"]) }
        #expect(error?.description.hasPrefix("store: expected a postgres:// or postgresql:// URL") == true)
        #expect(error?.description.contains("hunter2") == false)
        #expect(try Self.load(environment: ["PINN_STORE": ""]).store == nil)
    }

    @Test func storeConnectionsMustBeAUsefulPoolSize() throws {
        let error = #expect(throws: ConfigurationError.self) { try Self.load(environment: ["PINN_STORE_CONNECTIONS": "0"]) }
        #expect(error?.description == "storeConnections: must be in 1...64, got 0")
    }
}
