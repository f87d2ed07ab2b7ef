/// Which jobs a caller may see: the service's access rule (docs/api.md, "Authentication"), here because listing
/// must filter in SQL (a page of 50 visible jobs cannot be cut from a page of 50 jobs). `admits` is the same rule
/// for one job; the two stand side by side so they cannot drift.
public enum JobVisibility: Sendable, Equatable {
    /// Every job: the service without tokens.
    case everyJob
    /// The jobs of `owner` (nil: a caller without a token, who owns none), every shared job, and every job without
    /// an owner (submitted while the service had no tokens, when everyone could see it).
    case visibleTo(owner: String?)

    public func admits(_ job: JobRecord) -> Bool {
        switch self {
        case .everyJob: true
        case .visibleTo(let owner): job.owner == nil || job.shared || (owner != nil && job.owner == owner)
        }
    }

    /// `admits` as a condition on SQLite's jobs table, with its values for the `?`s in order.
    var sqlCondition: (text: String, values: [SQLiteValue]) {
        switch self {
        case .everyJob: ("1", [])
        // `owner = NULL` is never true, so an anonymous caller matches no owner.
        case .visibleTo(let owner): ("(owner IS NULL OR shared = 1 OR owner = ?)", [.text(owner)])
        }
    }

    /// The same condition for PostgreSQL, whose parameters are numbered (`$first`, …) and whose `shared` is a boolean.
    func postgresCondition(firstParameter first: Int) -> (text: String, values: [PostgresValue]) {
        switch self {
        case .everyJob: ("TRUE", [])
        case .visibleTo(let owner): ("(owner IS NULL OR shared OR owner = $\(first))", [.text(owner)])
        }
    }
}
