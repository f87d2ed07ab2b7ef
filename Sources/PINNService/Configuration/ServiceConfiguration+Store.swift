import Foundation
import PINNStore

/// The store settings: `store` (a PostgreSQL URL; empty: SQLite) with `storeConnections`, and SQLite's
/// `storePath` and `maxStoreBytes`. SQLite stays the default, so a server needs no database server to run.
extension ServiceConfiguration {
    /// Opens the store these settings select: PostgreSQL when `store` is set, else the SQLite file at `storePath`.
    public func openStore() throws(StoreError) -> any JobStore {
        if let url = store { return try PostgresJobStore(url: url, connections: storeConnections) }
        return try SQLiteJobStore(path: storePath, maxBytes: maxStoreBytes)
    }

    /// Where the store is, for log lines: the URL without its password, or the file.
    public var storeLocation: String { store?.description ?? storePath }

    /// Sets `key` if it is `store` or `storeConnections`; false if it is neither.
    mutating func setStore(_ key: String, _ value: Any) throws -> Bool {
        switch key {
        case "store":
            let text = "\(value)".trimmingCharacters(in: .whitespaces)
            if text.isEmpty {
                store = nil
            } else if let url = PostgresURL(text) {
                store = url
            } else {
                // The value is not echoed: it may hold a password.
                throw ConfigurationError("store: expected a postgres:// or postgresql:// URL, or nothing for the "
                                         + "SQLite file at storePath")
            }
        case "storeConnections":
            guard let n = (value as? NSNumber)?.intValue ?? Int("\(value)") else {
                throw ConfigurationError("storeConnections: expected an integer, got \(value)")
            }
            storeConnections = n
        default:
            return false
        }
        return true
    }

    /// A flag is visible to every user of the machine (`ps`): a store URL with a password is not taken from one.
    static func refusePasswordInFlag(_ key: String, _ value: String) throws {
        guard key == "store", PostgresURL(value)?.hasPassword == true else { return }
        throw ConfigurationError("store: a URL with a password is not accepted as a flag (other users see the "
                                 + "command line); use PINN_STORE, \"store\" in the config file, PGPASSWORD or ~/.pgpass")
    }

    func validateStore() throws {
        guard (1...64).contains(storeConnections) else {
            throw ConfigurationError("storeConnections: must be in 1...64, got \(storeConnections)")
        }
    }
}
