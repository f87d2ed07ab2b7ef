import Foundation
import Testing
@testable import PINNStore

/// How the shared queries bind values (`SQLStatement`): every interpolated value a parameter, in order, written in
/// each database's own way; only `\(sql:)` splices text.
@Suite struct SQLStatementTests {
    static func sqlite(_ n: Int) -> String { SQLiteConnection.placeholder(n) }
    static func postgres(_ n: Int) -> String { PostgresConnection.placeholder(n) }

    @Test func aLiteralHasNoParameters() {
        let statement: SQLStatement = "SELECT 1"
        #expect(statement.text(placeholder: Self.postgres) == "SELECT 1")
        #expect(statement.values.isEmpty)
    }

    @Test func interpolatedValuesBecomeParametersInOrder() {
        let statement: SQLStatement = "UPDATE jobs SET failure = \("it's") WHERE id = \("a") AND lease_token = \(7)"
        #expect(statement.text(placeholder: Self.sqlite) == "UPDATE jobs SET failure = ? WHERE id = ? AND lease_token = ?")
        #expect(statement.text(placeholder: Self.postgres)
                == "UPDATE jobs SET failure = $1 WHERE id = $2 AND lease_token = $3")
        #expect(statement.values.map(Self.describe) == ["text it's", "text a", "integer 7"])
    }

    @Test func nilIsATypedNull() {
        let statement: SQLStatement = "\(String?.none) \(Double?.none) \(Data?.none) \(true)"
        #expect(statement.values.map(Self.describe) == ["text nil", "real nil", "blob nil", "boolean true"])
    }

    @Test func sqlTextIsSplicedVerbatim() {
        let statement: SQLStatement = "SELECT \(sql: "id, status") FROM \(sql: "jobs") WHERE id = \("x")"
        #expect(statement.text(placeholder: Self.postgres) == "SELECT id, status FROM jobs WHERE id = $1")
        #expect(statement.values.count == 1)
    }

    /// A fragment built elsewhere (a condition, the clock) keeps its values, numbered where it lands.
    @Test func aFragmentBringsItsValuesAndIsNumberedInPlace() {
        let condition: SQLStatement = "(owner IS NULL OR owner = \("alice"))"
        let statement: SQLStatement = "SELECT id FROM jobs WHERE status = \("queued") AND \(condition) LIMIT \(5)"
        #expect(statement.text(placeholder: Self.postgres)
                == "SELECT id FROM jobs WHERE status = $1 AND (owner IS NULL OR owner = $2) LIMIT $3")
        #expect(statement.values.map(Self.describe) == ["text queued", "text alice", "integer 5"])
        let empty: SQLStatement = ""
        #expect(("a \(empty)b \(1)" as SQLStatement).text(placeholder: Self.postgres) == "a b $1")
    }

    /// In both stores: text that looks like SQL is stored and compared as text, never run.
    @Test(arguments: StoreKind.contract)
    func aValueThatLooksLikeSQLIsOnlyAValue(_ kind: StoreKind) throws {
        let store = try kind.make().store
        let sneaky = "x' OR '1'='1"
        let own = try store.create(spec: StoreFixtures.spec, priority: 0, owner: sneaky, shared: false)
        _ = try store.create(spec: StoreFixtures.spec, priority: 0, owner: "bob", shared: false)
        let listed = try store.list(status: nil, visibility: .visibleTo(owner: sneaky), limit: 10, offset: 0)
        #expect(listed.map(\.id) == [own.id])
        #expect(listed.first?.owner == sneaky)
    }

    static func describe(_ value: SQLValue) -> String {
        switch value {
        case .integer(let x): "integer \(x.map { "\($0)" } ?? "nil")"
        case .real(let x): "real \(x.map { "\($0)" } ?? "nil")"
        case .text(let x): "text \(x ?? "nil")"
        case .blob(let x): "blob \(x.map { "\($0.count) bytes" } ?? "nil")"
        case .boolean(let x): "boolean \(x.map { "\($0)" } ?? "nil")"
        }
    }
}
