/// Every failure of a `JobStore`, with a message that says what went wrong and what to do about it. The service
/// maps these to HTTP statuses in one place (`APIError`): `notFound` → 404, `invalidTransition` → 409, `full` → 507,
/// `readOnly`, `busy` and `unavailable` → 503, the rest → 500. `path` is the SQLite file, or the PostgreSQL URL
/// without its password.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case notFound(jobID: String)
    /// A status change the job's life does not allow (e.g. finishing a job twice, or restarting a finished one).
    case invalidTransition(jobID: String, from: JobStatus, to: JobStatus)
    /// The file was written by a newer build whose schema this build does not know.
    case schemaTooNew(path: String, version: Int, supported: Int)
    /// Something this build stored no longer decodes (e.g. the file was edited by hand).
    case corrupt(jobID: String, detail: String)
    case closed(path: String)
    /// The database refused an operation; `message` is its own (SQLite's "disk I/O error", PostgreSQL's primary
    /// message).
    case database(path: String, operation: String, message: String)
    /// A write found no room: the disk (or the store's quota, `maxStoreBytes`) is full. Nothing was written by
    /// the failed transaction; what was stored before stays intact, and writes succeed again once there is room.
    case full(path: String, operation: String, message: String)
    /// The file, its directory or its file system is read-only: reads still work, writes fail until it is writable.
    case readOnly(path: String, operation: String, message: String)
    /// Another process held the write lock past the busy timeout (PostgreSQL: a row or advisory lock past
    /// `lock_timeout`, a deadlock, or every pooled connection in use that long).
    case busy(path: String, operation: String, message: String)
    /// A write under a lease (`fence:`) found the job taken over by another holder, or cancelled through another
    /// server (a renewal: or no longer running): the job is not this server's to train any more.
    case leaseLost(jobID: String)
    /// The database server cannot be reached, or the connection to it was lost (PostgreSQL only). The failed call
    /// may or may not have taken effect if the loss came mid-commit; the next call reconnects, with backoff.
    case unavailable(path: String, operation: String, message: String)

    public var description: String {
        switch self {
        case .notFound(let id):
            "no job with id \"\(id)\" (it may have been deleted)"
        case .invalidTransition(let id, let from, let to):
            "job \(id) is \(from.rawValue) and cannot become \(to.rawValue)"
        case .schemaTooNew(let path, let version, let supported):
            "the job store at \(path) has schema version \(version), but this build supports up to \(supported); "
                + "run a newer build or point the service at another file"
        case .corrupt(let id, let detail):
            "stored data of job \(id) cannot be read (\(detail)); delete the job or restore the file from a backup"
        case .closed(let path):
            "the job store at \(path) is closed"
        case .database(let path, let operation, let message):
            "job store \(path): \(message) (during \(operation)); check that the store (its file and directory, or "
                + "its database) is writable, not full, and not held by a long lock of another process"
        case .full(let path, let operation, let message):
            "job store \(path) is full: \(message) (during \(operation)); free disk space (or raise maxStoreBytes); "
                + "what was stored before is intact"
        case .readOnly(let path, let operation, let message):
            "job store \(path) is read-only: \(message) (during \(operation)); make the file, its directory and its "
                + "file system writable"
        case .busy(let path, let operation, let message):
            "job store \(path) is busy: \(message) (during \(operation)); another process holds a long write lock"
        case .leaseLost(let id):
            "job \(id) is no longer this server's to train: another server took it over after its lease expired, "
                + "or it was cancelled or deleted meanwhile; nothing more is written for it from here"
        case .unavailable(let path, let operation, let message):
            "job store \(path) cannot be reached: \(message) (during \(operation)); check that the database server "
                + "is running and reachable; the store reconnects by itself"
        }
    }
}

extension StoreError {
    /// True when the failure is the store's condition (full, read-only, busy, broken) rather than the request's:
    /// retrying later may succeed.
    public var isStorageFault: Bool {
        switch self {
        case .full, .readOnly, .busy, .unavailable, .database, .closed: true
        case .notFound, .invalidTransition, .schemaTooNew, .corrupt, .leaseLost: false
        }
    }
}
